/**
 * The growth benchmark's history: months of already-recorded transfers of 20 tenants, written
 * through the recorder's own `handle` (consumers/transfer-recorder.ts), so the store holds
 * whatever shape the recorder writes, with none of HTTP or Kafka's cost on the way in.
 */
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import type { DecodedMessage } from '../src/kafka/consumer-runner';
import { transferKey, type Entity, type TransferEvent } from '../src/domain/events';
import { sourcePayload, targetPayload } from './events';

/** What pre-filling needs of the recorder: its batch handler, exactly as the consumer runner calls it. */
export interface RecorderHandle {
  handle(messages: DecodedMessage<TransferEvent>[]): Promise<unknown>;
}

export const HISTORY_TENANTS = 20;
const HISTORY_DAYS = 60;
/** Messages per `handle` call: the consumer runner's largest batch. */
const BATCH = 500;
const DAY_MS = 24 * 60 * 60_000;
/** Tries of one batch, as the consumer runner's bounded retries. */
const MAX_ATTEMPTS = 5;

const CONNECTIONS: Record<Entity, string> = { order: 'orders', product: 'products', stock: 'stock' };
const ERRORS = [
  { code: 'VAT_CODE_MISSING', message: 'The VAT code of the order line is not set up in e-conomic.', retryable: false },
  { code: 'CUSTOMER_NOT_FOUND', message: 'Customer 1042 does not exist in e-conomic.', retryable: false },
  { code: 'RATE_LIMITED', message: 'e-conomic answered 429 Too Many Requests.', retryable: true },
];

/** mulberry32: a small seeded generator, so a history is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A transfer of the history the chat benchmark can look up. */
export interface KnownTransfer {
  tenantId: string;
  transferId: string;
  status: 'succeeded' | 'failed' | 'held';
}

export interface PrefillProgress {
  events: number;
  target: number;
  elapsedMs: number;
}

/**
 * Writes history into the store in steps (`fillTo`), each continuing where the last stopped.
 *
 * A transfer is 3 events (started, a stage, succeeded or failed; ~5% fail, ~1% are held: started
 * and held), about 1 KB each, at a time spread over the last 60 days; 60% orders (references
 * #10001…), 25% products, 15% stock; tenants drawn at random.
 *
 * Offsets. The recorder keeps an event's first delivery (partition, offset) and counts usage per
 * (tenant, period, partition) only above the document's `lastOffset` (src/store/usage-counter.ts).
 * So each event goes to the partition Kafka's default partitioner gives its key over the live
 * topic's partition count, at an offset that only grows per partition across steps: the history
 * tenants' usage counts every event once, as if the recorder had consumed a long topic. The live
 * bursts run on a fresh namespace whose offsets start at 0 again, but only for tenants of their
 * own, whose usage documents the history never touched; the two never meet.
 */
