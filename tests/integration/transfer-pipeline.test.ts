import type { AlertEvent } from '../../src/domain/alerts';
import type { Command } from '../../src/domain/commands';
import type { TransferEvent } from '../../src/domain/events';
import { dayAndPeriod } from '../../src/domain/periods';
import { readTransferList, readUsage } from '../../src/store';
import { releaseHeld } from '../../src/services/transfers/release-held';
import { createEventProducer } from '../../src/kafka/producer';
import { createKafka } from '../../src/kafka/client';
import { shopifyOrder } from '../fixtures/shopify';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { readJson } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { postEvents, postShopify } from '../support/webhooks';

const RECORDER = 'iex.transfer-recorder';

/** The events of one order transfer that an engine reports, at one-second steps from `start`. */
function orderLifecycle(
  tenantId: string,
  transferId: string,
  start: Date,
  outcome: 'succeeded' | 'failed' = 'succeeded',
) {
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000).toISOString();
  const base = { tenantId, transferId, connectionId: 'orders', entity: 'order' as const, operation: 'create' as const };
  const started = transferEvent({
    ...base,
    id: `${transferId}-1`,
    occurredAt: at(0),
    source: { system: 'shopify', format: 'shopify.orders/create', payload: shopifyOrder(1042) },
    reference: '#1042',
  });
  const mapped = transferEvent({
    ...base,
    id: `${transferId}-2`,
    type: 'transfer.stage',
    occurredAt: at(1),
    stage: { name: 'map', status: 'succeeded' },
  });
  const posted = transferEvent({
    ...base,
    id: `${transferId}-3`,
    type: 'transfer.stage',
    occurredAt: at(2),
    stage: { name: 'post to e-conomic', status: 'succeeded' },
    target: {
      system: 'e-conomic',
      format: 'e-conomic.invoices.draft',
      payload: { customer: { customerNumber: 7042 } },
    },
  });
  const finished =
    outcome === 'succeeded'
      ? transferEvent({ ...base, id: `${transferId}-4`, type: 'transfer.succeeded', occurredAt: at(3) })
      : transferEvent({
          ...base,
          id: `${transferId}-4`,
          type: 'transfer.failed',
          occurredAt: at(3),
          error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone "EU"', retryable: false },
        });
  return [started, mapped, posted, finished];
}

