import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import type { Config } from '../../src/config/config';
import { createHttpApp } from '../../src/http/server';
import { createMetrics } from '../../src/config/metrics';
import { createKafkaProbe } from '../../src/kafka/health';
import { connectStore } from '../../src/store';
import { DEMO_TENANT_ID, seedDemoTenant } from '../../src/simulator/seed-demo';
import { freePort } from '../support/ports';
import { captureLogger, testConfig } from '../support/test-env';

const root = path.resolve(__dirname, '../..');

describe('the service on the real broker and store', () => {
  let config: Config;
  let app: App;

  beforeAll(async () => {
    config = testConfig({ DEMO_SEED: 'true' });
    app = createApp(config, captureLogger().logger);
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    const store = connectStore(config.MONGO_URL);
    await store.ready();
    await store.connection.dropDatabase();
    await store.close();
  });

  it('reports Kafka, MongoDB and the recorder as healthy, each by name', async () => {
    const response = await fetch(`${app.url()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { kafka: 'ok', mongodb: 'ok', recorder: 'ok' } });

    const metrics = await (await fetch(`${app.url()}/metrics`)).text();
    expect(metrics).toContain('iex_dependency_up{dependency="kafka"} 1');
    expect(metrics).toContain('iex_dependency_up{dependency="mongodb"} 1');
    expect(metrics).toContain('iex_dependency_up{dependency="recorder"} 1');
    expect(metrics).toMatch(
      new RegExp(`iex_consumer_lag\\{group="${config.KAFKA_NAMESPACE}\\.iex\\.transfer-recorder"\\} \\d+`),
    );
  });

  it('counts every answer by route and status for a 5xx alert, without a series per probed URL', async () => {
    await fetch(`${app.url()}/healthz`);
    await fetch(`${app.url()}/wp-login.php?x=1`);
    await fetch(`${app.url()}/.env`);
    const unsigned = await fetch(`${app.url()}/webhooks/events`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);

    const metrics = await (await fetch(`${app.url()}/metrics`)).text();
    expect(metrics).toMatch(/iex_http_requests_total\{route="\/healthz",method="GET",status="200"\} [1-9]/);
    expect(metrics).toContain('iex_http_requests_total{route="other",method="GET",status="404"} 2');
    expect(metrics).toContain(`iex_http_requests_total{route="/webhooks",method="POST",status="${unsigned.status}"} 1`);
    expect(metrics).toMatch(/iex_http_request_duration_seconds_count\{route="\/webhooks"\} 1/);
    expect(metrics).not.toContain('wp-login');
  });

  it('notes at start how many partitions the transfers topic has, for readers to look at each', async () => {
    const store = connectStore(config.MONGO_URL);
    try {
      await store.ready();
      const topology = await store.models.TransferView.collection.findOne({ _id: 'topology' as never });
      expect(topology?.transferPartitions).toBe(config.KAFKA_PARTITIONS);
    } finally {
      await store.close();
    }
  });

  it('seeds the demo tenant on first start, and a second seeding changes nothing', async () => {
    const store = connectStore(config.MONGO_URL);
    try {
      await store.ready();
      const { models } = store;
      const tenant = await models.Tenant.findOne({ tenantId: DEMO_TENANT_ID }).lean();
      expect(tenant).toMatchObject({ name: 'Demo webshop', active: true });
      const connections = await models.DataConnection.find({ tenantId: DEMO_TENANT_ID }).sort({ entity: 1 }).lean();
      expect(
        connections.map(({ entity, mode, fromSystemId, toSystemId }) => [entity, mode, fromSystemId, toSystemId]),
      ).toEqual([
        ['order', 'webhook', 'shopify', 'e-conomic'],
        ['product', 'schedule', 'shopify', 'e-conomic'],
        ['stock', 'schedule', 'e-conomic', 'shopify'],
      ]);
      expect(await models.Job.countDocuments({ tenantId: DEMO_TENANT_ID })).toBe(2);
      expect(await models.Subscription.findOne({ tenantId: DEMO_TENANT_ID }).lean()).toMatchObject({
        includedOrders: 500,
      });

      expect(await seedDemoTenant(models)).toBeUndefined();
      expect(await models.DataConnection.countDocuments({ tenantId: DEMO_TENANT_ID })).toBe(3);
      expect(await models.System.countDocuments({ tenantId: DEMO_TENANT_ID })).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('answers 503 and names Kafka while the broker cannot be reached', async () => {
    const store = connectStore(config.MONGO_URL);
    const kafkaProbe = createKafkaProbe([`127.0.0.1:${await freePort()}`], 'health-test');
    const http = createHttpApp({
      logger: captureLogger().logger,
      metrics: createMetrics(),
      checks: [
        { name: 'kafka', check: () => kafkaProbe.check() },
        { name: 'mongodb', check: () => store.ping() },
      ],
    });
    const server = http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await store.ready();
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', checks: { kafka: 'unreachable', mongodb: 'ok' } });
    } finally {
      server.close();
      await kafkaProbe.close();
      await store.close();
    }
  });
});

describe('starting with a bad configuration', () => {
  it('stops with one line that names the bad variable', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: 'localhost:9092',
        MONGO_URL: 'mongodb://localhost:27017/iex',
        PORT: 'eighty',
      },
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('invalid configuration:\n  PORT must be a port number');
  });
});
