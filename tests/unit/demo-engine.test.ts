import { SYSTEM_ACTOR } from '../../src/domain/commands';
import { transferEventSchema } from '../../src/domain/events';
import {
  planRetry,
  planSync,
  type EnginePlanOptions,
  type RetryCommand,
  type SyncCommand,
} from '../../src/simulator/engine-plan';
import { routeOf } from '../../src/simulator/routes';
import { SIMULATED_FAILURES, timeSteps } from '../../src/simulator/traffic';

const tenant = { active: true, modules: { orders: true, products: true, stock: true } };
const systems = [
  { systemId: 'shopify', kind: 'shopify', name: 'Shopify webshop', connected: true },
  { systemId: 'e-conomic', kind: 'e-conomic', name: 'e-conomic', connected: true },
];
const products = routeOf(
  { connectionId: 'shopify-economic-products', fromSystemId: 'shopify', toSystemId: 'e-conomic', entity: 'product' },
  { tenant, systems },
)!;
const stock = routeOf(
  { connectionId: 'economic-shopify-stock', fromSystemId: 'e-conomic', toSystemId: 'shopify', entity: 'stock' },
  { tenant, systems },
)!;
const OPTIONS: EnginePlanOptions = { seed: 0, failureShare: 0.1, transfersPerRun: { min: 1, max: 4 } };

const sync = (id: string, connectionId = stock.connectionId): SyncCommand => ({
  type: 'connection.sync',
  // The lead's run ids hold colons, which event ids may not.
  id,
  tenantId: 'demo',
  issuedAt: '2026-11-27T09:15:00.000Z',
  actor: SYSTEM_ACTOR,
  connectionId,
  jobId: connectionId,
});

const retry = (id: string): RetryCommand => ({
  type: 'transfer.retry',
  id,
  tenantId: 'demo',
  issuedAt: '2026-11-27T09:15:00.000Z',
  actor: { platform: 'slack', userId: 'U1' },
  transferId: 'shopify-0b6c1b8e-7d8f-4c4a-9d1e-2f1c0b9a8e7d',
  connectionId: 'shopify-economic-orders',
  reason: 'retry',
});

const VAT_ERROR = { code: SIMULATED_FAILURES.vatZoneUnknown, message: 'Unknown VAT zone for "GL"', retryable: false };

describe("the demo engine's plans", () => {
  it('answers the same scheduled run with the same transfers and event ids, and another run with others', () => {
    const first = planSync(sync('sync:economic-shopify-stock:2026-11-27T09:15:00Z'), stock, OPTIONS);
    expect(planSync(sync('sync:economic-shopify-stock:2026-11-27T09:15:00Z'), stock, OPTIONS)).toEqual(first);
    const other = planSync(sync('sync:economic-shopify-stock:2026-11-27T10:15:00Z'), stock, OPTIONS);
    const ids = (transfers: typeof first) => transfers.map(({ transferId }) => transferId);
    expect(ids(other).filter((id) => ids(first).includes(id))).toEqual([]);
  });

  it('reports every transfer of a run in full, in valid v1 events carrying the run id', () => {
    for (const route of [stock, products]) {
      for (let run = 0; run < 20; run++) {
        const command = sync(`sync:${route.connectionId}:${run}`, route.connectionId);
        const transfers = planSync(command, route, OPTIONS);
        expect(transfers.length).toBeGreaterThanOrEqual(1);
        expect(transfers.length).toBeLessThanOrEqual(4);
        for (const transfer of transfers) {
          // A scheduled run fetches the data itself: no webhook, the engine starts the transfer.
          expect(transfer.webhook).toBeUndefined();
          const events = timeSteps(transfer.steps, new Date());
          for (const event of events) {
            expect(transferEventSchema.safeParse(event).success).toBe(true);
            expect(event).toMatchObject({ runId: command.id, connectionId: route.connectionId, entity: route.entity });
            expect(event.id).not.toContain(':');
          }
          expect(events[0]).toMatchObject({
            type: 'transfer.started',
            source: { system: route.via === 'engine' ? 'e-conomic' : 'shopify' },
          });
          expect(['transfer.succeeded', 'transfer.failed']).toContain(events.at(-1)?.type);
        }
      }
    }
    const pulled = planSync(sync('sync:products:1', products.connectionId), products, OPTIONS)[0]!;
    expect(pulled.steps[0]?.event.source).toMatchObject({ system: 'shopify', format: 'shopify.products/update' });
  });

  it('fails the configured share of synced transfers with realistic errors, and runs nothing when off', () => {
    const failing = { ...OPTIONS, failureShare: 1 };
    const transfers = [stock, products].flatMap((route) =>
      Array.from({ length: 10 }, (_, run) => planSync(sync(`run-${run}`, route.connectionId), route, failing)).flat(),
    );
    expect(transfers.length).toBeGreaterThan(10);
    for (const { failure } of transfers) expect(Object.values(SIMULATED_FAILURES)).toContain(failure?.code);
    expect(planSync(sync('run-0'), stock, { ...OPTIONS, transfersPerRun: { min: 0, max: 0 } })).toEqual([]);
    expect(planSync(sync('run-0'), { ...stock, runs: false }, OPTIONS)).toEqual([]);
  });

  it('runs a retried transfer again under ids derived from the command, failing again the way it failed', () => {
    const transfer = { entity: 'order' as const, operation: 'create' as const, reference: '#1001', error: VAT_ERROR };
    const succeeding = { ...OPTIONS, failureShare: 0 };
    const steps = planRetry(retry('retry:batch-1:x'), transfer, succeeding);
    expect(planRetry(retry('retry:batch-1:x'), transfer, succeeding)).toEqual(steps);
    expect(steps.map(({ event }) => event.type)).toEqual(['transfer.started', 'transfer.succeeded']);
    expect(steps[0]?.event).toMatchObject({ transferId: retry('').transferId, reference: '#1001' });
    for (const { event } of steps) expect(event.id).toMatch(/^retry-[0-9a-f]{24}-/);

    const again = planRetry(retry('retry:batch-2:x'), transfer, succeeding);
    expect(again.map(({ event }) => event.id)).not.toEqual(steps.map(({ event }) => event.id));

    const failing = planRetry(
      retry('retry:batch-1:x'),
      { ...transfer, failedStage: 'map' },
      { ...OPTIONS, failureShare: 1 },
    );
    expect(failing.at(-1)?.event).toMatchObject({
      type: 'transfer.failed',
      stage: { name: 'map', status: 'failed' },
      error: VAT_ERROR,
    });
    // A held transfer never failed: failing now is the everyday cause, Shopify's rate limit.
    const released = planRetry(retry('release:1'), { ...transfer, error: null }, { ...OPTIONS, failureShare: 1 });
    expect(released.at(-1)?.event.error?.code).toBe(SIMULATED_FAILURES.rateLimited);
  });
});
