import type { TransferEvent } from '../../src/domain/events';
import { dayAndPeriod } from '../../src/domain/periods';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { readTransferViews, readUsage, transferDocId } from '../../src/store';
import { createTransfersPort } from '../../src/services/ports/transfers';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { postEvents } from '../support/webhooks';

/**
 * The backlog that wedged the store: thousands of transfers whose events arrive one per request,
 * shuffled, some twice, with payloads a document store would misread — recorded through the real
 * HTTP edge, broker, recorder and embedded store, every one once.
 */
const TRANSFERS = 2_400;
const TENANTS = 3;
const CONCURRENCY = 24;

/** A payload as webshops send them: operator-like and dotted keys, deep nesting, a long string. */
function hostilePayload(n: number): Record<string, unknown> {
  let nested: Record<string, unknown> = { leaf: n };
  for (let depth = 0; depth < 40; depth += 1) nested = { [`level${depth}`]: nested };
  return {
    name: `#${10_000 + n}`,
    $where: 'this.total > 0',
    'customer.email': `buyer${n}@example.dk`,
    note_attributes: [{ $set: { gift: true } }, { 'a.b': 'c' }],
    nested,
    note: 'æøå '.repeat(2_000),
  };
}

function lifecycle(tenantId: string, n: number): TransferEvent[] {
  const transferId = `backlog-${n}`;
  const start = Date.now() - 3_600_000 + n * 10;
  const at = (ms: number) => new Date(start + ms).toISOString();
  const failed = n % 10 === 0;
  const base = { tenantId, transferId, connectionId: 'orders', entity: 'order' as const, operation: 'create' as const };
  return [
    transferEvent({
      ...base,
      id: `${transferId}-started`,
      occurredAt: at(0),
      reference: `#${10_000 + n}`,
      source: { system: 'shopify', format: 'shopify.orders/create', payload: hostilePayload(n) },
    }),
    transferEvent({
      ...base,
      id: `${transferId}-mapped`,
      type: 'transfer.stage',
      occurredAt: at(1),
      stage: { name: 'map', status: 'succeeded' },
    }),
    failed
      ? transferEvent({
          ...base,
          id: `${transferId}-done`,
          type: 'transfer.failed',
          occurredAt: at(2),
          error: { code: 'ECONOMIC_VALIDATION', message: 'Customer group is required', retryable: false },
        })
      : transferEvent({ ...base, id: `${transferId}-done`, type: 'transfer.succeeded', occurredAt: at(2) }),
  ];
}

/** Deterministic shuffle, so a failure can be reproduced. */
function shuffled<T>(items: T[], seed = 42): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('a backlog of thousands of multi-event transfers on the embedded store', () => {
  let running: RunningApp;
  let producer: EventProducer;
  const tenants: TestTenant[] = [];

  beforeAll(async () => {
    running = await startTestApp();
    for (let t = 0; t < TENANTS; t += 1) {
      tenants.push(await createTestTenant(running.store.models, { includedOrders: 1_000_000 }));
    }
    producer = createEventProducer(running.kafka, running.naming);
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await running?.stop();
  });

  it('records every accepted event once, counts usage exactly, and answers the log from the views', async () => {
    const events: Array<{ tenant: TestTenant; event: TransferEvent }> = [];
    for (let n = 0; n < TRANSFERS; n += 1) {
      const tenant = tenants[n % TENANTS]!;
      for (const event of lifecycle(tenant.tenantId, n)) events.push({ tenant, event });
    }
    // Engines retry: one event in twenty arrives twice.
    const deliveries = shuffled([...events, ...events.filter((_, index) => index % 20 === 0)]);

    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < deliveries.length) {
          const { tenant, event } = deliveries[next++]!;
          const { status } = await postEvents(running.app.url(), tenant.tenantId, tenant.engineSecret, event);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 202: deliveries.length });

    const { period } = dayAndPeriod(new Date(), 'Europe/Copenhagen');
    const perTenant = TRANSFERS / TENANTS;
    const failedPerTenant = Math.ceil(TRANSFERS / 10 / TENANTS);
    await waitFor(
      'every transfer to be counted',
      async () => {
        for (const tenant of tenants) {
          const usage = await readUsage(running.store.models, tenant.tenantId, period);
          const counted = usage.counters.order.created + usage.counters.order.failed;
          if (counted < perTenant) return false;
        }
        return true;
      },
      { timeoutMs: 240_000, intervalMs: 1_000 },
    );
    await running.caughtUp('iex.transfer-recorder', 'transfers');

    for (const tenant of tenants) {
      const usage = await readUsage(running.store.models, tenant.tenantId, period);
      const failed = usage.counters.order.failed;
      expect(usage.counters.order.created + failed).toBe(perTenant);
      expect(usage.ordersUsed).toBe(usage.counters.order.created);
      expect(failed).toBeGreaterThanOrEqual(failedPerTenant - 1);
      expect(failed).toBeLessThanOrEqual(failedPerTenant);
      const views = await readTransferViews(running.store.models, tenant.tenantId);
      expect(views.failed).toHaveLength(failed);
      expect(views.held).toHaveLength(0);
    }
    expect(await running.store.models.TransferEvent.countDocuments({})).toBe(events.length);

    // The log finds a transfer by its reference and shows the payload byte for byte as sent.
    const { logger } = captureLogger();
    const port = createTransfersPort({ models: running.store.models, producer, logger });
    const tenant = tenants[1]!;
    const listed = await port.list(tenant.tenantId, { reference: '#10001' }, 1, 10);
    expect(listed.items.map(({ transferId }) => transferId)).toEqual(['backlog-1']);
    const detail = await port.get(tenant.tenantId, 'backlog-1');
    expect(detail?.status).toBe('succeeded');
    expect(detail?.stages.map(({ name }) => name)).toEqual(['started', 'map', 'completed']);
    expect(detail?.source?.payload).toEqual(hostilePayload(1));

    const failedPage = await port.list(tenants[0]!.tenantId, { status: 'failed' }, 1, 20);
    expect(failedPage.items).toHaveLength(20);
    expect(
      failedPage.items.every(({ status, error }) => status === 'failed' && error?.code === 'ECONOMIC_VALIDATION'),
    ).toBe(true);
    const doc = await running.store.models.Transfer.findOne({ _id: transferDocId(tenants[0]!.tenantId, 'backlog-0') });
    expect(doc?.status).toBe('failed');
  }, 420_000);
});
