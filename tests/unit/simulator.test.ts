import { transferEventSchema } from '../../src/domain/events';
import { shopifyTopicSchema, shopifyTransferId } from '../../src/domain/webhooks';
import { resolveRoutes, type SimulationRoutes } from '../../src/simulator/routes';
import { createTraffic, SIMULATED_FAILURES, timeSteps, type TrafficOptions } from '../../src/simulator/traffic';

/** The demo tenant's systems and connections, as src/store/seed-demo.ts writes them. */
const demo = {
  tenant: { active: true, modules: { orders: true, products: true, stock: true } },
  systems: [
    { systemId: 'shopify', kind: 'shopify', name: 'Shopify webshop', connected: true },
    { systemId: 'e-conomic', kind: 'e-conomic', name: 'e-conomic', connected: true },
  ],
  connections: [
    { connectionId: 'shopify-economic-orders', fromSystemId: 'shopify', toSystemId: 'e-conomic', entity: 'order' },
    { connectionId: 'shopify-economic-products', fromSystemId: 'shopify', toSystemId: 'e-conomic', entity: 'product' },
    { connectionId: 'economic-shopify-stock', fromSystemId: 'e-conomic', toSystemId: 'shopify', entity: 'stock' },
  ],
};
const routes: SimulationRoutes = resolveRoutes(demo);
const NOW = new Date('2026-11-27T09:15:00.000Z');
const FAILURE_CODES: string[] = Object.values(SIMULATED_FAILURES);

function generate(count: number, options: Partial<TrafficOptions> = {}) {
  const traffic = createTraffic({ tenantId: 'demo', routes, seed: 42, failureShare: 0.1, ...options });
  return Array.from({ length: count }, () => traffic.next(NOW));
}

describe('the traffic simulator', () => {
  it('routes each entity over the connection the Shopify normalizer picks', () => {
    expect(routes).toEqual({
      order: expect.objectContaining({ connectionId: 'shopify-economic-orders', via: 'shopify-webhook', runs: true }),
      product: expect.objectContaining({ connectionId: 'shopify-economic-products', via: 'shopify-webhook' }),
      // Stock flows from e-conomic into Shopify: no Shopify webhook starts it, the engine does.
      stock: expect.objectContaining({
        connectionId: 'economic-shopify-stock',
        via: 'engine',
        label: 'e-conomic > Shopify webshop',
      }),
    });
    const off = resolveRoutes({
      ...demo,
      connections: demo.connections.map((connection) => ({ ...connection, active: connection.entity !== 'order' })),
    });
    expect(off.order?.runs).toBe(false);
    expect(resolveRoutes({ ...demo, systems: demo.systems.filter(({ kind }) => kind !== 'shopify') })).toEqual({});
  });

  it('sends the same traffic for the same seed, and other traffic for another', () => {
    expect(generate(50)).toEqual(generate(50));
    expect(generate(50, { seed: 43 })).not.toEqual(generate(50));
  });

  it('fails about the configured share of transfers', () => {
    for (const failureShare of [0, 0.1, 0.5, 1]) {
      const failed = generate(1000, { failureShare }).filter(({ failure }) => failure).length;
      expect(Math.abs(failed / 1000 - failureShare)).toBeLessThan(0.04);
    }
  });

  it('reports every transfer in valid v1 events, in order, ending in success or a realistic failure', () => {
    const transfers = generate(300, { failureShare: 0.3 });
    for (const transfer of transfers) {
      const events = timeSteps(transfer.steps, NOW);
      for (const event of events) expect(transferEventSchema.safeParse(event).error).toBeUndefined();
      const times = events.map(({ occurredAt }) => Date.parse(occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeGreaterThan(NOW.getTime());
      expect(new Set(events.map(({ id }) => id)).size).toBe(events.length);
      expect(
        events.every(
          ({ transferId, connectionId }) =>
            transferId === transfer.transferId && connectionId === routes[transfer.entity]?.connectionId,
        ),
      ).toBe(true);

      const last = events.at(-1)!;
      if (transfer.failure) {
        expect(last).toMatchObject({ type: 'transfer.failed', error: transfer.failure, stage: { status: 'failed' } });
        expect(FAILURE_CODES).toContain(transfer.failure.code);
        expect(transfer.failure.retryable).toBe(transfer.failure.code === SIMULATED_FAILURES.rateLimited);
      } else {
        expect(last.type).toBe('transfer.succeeded');
        expect(events.find(({ stage }) => stage?.name.startsWith('post to'))?.target?.payload).toBeDefined();
      }

      if (transfer.webhook) {
        expect(shopifyTopicSchema.parse(transfer.webhook.topic)).toBe(transfer.webhook.topic);
        expect(transfer.transferId).toBe(shopifyTransferId(transfer.webhook.webhookId));
        // The service starts a webhook's transfer; the engine reports only its stages.
        expect(events.some(({ type }) => type === 'transfer.started')).toBe(false);
      } else {
        expect(transfer.entity).toBe('stock');
        expect(events[0]).toMatchObject({ type: 'transfer.started', source: { system: 'e-conomic' } });
      }
    }
    const codes = new Set(transfers.flatMap(({ failure }) => (failure ? [failure.code] : [])));
    expect([...codes].sort()).toEqual([...FAILURE_CODES].sort());
    // The demo's stock flows into Shopify, so no inventory_levels/update webhook is sent for it.
    const topics = new Set(transfers.flatMap(({ webhook }) => (webhook ? [webhook.topic] : [])));
    expect([...topics].sort()).toEqual(['orders/create', 'orders/updated', 'products/update']);
  });

  it('numbers orders upwards, with Danish totals that e-conomic receives unchanged', () => {
    const transfers = generate(100, { firstOrderNumber: 1200 });
    const created = transfers.filter(({ webhook }) => webhook?.topic === 'orders/create');
    expect(created.map(({ reference }) => reference)).toEqual(created.map((_, index) => `#${1200 + index}`));
    const updated = transfers.filter(({ webhook }) => webhook?.topic === 'orders/updated');
    expect(updated.length).toBeGreaterThan(0);
    for (const { reference } of updated) expect(created.map((transfer) => transfer.reference)).toContain(reference);

    for (const transfer of created.filter(({ failure }) => !failure)) {
      const order = transfer.webhook!.payload as { currency: string; total_price: string; total_tax: string };
      const draft = timeSteps(transfer.steps, NOW).find(({ target }) => target)!.target!.payload as {
        grossAmount: number;
        vatAmount: number;
      };
      expect(order.currency).toBe('DKK');
      expect(draft.grossAmount).toBe(Number(order.total_price));
      expect(draft.vatAmount).toBe(Number(order.total_tax));
      expect(Math.abs(draft.vatAmount - draft.grossAmount / 5)).toBeLessThanOrEqual(0.01);
    }
  });

  it('sends a held connection its webhooks but no engine events, as an engine waits for it', () => {
    const held = resolveRoutes({
      ...demo,
      connections: demo.connections.map((connection) => ({ ...connection, active: connection.entity !== 'order' })),
    });
    const traffic = createTraffic({ tenantId: 'demo', routes: held, seed: 7, failureShare: 0.5 });
    const orders = Array.from({ length: 40 }, () => traffic.next(NOW)).filter(({ entity }) => entity === 'order');
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) {
      expect(order.webhook).toBeDefined();
      expect(order.steps).toEqual([]);
      expect(order.failure).toBeUndefined();
    }
  });
});
