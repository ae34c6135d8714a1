/**
 * Remembers which deliveries were handled, for long enough to outlast Slack's retries (at most
 * three: at once, after a minute, after five minutes), in memory and bounded.
 *
 * In memory is enough for one instance: Slack retries to the same URL, and a retry only happens
 * when the first delivery was not acknowledged in time. Several instances behind a load balancer
 * would need the set in the store (an insert on a unique index, see store/errors.ts).
 */
export interface Deliveries {
  /** True the first time a key is seen within the window; false for a repeat. */
  firstTime(key: string): boolean;
}

export function createDeliveries({
  ttlMs = 30 * 60 * 1000,
  maxEntries = 50_000,
  now = () => Date.now(),
}: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): Deliveries {
  // A Map iterates in insertion order, so the oldest entries come first when pruning.
  const seen = new Map<string, number>();
  const prune = (at: number) => {
    for (const [key, expires] of seen) {
      if (expires > at && seen.size <= maxEntries) break;
      seen.delete(key);
    }
  };
  return {
    firstTime(key) {
      const at = now();
      prune(at);
      if (seen.has(key)) return false;
      seen.set(key, at + ttlMs);
      return true;
    },
  };
}
