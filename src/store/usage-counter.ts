import { type UsageOutcome, USAGE_OUTCOMES } from '../domain/closed-lists';
import type { Entity } from '../domain/events';
import { ENTITIES } from '../domain/events';
import type { Models } from './models';
import { usageDocId } from './models';
import { mapBounded, storeBulkMax } from './bounded';
import { bulkUpsert } from './errors';
import { listPartition, tenantPartitions } from './transfer-views';

/** One counted outcome, at the offset of the message that caused it. */
export interface UsageDelta {
  /** 'YYYY-MM-DD' within the period, in the tenant's time zone. */
  day: string;
  entity: Entity;
  outcome: UsageOutcome;
  /** Orders counted against the allowance (the first success of an order transfer). */
  orders?: number;
  offset: number;
}

export interface PartitionUsage {
  tenantId: string;
  /** 'YYYY-MM', in the tenant's time zone. */
  period: string;
  partition: number;
  deltas: UsageDelta[];
}

const PERIOD = /^\d{4}-\d{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function increments(period: string, deltas: UsageDelta[]): Record<string, number> {
  const $inc: Record<string, number> = {};
  const add = (path: string, value: number) => {
    $inc[path] = ($inc[path] ?? 0) + value;
  };
  for (const { day, entity, outcome, orders } of deltas) {
    // `day` becomes part of a field path, so anything but a plain date could write elsewhere.
    if (!DAY.test(day) || !day.startsWith(`${period}-`)) throw new Error(`bad usage day ${day} for period ${period}`);
    add(`counters.${entity}.${outcome}`, 1);
    add(`days.${day}.${entity}.${outcome}`, 1);
    if (orders) add('ordersUsed', orders);
  }
  return $inc;
}

/**
 * Adds the deltas of one partition's messages to the tenant's usage document for that partition.
 * Deltas at or below the document's `lastOffset` were counted before (a replay) and are skipped,
 * so applying the same batch twice changes nothing. Read and written by `_id` only, so the cost
 * does not grow with the number of tenants and months stored.
 *
 * @returns how many deltas were new.
 */
export async function applyPartitionUsage(
  models: Pick<Models, 'Usage' | 'TransferView'>,
  usage: PartitionUsage,
): Promise<number> {
  return (await applyPartitionUsages(models, [usage]))[0]!;
}

/**
 * `applyPartitionUsage` for several tenants and periods of one batch: one read by `_id` each, then
 * the increments in one bounded bulk.
 *
 * @returns how many deltas of each usage were new.
 */
export async function applyPartitionUsages(
  models: Pick<Models, 'Usage' | 'TransferView'>,
  usages: PartitionUsage[],
): Promise<number[]> {
  for (const { period } of usages) if (!PERIOD.test(period)) throw new Error(`bad usage period: ${period}`);
  const collection = models.Usage.collection;
  const current = await mapBounded(usages, 8, ({ tenantId, period, partition }) =>
    collection.findOne({ _id: usageDocId(tenantId, period, partition) as never }, { projection: { lastOffset: 1 } }),
  );
  const now = new Date();
  const counted: number[] = [];
  const writes: object[] = [];
  for (const [index, { tenantId, period, partition, deltas }] of usages.entries()) {
    const lastOffset = (current[index]?.lastOffset as number | undefined) ?? -1;
    const fresh = deltas.filter(({ offset }) => offset > lastOffset);
    counted.push(fresh.length);
    if (fresh.length === 0) continue;
    if (!current[index]) await recordPartition(models, tenantId, partition);
    writes.push({
      updateOne: {
        filter: { _id: usageDocId(tenantId, period, partition) },
        update: {
          $inc: increments(period, fresh),
          $set: { lastOffset: Math.max(...fresh.map(({ offset }) => offset)), updatedAt: now },
          $setOnInsert: { tenantId, period, partition, createdAt: now },
        },
        upsert: true,
      },
    });
  }
  await bulkUpsert(collection, writes, storeBulkMax());
  return counted;
}

/** Remembers that `tenantId` has documents of `partition` (read back by tenantPartitions). */
export const recordPartition = (models: Pick<Models, 'TransferView'>, tenantId: string, partition: number) =>
  listPartition(models, tenantId, partition);

type Counts = Record<UsageOutcome, number>;
export interface UsageSummary {
  period: string;
  ordersUsed: number;
  counters: Record<Entity, Counts>;
  /** Day buckets, oldest first. */
  days: Array<{ day: string } & Record<Entity, Counts>>;
}

const zeroCounts = (): Counts => Object.fromEntries(USAGE_OUTCOMES.map((outcome) => [outcome, 0])) as Counts;
const zeroEntities = (): Record<Entity, Counts> =>
  Object.fromEntries(ENTITIES.map((entity) => [entity, zeroCounts()])) as Record<Entity, Counts>;

/** A tenant's usage in a period: the sum of its partitions' documents, each read by `_id`. */
export async function readUsage(
  models: Pick<Models, 'Usage' | 'TransferView'>,
  tenantId: string,
  period: string,
): Promise<UsageSummary> {
  const partitions = await tenantPartitions(models, tenantId);
  const found = await mapBounded(partitions, 8, (partition) =>
    models.Usage.collection.findOne({ _id: usageDocId(tenantId, period, partition) as never }),
  );
  const docs = found.filter((doc) => doc !== null);
  const counters = zeroEntities();
  const days = new Map<string, Record<Entity, Counts>>();
  let ordersUsed = 0;
  const addInto = (target: Record<Entity, Counts>, source: unknown) => {
    const counts = source as Partial<Record<Entity, Partial<Counts>>> | undefined;
    for (const entity of ENTITIES) {
      for (const outcome of USAGE_OUTCOMES) target[entity][outcome] += counts?.[entity]?.[outcome] ?? 0;
    }
  };
  for (const doc of docs) {
    ordersUsed += doc.ordersUsed ?? 0;
    addInto(counters, doc.counters);
    const docDays = (doc.days ?? {}) as Record<string, unknown>;
    for (const [day, counts] of Object.entries(docDays)) {
      const bucket = days.get(day) ?? zeroEntities();
      addInto(bucket, counts);
      days.set(day, bucket);
    }
  }
  return {
    period,
    ordersUsed,
    counters,
    days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, counts]) => ({ day, ...counts })),
  };
}
