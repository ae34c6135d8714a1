import type { Entity, TransferEvent } from '../src/domain/events';
import { sourcePayload, targetPayload } from '../bench/events';
import { createRandom } from '../src/simulator/random';

const ENTITY_CYCLE: Entity[] = ['order', 'order', 'product', 'stock'];
const CONNECTIONS: Record<Entity, string> = { order: 'orders', product: 'products', stock: 'stock' };

/** What a run sends: every event once, plus the deliveries an engine repeats. */
export interface Workload {
  /** Distinct events, by id. */
  events: Map<string, TransferEvent>;
  /** Event ids in the order they are sent: shuffled, with repeats. */
  sends: string[];
  transfers: number;
}

/**
 * Payload keys a shop may really send and a store could take for operators or paths: kept as
 * data, shown back unchanged. Every tenth transfer carries them.
 */
function hostile(n: number): Record<string, unknown> {
  let nested: Record<string, unknown> = { leaf: `depth-${n}` };
  for (let depth = 0; depth < 20; depth += 1) nested = { [`$level${depth}`]: nested };
  return { $where: 'sleep(1000)', 'a.b': { $gt: '' }, note: 'ø'.repeat(2_000), nested };
}

/**
 * `transfers` transfers as an integration engine reports them, one event per request:
 * `transfer.started` then `transfer.succeeded`, or `transfer.failed`; one failed transfer in
 * three is retried by the engine and succeeds (a third event). A tenth of the events are sent
 * twice, and everything is shuffled, so a transfer's events arrive out of order and on either
 * instance.
 */
export function makeWorkload(tenantId: string, runId: string, transfers: number, seed: number): Workload {
  const random = createRandom(seed);
  const events = new Map<string, TransferEvent>();
  const base = Date.now();
  for (let n = 0; n < transfers; n += 1) {
    const entity = ENTITY_CYCLE[n % ENTITY_CYCLE.length]!;
    const transferId = `tr-${runId}-${n}`;
    const common = {
      tenantId,
      transferId,
      connectionId: CONNECTIONS[entity],
      entity,
      operation: n % 3 === 0 ? ('update' as const) : ('create' as const),
      reference: entity === 'order' ? `#${100_000 + n}` : `SKU-${n % 311}`,
    };
    const payload = { ...sourcePayload(entity, n), ...(n % 10 === 0 ? hostile(n) : {}) };
    const source = { system: 'shopify', format: 'shopify-json', payload };
    const at = (step: number) => new Date(base + n * 10 + step).toISOString();
    const add = (event: TransferEvent) => events.set(event.id, event);
    add({ ...common, id: `ev-${runId}-${n}-s`, type: 'transfer.started', occurredAt: at(0), source });
    const fails = n % 5 === 4;
    if (fails) {
      add({
        ...common,
        id: `ev-${runId}-${n}-f`,
        type: 'transfer.failed',
        occurredAt: at(1),
        source,
        error: {
          code: 'economic.customer_missing',
          message: `Customer ${1000 + (n % 997)} does not exist`,
          retryable: true,
        },
      });
    }
    if (!fails || n % 15 === 14) {
      add({
        ...common,
        id: `ev-${runId}-${n}-ok`,
        type: 'transfer.succeeded',
        occurredAt: at(2),
        source,
        target: { system: 'e-conomic', format: 'economic-rest', payload: targetPayload(entity, n) },
      });
    }
  }
  const sends = [...events.keys()];
  for (const id of [...sends]) if (random.chance(0.1)) sends.push(id);
  for (let i = sends.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [sends[i], sends[j]] = [sends[j]!, sends[i]!];
  }
  return { events, sends, transfers };
}
