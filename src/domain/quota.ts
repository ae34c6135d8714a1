/**
 * Quota rules, pure. The allowance of a period is the plan's included orders plus the period's
 * top-ups; each order transferred successfully for the first time uses one unit of it.
 */

/** Thresholds (percent of the allowance) that `used` has reached, lowest first. */
export function thresholdsReached(used: number, allowance: number, thresholds: readonly number[]): number[] {
  if (allowance <= 0) return used > 0 ? [...thresholds].sort((a, b) => a - b) : [];
  // Integer comparison: used / allowance >= t / 100, without floating point.
  return [...thresholds].filter((t) => used * 100 >= t * allowance).sort((a, b) => a - b);
}

export interface AutoTopUpPlan {
  /** Packs to buy now, each with its sequence number in the period (1-based). */
  buy: number[];
  /** Still over the allowance after buying (auto top-up off or its limit reached): hold orders. */
  exceeded: boolean;
}

/**
 * How many automatic packs the period needs so that `used` fits the allowance again. Packs are
 * numbered per period, so the number doubles as an idempotency key: the n-th pack is bought once.
 */
export function planAutoTopUp(input: {
  used: number;
  allowance: number;
  enabled: boolean;
  packOrders: number;
  autoPacksSoFar: number;
  maxPerPeriod: number;
}): AutoTopUpPlan {
  const over = input.used - input.allowance;
  if (over <= 0) return { buy: [], exceeded: false };
  if (!input.enabled || input.packOrders <= 0) return { buy: [], exceeded: true };
  const needed = Math.ceil(over / input.packOrders);
  const room = Math.max(0, input.maxPerPeriod - input.autoPacksSoFar);
  const count = Math.min(needed, room);
  return {
    buy: Array.from({ length: count }, (_, i) => input.autoPacksSoFar + i + 1),
    exceeded: count < needed,
  };
}
