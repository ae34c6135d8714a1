import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertEvent } from '../../src/domain/alerts';
import { SYSTEM_ACTOR, type Command } from '../../src/domain/commands';
import { IEX_HEADERS, verifyIexRequest } from '../../src/ingest/signatures';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner, type ConsumerRunner } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming } from '../../src/kafka/topics';
import { DEMO_ENGINE_GROUP, demoEngine } from '../../src/simulator/engine';
import { planSync, type SyncCommand } from '../../src/simulator/engine-plan';
import { routeOf } from '../../src/simulator/routes';
import { SIMULATED_FAILURES, type EngineEvent } from '../../src/simulator/traffic';
import { seedDemoTenant } from '../../src/simulator/seed-demo';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { readJson } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { postEvents } from '../support/webhooks';

const PLAN = { seed: 7, failureShare: 0, transfersPerRun: { min: 2, max: 3 } };

describe('the demo engine answers commands through the public webhook endpoint', () => {
  let running: RunningApp;
  let producer: EventProducer;
  let engine: ConsumerRunner;
  let tenant: TestTenant;
  const { logger, records } = captureLogger();

  const send = (command: Command) => producer.sendJson('commands', [{ key: command.tenantId, value: command }]);

  const syncCommand = (tenantId: string, connectionId: string): SyncCommand => ({
    type: 'connection.sync',
    // Shaped like a scheduler's run id, colons included.
    id: `sync:${connectionId}:${new Date().toISOString()}:${randomUUID().slice(0, 8)}`,
    tenantId,
    issuedAt: new Date().toISOString(),
    actor: SYSTEM_ACTOR,
    connectionId,
    jobId: connectionId,
  });

  /** Waits until the engine answered every command so far and the log recorded every answer. */
  const settled = async () => {
    await running.caughtUp(DEMO_ENGINE_GROUP, 'commands');
    await running.caughtUp('iex.transfer-recorder', 'transfers');
  };

  beforeAll(async () => {
    running = await startTestApp();
    const { models } = running.store;
    await seedDemoTenant(models);
    tenant = await createTestTenant(models);
    const kafka = createKafka({ brokers: running.config.KAFKA_BROKERS, clientId: 'demo-engine-test', logger });
    producer = createEventProducer(kafka, running.naming);
    await producer.connect();
    engine = createConsumerRunner(
      demoEngine({ baseUrl: running.app.url(), models, logger, tenants: ['demo', tenant.tenantId], ...PLAN }),
      {
        kafka,
        naming: running.naming,
        producer,
        logger,
        retryDelayMs: { initial: 100, max: 1_000 },
        sessionTimeoutMs: 10_000,
      },
    );
    await engine.start();
  });

  afterAll(async () => {
    await engine?.stop();
    await producer?.disconnect();
    await running?.stop();
  });

  it('answers a scheduled run with realistic transfers carrying its run id, once however often it comes', async () => {
    const { models } = running.store;
    const stock = syncCommand('demo', 'economic-shopify-stock');
    const products = syncCommand('demo', 'shopify-economic-products');
    await send(stock);
    await send(products);

    const finished = (runId: string, count: number) =>
      waitFor(
        `the ${count} transfers of run ${runId} to finish`,
        async () => {
          const docs = await models.Transfer.find({ tenantId: 'demo', runId }).lean();
          if (docs.length !== count || !docs.every(({ status }) => status === 'succeeded')) return undefined;
          // Payloads are kept as JSON text: read them back as the log shows them.
          const side = (payload: (typeof docs)[number]['source']) =>
            payload && { ...payload, payload: JSON.parse(payload.payloadJson ?? 'null') as unknown };
          return docs.map((doc) => ({ ...doc, source: side(doc.source), target: side(doc.target) }));
        },
        { timeoutMs: 30_000 },
      );
    const [systems, connections] = await Promise.all([
      models.System.find({ tenantId: 'demo' }).lean(),
      models.DataConnection.find({ tenantId: 'demo' }).lean(),
    ]);
    const tenantDoc = (await models.Tenant.findOne({ tenantId: 'demo' }).lean())!;
    const expected = (command: SyncCommand) => {
      const connection = connections.find(({ connectionId }) => connectionId === command.connectionId);
      return planSync(command, routeOf(connection, { tenant: tenantDoc, systems })!, PLAN);
    };

    const stockTransfers = await finished(stock.id, expected(stock).length);
    expect(stockTransfers.map(({ transferId }) => transferId).sort()).toEqual(
      expected(stock)
        .map(({ transferId }) => transferId)
        .sort(),
    );
    for (const transfer of stockTransfers) {
      // Stock flows from e-conomic into Shopify: what the engine read there, and what it set in the shop.
      expect(transfer).toMatchObject({
        connectionId: 'economic-shopify-stock',
        entity: 'stock',
        source: { system: 'e-conomic', format: 'e-conomic.products', payload: { productNumber: expect.any(String) } },
        target: {
          system: 'shopify',
          format: 'shopify.inventory_levels/set',
          payload: { available: expect.any(Number) },
        },
      });
      expect(transfer.stages.map(({ name }) => name)).toEqual([
        'started',
        'fetch from e-conomic',
        'map',
        'post to Shopify',
        'completed',
      ]);
    }
    const productTransfers = await finished(products.id, expected(products).length);
    for (const transfer of productTransfers) {
      // A scheduled run fetches from Shopify what a webhook would have brought.
      expect(transfer).toMatchObject({
        source: { system: 'shopify', format: 'shopify.products/update', payload: { variants: expect.any(Array) } },
        target: { system: 'e-conomic', format: 'e-conomic.products' },
        reference: expect.any(String),
      });
    }

    const eventCount = () => models.TransferEvent.countDocuments({ tenantId: 'demo' });
    await settled();
    const eventsBefore = await eventCount();
    // The broker redelivers the run; and a run for a tenant this engine does not serve is not its business.
    const stranger = await createTestTenant(models);
    const foreign = syncCommand(stranger.tenantId, 'products');
    await send(stock);
    await send(foreign);
    await waitFor('the engine to answer the redelivered run', () =>
      records.filter((record) => record.runId === stock.id && record.msg === 'answered a scheduled run').length === 2
        ? true
        : undefined,
    );
    await settled();
    expect(await models.Transfer.countDocuments({ tenantId: 'demo', runId: stock.id })).toBe(stockTransfers.length);
    expect(await eventCount()).toBe(eventsBefore);
    expect(await models.Transfer.countDocuments({ tenantId: stranger.tenantId })).toBe(0);
  });

  it('runs a failed transfer again on a retry: it ends succeeded and the failure group hears it recovered', async () => {
    const { models } = running.store;
    const transferId = `order-${randomUUID().slice(0, 8)}`;
    const failedAt = Date.now() - 2_000;
    const base = { tenantId: tenant.tenantId, transferId, connectionId: 'orders', reference: '#1042' };
    const posted = await postEvents(running.app.url(), tenant.tenantId, tenant.engineSecret, [
      transferEvent({ ...base, occurredAt: new Date(failedAt).toISOString() }),
      transferEvent({
        ...base,
        type: 'transfer.failed',
        occurredAt: new Date(failedAt + 300).toISOString(),
        stage: { name: 'map', status: 'failed' },
        error: { code: SIMULATED_FAILURES.vatZoneUnknown, message: 'Unknown VAT zone for "GL"', retryable: false },
      }),
    ]);
    expect(posted.status).toBe(202);
    await waitFor('the transfer to be logged as failed', async () =>
      (await models.Transfer.findOne({ tenantId: tenant.tenantId, transferId }).lean())?.status === 'failed'
        ? true
        : undefined,
    );

    await send({
      type: 'transfer.retry',
      id: `retry:${randomUUID()}:${transferId}`,
      tenantId: tenant.tenantId,
      issuedAt: new Date().toISOString(),
      actor: { platform: 'slack', userId: 'U0RETRY' },
      transferId,
      connectionId: 'orders',
      reason: 'retry',
    });

    const retried = await waitFor('the retried transfer to succeed', async () => {
      const doc = await models.Transfer.findOne({ tenantId: tenant.tenantId, transferId }).lean();
      return doc?.status === 'succeeded' ? doc : undefined;
    });
    expect(retried).toMatchObject({ attempts: 2, reference: '#1042' });
    const alerts = await readJson<AlertEvent>(running.kafka, running.naming.topic('alerts'), tenant.tenantId, 2);
    expect(alerts.map(({ kind }) => kind)).toEqual(['transfer.failed', 'transfer.recovered']);
    expect(alerts[1]).toMatchObject({ transferId, connectionId: 'orders' });
  });

  it('tries a command again while the service answers 503, and sends its events signed, in order', async () => {
    const { models } = running.store;
    const secret = (await models.Tenant.findOne({ tenantId: 'demo' }).select('+webhookSecret').lean())!.webhookSecret!;
    // Plays the service with Kafka away for the first request; in a namespace of its own, so the
    // engine under test sees only this test's command.
    const received: Array<{ status: number; event: EngineEvent }> = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const signed = verifyIexRequest({
          secret,
          timestamp: req.headers[IEX_HEADERS.timestamp] as string,
          signature: req.headers[IEX_HEADERS.signature] as string,
          rawBody: body,
        });
        const status = received.length === 0 ? 503 : signed === 'ok' ? 202 : 401;
        received.push({ status, event: JSON.parse(body.toString()) as EngineEvent });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const kafka = createKafka({ brokers: running.config.KAFKA_BROKERS, clientId: 'demo-engine-503', logger });
    const naming = createNaming(`${running.config.KAFKA_NAMESPACE}-503`);
    await ensureTopics(kafka, naming, { partitions: 1, replicationFactor: 1 });
    const ownProducer = createEventProducer(kafka, naming);
    await ownProducer.connect();
    const refused = createConsumerRunner(
      demoEngine({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, models, logger, ...PLAN }),
      {
        kafka,
        naming,
        producer: ownProducer,
        logger,
        retryDelayMs: { initial: 100, max: 500 },
        sessionTimeoutMs: 10_000,
      },
    );
    try {
      await refused.start();
      const command = syncCommand('demo', 'economic-shopify-stock');
      await ownProducer.sendJson('commands', [{ key: 'demo', value: command }]);
      const connection = await models.DataConnection.findOne({
        tenantId: 'demo',
        connectionId: command.connectionId,
      }).lean();
      const route = routeOf(connection!, {
        tenant: (await models.Tenant.findOne({ tenantId: 'demo' }).lean())!,
        systems: await models.System.find({ tenantId: 'demo' }).lean(),
      })!;
      const planned = planSync(command, route, PLAN).flatMap(({ steps }) => steps.map(({ event }) => event.id));
      await waitFor('every planned event to be accepted', () =>
        received.filter(({ status }) => status === 202).length === planned.length ? true : undefined,
      );
      expect(received.map(({ status }) => status)).toEqual([503, ...planned.map(() => 202)]);
      // The batch was tried again from its start: the refused event first, then the rest in order.
      expect(received.map(({ event }) => event.id)).toEqual([planned[0], ...planned]);
      expect(records.some((record) => record.msg === 'handling a batch failed; retrying')).toBe(true);
    } finally {
      await refused.stop();
      await ownProducer.disconnect();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
