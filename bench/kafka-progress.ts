import type { Admin } from 'kafkajs';

/** How far a consumer group has committed on a topic, summed over partitions. */
export interface GroupProgress {
  /** Messages committed by the group (offsets below its committed offset). */
  committed: number;
  /** Messages on the topic (its end offsets). */
  end: number;
}

/**
 * Reads the group's committed offsets and the topic's end offsets. Cheap for the broker, and it
 * does not touch the store: counting documents on FerretDB v1 scans the whole collection.
 */
export async function groupProgress(admin: Admin, groupId: string, topic: string): Promise<GroupProgress> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  let done = 0;
  let end = 0;
  for (const partition of ends) {
    const last = Number(partition.offset);
    const mark = Number(committed?.partitions.find((p) => p.partition === partition.partition)?.offset ?? '-1');
    end += last;
    done += mark < 0 ? 0 : Math.min(mark, last);
  }
  return { committed: done, end };
}

/** Why waiting ended without the group catching up. */
export class WaitAborted extends Error {
  constructor(
    readonly reason: 'stalled' | 'deadline',
    message: string,
  ) {
    super(message);
    this.name = 'WaitAborted';
  }
}

/**
 * Polls until the group has committed everything on the topic. The recorder commits a batch only
 * after its store writes, so "caught up" means every event has landed. Throws WaitAborted when no
 * offset moved for `stallMs`, or at `deadlineMs` (a performance.now() instant).
 */
export async function waitUntilCaughtUp(
  read: () => Promise<GroupProgress>,
  options: {
    stallMs: number;
    deadlineMs: number;
    intervalMs?: number;
    /** Messages committed before the ones waited for; messages report counts after it. */
    base?: number;
    onProgress?: (progress: GroupProgress) => void;
  },
): Promise<GroupProgress> {
  const base = options.base ?? 0;
  const done = (progress: GroupProgress) => `${progress.committed - base} of ${progress.end - base} messages committed`;
  let last = -1;
  let lastMove = performance.now();
  for (;;) {
    const progress = await read();
    if (progress.committed >= progress.end) return progress;
    const now = performance.now();
    if (progress.committed !== last) {
      last = progress.committed;
      lastMove = now;
      options.onProgress?.(progress);
    } else if (now - lastMove > options.stallMs) {
      throw new WaitAborted(
        'stalled',
        `the pipeline stalled: the recorder committed nothing for ${Math.round(options.stallMs / 1000)} s ` +
          `(${done(progress)})`,
      );
    }
    if (now >= options.deadlineMs) {
      throw new WaitAborted('deadline', `the pipeline did not catch up in time (${done(progress)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