describe('the transfer pipeline on the real broker and store', () => {
  let running: RunningApp;
  // A replay restarts the service on another port, so the URL is read each time.
  const url = () => running.app.url();
  const send = (tenant: TestTenant, events: TransferEvent[]) =>
    postEvents(url(), tenant.tenantId, tenant.engineSecret, events);

  beforeAll(async () => {
    running = await startTestApp();
  });

  afterAll(() => running?.stop());

  it('builds a transfer from its events, the same when they arrive out of order', async () => {
    const tenant = await createTestTenant(running.store.models);
    const [started, mapped, posted, finished] = orderLifecycle(tenant.tenantId, 'order-1042', new Date());
    // The engine's success overtakes its start, as retries and parallel senders can make happen.
    for (const event of [finished!, posted!, started!, mapped!]) expect((await send(tenant, [event])).status).toBe(202);

    const transfer = await waitFor('the finished transfer', async () => {
      const doc = await running.store.models.Transfer.findOne({
        tenantId: tenant.tenantId,
        transferId: 'order-1042',
      }).lean();
      return doc?.stages.length === 4 ? doc : undefined;
    });
    expect(transfer.status).toBe('succeeded');
    expect(transfer.reference).toBe('#1042');
    expect(transfer.stages.map(({ name, status }) => `${name}:${status}`)).toEqual([
      'started:started',
      'map:succeeded',
      'post to e-conomic:succeeded',
      'completed:succeeded',
    ]);
    expect(transfer.stages.map(({ at }) => at.toISOString())).toEqual(
      [started, mapped, posted, finished].map((event) => event!.occurredAt),
    );
    expect(transfer.source).toMatchObject({ system: 'shopify', format: 'shopify.orders/create' });
    expect(JSON.parse(transfer.source!.payloadJson!)).toMatchObject({ name: '#1042' });
    expect(transfer.target).toMatchObject({ system: 'e-conomic', format: 'e-conomic.invoices.draft' });
    expect(transfer.finishedAt?.toISOString()).toBe(finished!.occurredAt);
  });

  it('counts created, updated and failed per entity and day, and a replay changes no counter', async () => {
    const tenant = await createTestTenant(running.store.models);
    const now = new Date();
    const id = tenant.tenantId;
    const events = [
      ...orderLifecycle(id, 'o-1', now),
      ...orderLifecycle(id, 'o-2', now),
      ...orderLifecycle(id, 'o-3', now, 'failed'),
      transferEvent({ tenantId: id, transferId: 'o-1-update', operation: 'update', type: 'transfer.succeeded' }),
      transferEvent({
        tenantId: id,
        transferId: 'p-1',
        connectionId: 'products',
        entity: 'product',
        type: 'transfer.succeeded',
      }),
      transferEvent({
        tenantId: id,
        transferId: 's-1',
        connectionId: 'stock',
        entity: 'stock',
        operation: 'update',
        type: 'transfer.succeeded',
      }),
    ];
    expect((await send(tenant, events)).status).toBe(202);
    // A sender that retries after a timeout delivers the same events again.
    expect((await send(tenant, events.slice(0, 4))).status).toBe(202);
    await running.caughtUp(RECORDER, 'transfers');

    const { period, day } = dayAndPeriod(now, 'Europe/Copenhagen');
    const before = await readUsage(running.store.models, id, period);
    expect(before.counters).toEqual({
      order: { created: 2, updated: 1, failed: 1 },
      product: { created: 1, updated: 0, failed: 0 },
      stock: { created: 0, updated: 1, failed: 0 },
    });
    expect(before.ordersUsed).toBe(2);
    expect(before.days.find((bucket) => bucket.day === day)?.order).toEqual({ created: 2, updated: 1, failed: 1 });

    await running.replay(RECORDER, 'transfers');
    await running.caughtUp(RECORDER, 'transfers');
    expect(await readUsage(running.store.models, id, period)).toEqual(before);
    expect(await running.store.models.Transfer.countDocuments({ tenantId: id })).toBe(6);
  });

  it('raises a grouped alert for a failure and resolves the group when a retry succeeds', async () => {
    const tenant = await createTestTenant(running.store.models);
    const start = new Date();
    expect((await send(tenant, orderLifecycle(tenant.tenantId, 'o-9', start, 'failed'))).status).toBe(202);
    const retriedAt = new Date(start.getTime() + 60_000);
    const retry = orderLifecycle(tenant.tenantId, 'o-9', retriedAt).map((event, index) => ({
      ...event,
      id: `o-9-retry-${index}`,
    }));
    expect((await send(tenant, retry)).status).toBe(202);

    const alerts = await readJson<AlertEvent>(running.kafka, running.naming.topic('alerts'), tenant.tenantId, 2);
    const groupKey = `transfer.failed:${tenant.tenantId}:orders:economic.vat_zone_unknown`;
    expect(
      alerts.map((alert) => ({
        kind: alert.kind,
        key: alert.groupKey,
        transferId: 'transferId' in alert ? alert.transferId : undefined,
      })),
    ).toEqual([
      { kind: 'transfer.failed', key: groupKey, transferId: 'o-9' },
      { kind: 'transfer.recovered', key: groupKey, transferId: 'o-9' },
    ]);
    expect(alerts[0]).toMatchObject({ error: { code: 'economic.vat_zone_unknown' }, reference: '#1042' });
    const transfer = await running.store.models.Transfer.findOne({
      tenantId: tenant.tenantId,
      transferId: 'o-9',
    }).lean();
    expect(transfer).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(transfer?.error).toBeUndefined();
  });

  it('warns once per threshold, then tops up by itself and invoices the pack with exact VAT', async () => {
    const tenant = await createTestTenant(running.store.models, { includedOrders: 4, quotaThresholds: [50, 100] });
    const now = new Date();
    for (let n = 1; n <= 5; n += 1) {
      expect((await send(tenant, orderLifecycle(tenant.tenantId, `q-${n}`, now))).status).toBe(202);
    }
    const alerts = await readJson<AlertEvent>(running.kafka, running.naming.topic('alerts'), tenant.tenantId, 3);
    await running.caughtUp(RECORDER, 'transfers');
    const { period } = dayAndPeriod(now, 'Europe/Copenhagen');

    expect(
      alerts.map((alert) => (alert.kind === 'quota.threshold' ? `threshold ${alert.threshold}` : alert.kind)),
    ).toEqual(['threshold 50', 'threshold 100', 'quota.topup']);
    const topUps = await running.store.models.TopUp.find({ tenantId: tenant.tenantId }).lean();
    expect(topUps).toHaveLength(1);
    expect(topUps[0]).toMatchObject({ period, orders: 100, priceOre: 14_900, auto: true });
    const invoice = await running.store.models.Invoice.findOne({ tenantId: tenant.tenantId }).lean();
    expect(invoice).toMatchObject({
      netOre: 14_900,
      vatOre: 3_725,
      totalOre: 18_625,
      number: topUps[0]!.invoiceNumber,
    });
    expect(alerts[2]).toMatchObject({ kind: 'quota.topup', orders: 100, allowance: 104, used: 5, totalOre: 18_625 });
    expect(
      await running.store.models.AuditEntry.countDocuments({ tenantId: tenant.tenantId, action: 'topup.auto' }),
    ).toBe(1);
  });

  it('with auto top-up off, says orders are held and tells the engines to hold them', async () => {
    const tenant = await createTestTenant(running.store.models, { includedOrders: 1, autoTopUp: { enabled: false } });
    for (const n of [1, 2, 3]) {
      expect((await send(tenant, orderLifecycle(tenant.tenantId, `h-${n}`, new Date()))).status).toBe(202);
    }
    const alerts = await readJson<AlertEvent>(running.kafka, running.naming.topic('alerts'), tenant.tenantId, 3);
    const commands = await readJson<Command>(running.kafka, running.naming.topic('commands'), tenant.tenantId, 1);
    // The first order reaches both default thresholds (80 % and 100 % of 1) at once.
    expect(alerts.map(({ kind }) => kind)).toEqual(['quota.threshold', 'quota.threshold', 'quota.exceeded']);
    // How many orders it took depends on how the recorder's batches fell; over the allowance it is.
    const exceeded = alerts[2] as Extract<AlertEvent, { kind: 'quota.exceeded' }>;
    expect(exceeded.allowance).toBe(1);
    expect(exceeded.used).toBeGreaterThan(1);
    expect(commands).toEqual([
      expect.objectContaining({ type: 'orders.hold', actor: { platform: 'system', userId: 'iex-chatops' } }),
    ]);
    expect(await running.store.models.TopUp.countDocuments({ tenantId: tenant.tenantId })).toBe(0);
  });

  it('holds a webhook for a switched-off connection with its reason, and releases it as a retry command', async () => {
    const tenant = await createTestTenant(running.store.models);
    await running.store.models.DataConnection.updateOne(
      { tenantId: tenant.tenantId, connectionId: 'orders' },
      { active: false },
    );
    await running.store.models.Tenant.updateOne({ tenantId: tenant.tenantId }, { 'modules.products': false });
    expect(
      (await postShopify(url(), tenant.tenantId, tenant.shopifySecret, 'orders/create', shopifyOrder(7), 'wh-held-7'))
        .status,
    ).toBe(200);
    expect(
      (
        await postShopify(
          url(),
          tenant.tenantId,
          tenant.shopifySecret,
          'products/update',
          { id: 3, title: 'Mug' },
          'wh-held-p3',
        )
      ).status,
    ).toBe(200);

    const held = await waitFor('two held transfers', async () => {
      const docs = await running.store.models.Transfer.find({ tenantId: tenant.tenantId, status: 'held' })
        .sort({ entity: 1 })
        .lean();
      return docs.length === 2 ? docs : undefined;
    });
    // The log shows both as held before anything is released from it.
    await waitFor('the held list', async () =>
      (await readTransferList(running.store.models, tenant.tenantId, 'held')).total === 2 ? true : undefined,
    );
    expect(held.map(({ reference, hold }) => [reference, hold?.reason, hold?.message])).toEqual([
      ['#7', 'connection_off', 'The connection Shopify > e-conomic is deactivated (Connections).'],
      ['Mug', 'module_off', 'The products module is deactivated (Settings).'],
    ]);

    // The connection is switched back on: what it held goes back to the engine.
    const kafka = createKafka({
      brokers: running.config.KAFKA_BROKERS,
      clientId: 'release-test',
      logger: captureLogger().logger,
    });
    const producer = createEventProducer(kafka, running.naming);
    try {
      const released = await releaseHeld(
        { models: running.store.models, producer },
        { tenantId: tenant.tenantId, connectionId: 'orders' },
        { platform: 'slack', userId: 'U123' },
      );
      expect(released).toBe(1);
    } finally {
      await producer.disconnect();
    }
    const commands = await readJson<Command>(running.kafka, running.naming.topic('commands'), tenant.tenantId, 1);
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'transfer.retry',
        transferId: 'shopify-wh-held-7',
        connectionId: 'orders',
        reason: 'release',
      }),
    ]);
  });
});
