import type { CheckOutcome, DependencyCheck } from './health';

/** One reading of a consumer group: how far behind, and where its commits stand per partition. */
export interface LagReading {
  lag: number;
  committed: Record<number, string>;
}

export interface ProgressWatchOptions {
  /** The name /healthz shows, e.g. "recorder". */
  name: string;
  /** Reads the group's lag now (src/kafka/health.ts readGroupLag in the service, a plain function in tests). */
  readLag(): Promise<LagReading>;
  /** Behind and no commit moved for longer than this: stuck (RECORDER_STUCK_SECONDS). */
  stuckAfterMs: number;
  /** A reading is reused for this long, so fast /healthz polling does not turn into admin requests. */
  sampleEveryMs?: number;
  now?: () => number;
  /** Told every fresh lag reading (the iex_consumer_lag gauge). */
  onReading?(lag: number): void;
}

export interface ProgressWatch extends DependencyCheck {
  /** The latest verdict, reading the lag again when the last reading is older than `sampleEveryMs`. */
  check(): Promise<CheckOutcome>;
}

/**
 * Tells a consumer group that is stuck from one that is idle or catching up. Idle (lag 0) is fine;
 * behind but committing (the offsets move between readings) is fine; behind with no commit for
 * longer than `stuckAfterMs` is stuck. Before the first reading nothing is known, so the time of
 * the first reading counts as the last progress: a group is never stuck on its first reading.
 *
 * Readings are taken when asked (by /healthz and /metrics), at most once every `sampleEveryMs`;
 * callers that ask meanwhile share the reading in flight or get the last one.
 */
export function createProgressWatch(options: ProgressWatchOptions): ProgressWatch {
  const { name, readLag, stuckAfterMs, sampleEveryMs = 5_000, now = () => Date.now(), onReading } = options;
  let lastCommits: string | undefined;
  let lastProgressAt = 0;
  let verdict: { at: number; outcome: CheckOutcome } | undefined;
  let inFlight: Promise<CheckOutcome> | undefined;

  const observe = (reading: LagReading, at: number): CheckOutcome => {
    onReading?.(reading.lag);
    const commits = JSON.stringify(Object.entries(reading.committed).sort(([a], [b]) => Number(a) - Number(b)));
    // A change seen now happened at some point since the last reading: counting it as now never
    // calls a group stuck too early.
    if (lastCommits === undefined || commits !== lastCommits || reading.lag === 0) lastProgressAt = at;
    lastCommits = commits;
    const still = at - lastProgressAt;
    if (reading.lag > 0 && still > stuckAfterMs) {
      return { problem: `stuck: lag ${reading.lag}, no progress for ${Math.floor(still / 1000)}s` };
    }
    return true;
  };

  const sample = async (): Promise<CheckOutcome> => {
    let outcome: CheckOutcome;
    try {
      const reading = await readLag();
      outcome = observe(reading, now());
    } catch (error) {
      outcome = { problem: `lag unknown: ${error instanceof Error ? error.message : String(error)}` };
    }
    verdict = { at: now(), outcome };
    return outcome;
  };

  return {
    name,
    check() {
      if (verdict && now() - verdict.at < sampleEveryMs) return Promise.resolve(verdict.outcome);
      inFlight ??= sample().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
