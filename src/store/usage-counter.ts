import type { Entity } from '../domain/events';
import { ENTITIES } from '../domain/events';
import type { Models, UsageOutcome } from './models';
import { USAGE_OUTCOMES } from './models';

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

/** Thrown when another writer moved the document between our read and our write; retry the batch. */
export class UsageWriteConflict extends Error {
  constructor(key: string) {
    super(`usage ${key} changed while it was being counted`);
    this.name = 'UsageWriteConflict';
  }
}

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
 * so applying the same batch twice changes nothing.
 *
 * @returns how many deltas were new.
 */
export async function applyPartitionUsage(Usage: Models['Usage'], usage: PartitionUsage): Promise<number> {
  const { tenantId, period, partition } = usage;
  if (!PERIOD.test(period)) throw new Error(`bad usage period: ${period}`);
  const key = { tenantId, period, partition };
  const current = await Usage.findOne(key, { lastOffset: 1 }).lean();
  const lastOffset = current?.lastOffset ?? -1;
  const fresh = usage.deltas.filter(({ offset }) => offset > lastOffset);
  if (fresh.length === 0) return 0;
  const $inc = increments(period, fresh);
  const newLastOffset = Math.max(...fresh.map(({ offset }) => offset));

  if (!current) {
    // An upsert that inserts; if another writer inserted first, the unique index says so (11000).
    await Usage.updateOne({ ...key, lastOffset: -1 }, { $inc, $max: { lastOffset: newLastOffset } }, { upsert: true });
    return fresh.length;
  }
  const result = await Usage.updateOne({ ...key, lastOffset }, { $inc, $set: { lastOffset: newLastOffset } });
  if (result.matchedCount === 0) throw new UsageWriteConflict(`${tenantId}/${period}/${partition}`);
  return fresh.length;
}

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

/** A tenant's usage in a period: the sum of its partitions' documents. */
export async function readUsage(Usage: Models['Usage'], tenantId: string, period: string): Promise<UsageSummary> {
  const docs = await Usage.find({ tenantId, period }).lean();
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