export function createHistory(options: { runId: string; partitions: number; endsAt: Date }) {
  const { runId, partitions } = options;
  const tenants = Array.from({ length: HISTORY_TENANTS }, (_, n) => `hist-${runId}-${String(n + 1).padStart(2, '0')}`);
  const rand = random(0x1ee7);
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId): PartitionMetadata => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  const partitionOf = (key: string) =>
    partitioner({ topic: 'transfers', partitionMetadata, message: { key, value: null } });
  const nextOffset = new Array<number>(partitions).fill(0);
  const orderNumber = new Map<string, number>();
  const known: KnownTransfer[] = [];
  let transfers = 0;
  let written = 0;
  let retries = 0;

  /** A transfer's events, `at` its start. */
  const transferEvents = (tenantId: string, at: number): TransferEvent[] => {
    const n = transfers++;
    const draw = rand();
    const entity: Entity = draw < 0.6 ? 'order' : draw < 0.85 ? 'product' : 'stock';
    const outcome = rand();
    const status: KnownTransfer['status'] = outcome < 0.01 ? 'held' : outcome < 0.06 ? 'failed' : 'succeeded';
    const transferId = `h${runId}-${n}`;
    let reference = `SKU-${n % 311}`;
    if (entity === 'order') {
      const number = (orderNumber.get(tenantId) ?? 10_000) + 1;
      orderNumber.set(tenantId, number);
      reference = `#${number}`;
    }
    const base = {
      tenantId,
      transferId,
      connectionId: CONNECTIONS[entity],
      entity,
      operation: rand() < 0.7 ? ('create' as const) : ('update' as const),
      reference,
    };
    const when = (ms: number) => new Date(at + ms).toISOString();
    const source = { system: 'shopify', format: 'shopify-json', payload: sourcePayload(entity, n) };
    const events: TransferEvent[] = [
      { ...base, id: `${transferId}-1`, type: 'transfer.started', occurredAt: when(0), source },
    ];
    if (status === 'held') {
      events.push({
        ...base,
        id: `${transferId}-2`,
        type: 'transfer.held',
        occurredAt: when(200),
        hold: { reason: 'module_off', message: `The ${CONNECTIONS[entity]} module is deactivated (Settings).` },
      });
    } else {
      events.push({
        ...base,
        id: `${transferId}-2`,
        type: 'transfer.stage',
        occurredAt: when(800),
        stage: { name: 'map', status: 'succeeded', message: `Mapped ${entity} ${reference} to e-conomic.` },
      });
      events.push(
        status === 'failed'
          ? {
              ...base,
              id: `${transferId}-3`,
              type: 'transfer.failed',
              occurredAt: when(2_400),
              source,
              error: ERRORS[n % ERRORS.length]!,
            }
          : {
              ...base,
              id: `${transferId}-3`,
              type: 'transfer.succeeded',
              occurredAt: when(2_100),
              source,
              target: { system: 'e-conomic', format: 'economic-rest', payload: targetPayload(entity, n) },
            },
      );
    }
    if (status !== 'succeeded' || known.length < 1000) known.push({ tenantId, transferId, status });
    return events;
  };

  return {
    tenants,
    /** Batches handed to the recorder again after it threw. */
    retries: () => retries,
    /** Events written so far. */
    written: () => written,
    /** Transfers of the history (all failed and held ones, the first succeeded ones). */
    known: () => known,
    /**
     * Writes events until `target` are stored, in batches of one partition of ~500 messages
     * (whole transfers), each through `recorder.handle`: one after the other within a partition,
     * the partitions side by side. Times spread evenly, with jitter, over the 60 days before `endsAt`.
     */
    async fillTo(
      target: number,
      recorder: RecorderHandle,
      hooks: {
        onProgress?: (progress: PrefillProgress) => void;
        onRetry?: (error: Error, partition: number) => void;
        deadlineMs?: number;
      } = {},
    ): Promise<{ events: number; elapsedMs: number }> {
      const start = performance.now();
      const from = written;
      const buffers = Array.from({ length: partitions }, (): DecodedMessage<TransferEvent>[] => []);
      const flush = async (partition: number) => {
        const batch = buffers[partition]!;
        if (batch.length === 0) return;
        buffers[partition] = [];
        if (hooks.deadlineMs !== undefined && performance.now() > hooks.deadlineMs) {
          throw new Error(`the pre-fill did not reach ${target} events in time (${written} written)`);
        }
        // As the consumer runner does: a batch that throws is handed over again (handle is idempotent).
        for (let attempt = 1; ; attempt += 1) {
          try {
            await recorder.handle(batch);
            break;
          } catch (error) {
            if (attempt >= MAX_ATTEMPTS) throw error;
            retries += 1;
            hooks.onRetry?.(error as Error, partition);
            await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          }
        }
        written += batch.length;
        hooks.onProgress?.({ events: written - from, target: target - from, elapsedMs: performance.now() - start });
      };
      const endsAt = options.endsAt.getTime();
      const span = HISTORY_DAYS * DAY_MS;
      const count = Math.max(0, target - written);
      let generated = 0;
      while (generated < count) {
        // Later events of this step are later in time; each step covers the whole 60 days again.
        const at = endsAt - span + Math.floor(((generated + rand() * 3) / Math.max(1, count)) * span);
        const tenantId = tenants[Math.floor(rand() * tenants.length)]!;
        const events = transferEvents(tenantId, Math.min(at, endsAt - 10_000));
        const key = transferKey(events[0]!);
        const partition = partitionOf(key);
        for (const event of events) {
          buffers[partition]!.push({
            value: event,
            key,
            topic: 'iex.transfers.v1',
            partition,
            offset: String(nextOffset[partition]!++),
          });
        }
        generated += events.length;
        // Once every partition has a batch, the partitions' batches run side by side, as the
        // partitions' owners would (each partition's batches stay one after the other).
        if (buffers.every((buffer) => buffer.length >= BATCH)) {
          await Promise.all(buffers.map((_, index) => flush(index)));
        }
      }
      await Promise.all(buffers.map((_, index) => flush(index)));
      return { events: written - from, elapsedMs: performance.now() - start };
    },
  };
}
