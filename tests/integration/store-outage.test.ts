import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import type { Config } from '../../src/config/config';
import { transferKey } from '../../src/domain/events';
import { dayAndPeriod } from '../../src/domain/periods';
import { createKafka } from '../../src/kafka/client';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming } from '../../src/kafka/topics';
import { connectStore, readUsage, type Store } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { testKafka, waitForGroupCaughtUp } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait-for';

const script = path.resolve(__dirname, '../../scripts/services.sh');

/**
 * A store of this test's own (the shared one serves the other test files), started and stopped
 * through the same services script the product uses.
 */
function privateStore(dataDir: string, port: number) {
  const env = { ...process.env, MONGO_URL: '', IEX_DATA_DIR: dataDir, IEX_MONGO_PORT: String(port) };
  const run = (command: 'up' | 'down') =>
    execFileSync('bash', [script, command, 'mongo'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { up: () => run('up'), down: () => run('down'), url: `mongodb://127.0.0.1:${port}/iex_outage` };
}

describe('the recorder while the store goes away', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'iex-outage-'));
  let store: ReturnType<typeof privateStore>;
  let config: Config;
  let app: App;
  let models: Store;
  let producer: EventProducer;
  const { logger, records } = captureLogger();

  beforeAll(async () => {
    store = privateStore(dataDir, await freePort());
    store.up();
    config = testConfig({ MONGO_URL: store.url });
    app = createApp(config, logger);
    await app.start();
    models = connectStore(config.MONGO_URL);
    await models.ready();
    producer = createEventProducer(
      createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'outage-test', logger }),
      createNaming(config.KAFKA_NAMESPACE),
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.stop();
    await models?.close();
    store?.down();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing and counts nothing twice when MongoDB is stopped and started again', async () => {
    const tenant = await createTestTenant(models.models, { tenantId: 'outage' });
    const order = (n: number) =>
      transferEvent({
        id: `evt-${n}`,
        tenantId: tenant.tenantId,
        transferId: `order-${n}`,
        type: 'transfer.succeeded',
      });
    const send = (events: ReturnType<typeof order>[]) =>
      producer.sendJson(
        'transfers',
        events.map((event) => ({ key: transferKey(event), value: event })),
      );

    await send(Array.from({ length: 20 }, (_, n) => order(n)));
    await waitFor(
      'the first 20 transfers',
      async () => (await models.models.Transfer.countDocuments({ tenantId: 'outage' })) === 20,
    );

    store.down();
    const health = await fetch(`${app.url()}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ checks: { kafka: 'ok', mongodb: 'unreachable' } });
    // Accepted while the store is down, plus redeliveries of events it already has.
    await send([...Array.from({ length: 30 }, (_, n) => order(20 + n)), order(3), order(25)]);
    await waitFor(
      'the recorder to fail against the stopped store',
      () =>
        records.some(
          (record) => record.consumer === 'iex.transfer-recorder' && String(record.msg).includes('retrying'),
        ),
      { timeoutMs: 60_000 },
    );
    store.up();

    const admin = testKafka().admin();
    await admin.connect();
    try {
      const naming = createNaming(config.KAFKA_NAMESPACE);
      await waitForGroupCaughtUp(admin, naming.group('iex.transfer-recorder'), naming.topic('transfers'), 60_000);
    } finally {
      await admin.disconnect();
    }
    expect(await models.models.Transfer.countDocuments({ tenantId: 'outage', status: 'succeeded' })).toBe(50);
    expect(await models.models.TransferEvent.countDocuments({ tenantId: 'outage' })).toBe(50);
    const usage = await readUsage(models.models, 'outage', dayAndPeriod(new Date(), 'Europe/Copenhagen').period);
    expect(usage.counters.order.created).toBe(50);
    expect(usage.ordersUsed).toBe(50);
    expect((await fetch(`${app.url()}/healthz`)).status).toBe(200);
  });
});
