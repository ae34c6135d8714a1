/**
 * Store operations of bounded size. FerretDB v1 holds one of its 100 SQLite connections per
 * update statement in flight and hangs for good past that (see withUpdateSlots); a long `$in` list
 * is filtered outside any index. So every bulk and every fan-out here has a ceiling, set once at
 * start from STORE_BULK_MAX (default 25).
 */
let bulkMax = 25;

export function setStoreBulkMax(value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`STORE_BULK_MAX must be a whole number ≥ 1, got ${value}`);
  bulkMax = value;
}

export const storeBulkMax = (): number => bulkMax;

/**
 * Documents per bulk insert. Inserts are not bounded by STORE_BULK_MAX: that bound is for update
 * statements, each of which holds a connection on FerretDB. A bulk of 250 ~2.5 KB documents
 * costs 0.05 ms a document there, one of 25 costs 0.12 ms (2026-12-02, this project's machine);
 * beyond 250 it gains nothing, and the driver splits any bulk larger than a wire message.
 */
export const INSERT_BULK_MAX = 250;

/** `items` in consecutive slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number = bulkMax): T[][] {
  const slices: T[][] = [];
  for (let at = 0; at < items.length; at += size) slices.push(items.slice(at, at + size));
  return slices;
}

/** Maps with at most `limit` calls in flight; results keep the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * FerretDB v1 keeps each update statement's read cursor — and so one of the database's 100 SQLite
 * connections — open until the whole update command returns, and needs one more connection to
 * write. Update statements in flight at once beyond about 100 (a bulk counts each statement)
 * therefore hold every connection while each waits for one more: the database hangs for good.
 * Every update this service sends in bulk or fans out goes through these slots; their number
 * (STORE_UPDATE_CONCURRENCY, default 40) times the instances sharing one embedded store must stay
 * well under 100.
 */
let updateSlots = 40;
let updatesInFlight = 0;
let slotWaiters: Array<() => void> = [];

export function setStoreUpdateConcurrency(value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`STORE_UPDATE_CONCURRENCY must be a whole number ≥ 1, got ${value}`);
  }
  updateSlots = value;
}

/** Runs `send`, an update command of `statements` statements, once that many slots are free. */
export async function withUpdateSlots<T>(statements: number, send: () => Promise<T>): Promise<T> {
  const need = Math.max(1, Math.min(statements, updateSlots));
  while (updatesInFlight + need > updateSlots) {
    await new Promise<void>((resolve) => slotWaiters.push(resolve));
  }
  updatesInFlight += need;
  try {
    return await send();
  } finally {
    updatesInFlight -= need;
    const waiting = slotWaiters;
    slotWaiters = [];
    for (const wake of waiting) wake();
  }
}
