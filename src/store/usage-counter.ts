import type { Entity } from '../domain/events';
import { createKeyedLock } from './keyed-lock';
import type { Models, UsageOutcome } from './models';

export interface UsageIncrement {
  tenantId: string;
  /** 'YYYY-MM', in the tenant's time zone. */
  period: string;
  /** 'YYYY-MM-DD' within `period`. */
  day: string;
  entity: Entity;
  outcome: UsageOutcome;
  /** Default 1. */
  count?: number;
  /** Orders to count against the subscription; default 0. */
  orders?: number;
}

const PERIOD = /^\d{4}-\d{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filter and update of one usage increment: a single `$inc` that reaches the period counter,
 * the day bucket and `ordersUsed`, applied with `upsert: true`.
 */
export function usageUpdate(inc: UsageIncrement) {
  // `day` becomes part of a field path, so anything but a plain date could write elsewhere.
  if (!PERIOD.test(inc.period)) throw new Error(`bad usage period: ${inc.period}`);
  if (!DAY.test(inc.day) || !inc.day.startsWith(`${inc.period}-`)) {
    throw new Error(`bad usage day ${inc.day} for period ${inc.period}`);
  }
  const count = inc.count ?? 1;
  const $inc: Record<string, number> = {
    [`counters.${inc.entity}.${inc.outcome}`]: count,
    [`days.${inc.day}.${inc.entity}.${inc.outcome}`]: count,
  };
  if (inc.orders) $inc.ordersUsed = inc.orders;
  return { filter: { tenantId: inc.tenantId, period: inc.period }, update: { $inc } };
}

const lock = createKeyedLock();

/**
 * Adds one increment to the tenant's usage document, creating it if needed. Increments of the same
 * document are serialised in this process, because FerretDB v1 loses concurrent `$inc`s (see
 * keyed-lock.ts); separate processes writing one tenant's usage on FerretDB can still lose counts.
 */
export async function incrementUsage(Usage: Models['Usage'], inc: UsageIncrement): Promise<void> {
  const { filter, update } = usageUpdate(inc);
  await lock(`${Usage.db.name}/${inc.tenantId}/${inc.period}`, () => Usage.updateOne(filter, update, { upsert: true }));
}
