import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IEX_HEADERS, SHOPIFY_HEADERS, verifyIexRequest, verifyShopifyWebhook } from '../../src/ingest/signatures';
import { loadSimulationTenant } from '../../src/simulator/load-tenant';
import { resolveRoutes } from '../../src/simulator/routes';
import { runSimulation, type RequestFailure } from '../../src/simulator/run-simulation';
import { SIMULATED_FAILURES } from '../../src/simulator/traffic';
import { seedDemoTenant } from '../../src/simulator/seed-demo';
import { startTestApp, type RunningApp } from '../support/running-app';
import { waitFor } from '../support/wait-for';

const COUNT = 12;

describe('the traffic simulator against the running service', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp();
  });

  afterAll(() => running?.stop());

  it('sends signed traffic for the demo tenant that ends up in the transfer log', async () => {
    const { models } = running.store;
    await seedDemoTenant(models);
    const target = await loadSimulationTenant(models, 'demo');
    expect(target.routes.stock).toMatchObject({ connectionId: 'economic-shopify-stock', via: 'engine' });

    const summary = await runSimulation({
      ...target,
      url: running.app.url(),
      count: COUNT,
      rate: 100,
      failureShare: 0.5,
      seed: 20261127,
    });
    expect(summary).toMatchObject({ sent: COUNT, accepted: COUNT, errors: 0 });
    expect(summary.failedByDesign).toBeGreaterThan(0);
    expect(summary.failedByDesign).toBeLessThan(COUNT);

    const transfers = await waitFor(
      'every simulated transfer to be finished in the log',
      async () => {
        const docs = await models.Transfer.find({ tenantId: 'demo' }).lean();
        const done = docs.filter(({ status }) => status === 'succeeded' || status === 'failed');
        return done.length === COUNT ? docs : undefined;
      },
      { timeoutMs: 15_000 },
    );
    const failed = transfers.filter(({ status }) => status === 'failed');
    expect(failed).toHaveLength(summary.failedByDesign);
    for (const transfer of failed) {
      expect(Object.values(SIMULATED_FAILURES)).toContain(transfer.error?.code);
    }
    for (const transfer of transfers.filter(({ status }) => status === 'succeeded')) {
      expect(JSON.parse(transfer.target?.payloadJson ?? 'null')).toEqual(expect.any(Object));
      expect(transfer.stages.at(-1)).toMatchObject({ name: 'completed', status: 'succeeded' });
    }
    // A second run continues after this run's orders, from the recorder's views.
    const orderNumbers = transfers
      .filter(({ entity, operation }) => entity === 'order' && operation === 'create')
      .map(({ reference }) => /^#(\d+)$/.exec(reference ?? '')?.[1])
      .filter((digits) => digits !== undefined)
      .map(Number);
    expect(orderNumbers.length).toBeGreaterThan(0);
    await waitFor('the next order number to follow the last', async () =>
      (await loadSimulationTenant(models, 'demo')).firstOrderNumber === Math.max(...orderNumbers) + 1
        ? true
        : undefined,
    );
    // Shopify's webhooks reached the normalizer, which started their transfers with the original payload.
    const fromShopify = transfers.filter(({ transferId }) => transferId.startsWith('shopify-'));
    expect(fromShopify.length).toBeGreaterThan(0);
    for (const transfer of fromShopify) {
      expect(transfer.source).toMatchObject({ system: 'shopify' });
      expect(transfer.stages[0]).toMatchObject({ name: 'started' });
    }
  });
});

describe('the traffic simulator against a service that refuses', () => {
  const secrets = { engineSecret: 'engine-secret', shopifySecret: 'shopify-secret' };
  let server: Server;
  let url: string;
  const received: Array<{ path: string; status: number }> = [];

  beforeAll(async () => {
    // Plays the service: Kafka away for the first request, then every failure report refused.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const header = (name: string) => req.headers[name] as string | undefined;
        const signed = req.url!.startsWith('/webhooks/shopify/')
          ? verifyShopifyWebhook(secrets.shopifySecret, body, header(SHOPIFY_HEADERS.hmac))
          : verifyIexRequest({
              secret: secrets.engineSecret,
              timestamp: header(IEX_HEADERS.timestamp),
              signature: header(IEX_HEADERS.signature),
              rawBody: body,
            });
        const status =
          received.length === 0
            ? 503
            : signed !== 'ok'
              ? 401
              : JSON.parse(body.toString()).type === 'transfer.failed'
                ? 400
                : 202;
        received.push({ path: req.url!, status });
        if (status === 503) res.setHeader('Retry-After', '0');
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('retries a 503, signs every request, and counts refusals as errors with their status and body', async () => {
    const failures: RequestFailure[] = [];
    const summary = await runSimulation({
      ...secrets,
      url,
      tenantId: 'demo',
      shopDomain: 'iex-demo.myshopify.com',
      routes: resolveRoutes({
        tenant: {},
        systems: [{ systemId: 'shopify', kind: 'shopify', name: 'Shopify' }],
        connections: [{ connectionId: 'orders', fromSystemId: 'shopify', toSystemId: 'e-conomic', entity: 'order' }],
      }),
      count: 6,
      rate: 100,
      failureShare: 0.5,
      seed: 3,
      onError: (failure) => failures.push(failure),
    });

    expect(received.slice(0, 2).map(({ status }) => status)).toEqual([503, 202]);
    expect(received.some(({ status }) => status === 401)).toBe(false);
    expect(summary.errors).toBe(failures.length);
    expect(summary).toEqual({ sent: 6, accepted: 6 - failures.length, failedByDesign: 0, errors: failures.length });
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatchObject({ request: 'engine event transfer.failed', status: 400, body: '{"status":400}' });
    }
  });
});
