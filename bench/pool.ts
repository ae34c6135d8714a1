/**
 * Runs `worker(0) … worker(count - 1)` with at most `concurrency` in flight, each worker taking
 * the next index as soon as it is free (a closed-loop load generator). Rejects on the first
 * failure; workers already running finish, but no new index is started after it.
 */
export async function runPool(
  count: number,
  concurrency: number,
  worker: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await worker(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
}
