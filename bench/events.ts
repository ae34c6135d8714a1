import type { Entity, TransferEvent } from '../src/domain/events';

const ENTITY_CONNECTIONS: Record<Entity, string> = { order: 'orders', product: 'products', stock: 'stock' };
const ENTITY_CYCLE: Entity[] = ['order', 'order', 'product', 'stock'];

export function sourcePayload(entity: Entity, n: number): Record<string, unknown> {
  switch (entity) {
    case 'order':
      return {
        id: 5_000_000_000 + n,
        name: `#${100_000 + n}`,
        email: `customer${n}@example.com`,
        created_at: '2025-03-14T09:26:53+01:00',
        currency: 'DKK',
        total_price: '1249.00',
        subtotal_price: '999.20',
        total_tax: '249.80',
        financial_status: 'paid',
        customer: { id: 7_000_000 + (n % 997), first_name: 'Karen', last_name: 'Jensen' },
        shipping_address: { address1: 'Vestergade 12', city: 'Aarhus', zip: '8000', country_code: 'DK' },
        line_items: [
          { id: 1, sku: `SKU-${n % 311}`, title: 'Wool sweater, navy, M', quantity: 1, price: '799.00' },
          { id: 2, sku: `SKU-${(n + 7) % 311}`, title: 'Knitted beanie, grey', quantity: 2, price: '225.00' },
        ],
      };
    case 'product':
      return {
        id: 8_000_000_000 + n,
        title: 'Wool sweater',
        vendor: 'Nordic Knit',
        product_type: 'Sweaters',
        tags: 'wool, winter, navy',
        body_html: '<p>A warm sweater of Danish wool, knitted in Aarhus. Machine washable at 30 degrees.</p>',
        variants: [
          { id: 1, sku: `SKU-${n % 311}-S`, price: '799.00', inventory_quantity: 12, barcode: '5701234567890' },
          { id: 2, sku: `SKU-${n % 311}-M`, price: '799.00', inventory_quantity: 4, barcode: '5701234567891' },
          { id: 3, sku: `SKU-${n % 311}-L`, price: '799.00', inventory_quantity: 0, barcode: '5701234567892' },
        ],
      };
    case 'stock':
      return {
        inventory_item_id: 9_000_000 + n,
        location_id: 61_000_123,
        sku: `SKU-${n % 311}-M`,
        available: n % 50,
        updated_at: '2025-03-14T09:26:53+01:00',
        locations: [
          { id: 61_000_123, name: 'Aarhus warehouse', available: n % 50 },
          { id: 61_000_124, name: 'Copenhagen store', available: (n * 3) % 20 },
        ],
      };
  }
}

export function targetPayload(entity: Entity, n: number): Record<string, unknown> {
  return {
    system: 'e-conomic',
    entity,
    number: 20_000 + n,
    date: '2025-03-14',
    currency: 'DKK',
    customer: { customerNumber: 1000 + (n % 997) },
    layout: { layoutNumber: 19 },
    self: `https://restapi.e-conomic.com/${entity}s/drafts/${20_000 + n}`,
  };
}

/**
 * The events of a run: one transfer per event, entities order/order/product/stock in turn, three
 * in four `transfer.succeeded` (with source and target data) and one in four `transfer.started`.
 * About 1 KB each as JSON.
 */
export function makeEvents(tenantId: string, runId: string, count: number, now = new Date()): TransferEvent[] {
  const occurredAt = now.toISOString();
  return Array.from({ length: count }, (_, n): TransferEvent => {
    const entity = ENTITY_CYCLE[n % ENTITY_CYCLE.length]!;
    const succeeded = n % 4 !== 3;
    return {
      id: `ev-${runId}-${n}`,
      type: succeeded ? 'transfer.succeeded' : 'transfer.started',
      tenantId,
      transferId: `tr-${runId}-${n}`,
      connectionId: ENTITY_CONNECTIONS[entity],
      entity,
      operation: n % 3 === 0 ? 'update' : 'create',
      occurredAt,
      reference: entity === 'order' ? `#${100_000 + n}` : `SKU-${n % 311}`,
      source: { system: 'shopify', format: 'shopify-json', payload: sourcePayload(entity, n) },
      ...(succeeded
        ? { target: { system: 'e-conomic', format: 'economic-rest', payload: targetPayload(entity, n) } }
        : {}),
    };
  });
}

/** Request bodies of `batch` events each, in the `{ "events": [...] }` form. */
export function batchBodies(events: readonly TransferEvent[], batch: number): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < events.length; start += batch) {
    bodies.push(JSON.stringify({ events: events.slice(start, start + batch) }));
  }
  return bodies;
}
