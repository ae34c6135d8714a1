/** Runs `fn` once every earlier call with the same key has settled, and returns its result. */
export type KeyedLock = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Serialises async work per key within this process.
 *
 * Why: FerretDB v1 (SQLite backend) applies an update as read, modify, write without isolation,
 * so concurrent `$inc`s on one document lose increments and a conditional update can have
 * several winners. Serialising writes to one document in the process makes them add up there;
 * on MongoDB the lock is merely redundant.
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
