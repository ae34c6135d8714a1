/** Command-line options of bench/pipeline.ts. */
export interface BenchOptions {
  events: number;
  batch: number;
  concurrency: number;
  json: boolean;
  /** Budget of the whole run (services already up); waiting for the pipeline ends early enough to report and clean up. */
  timeoutSeconds: number;
  /** Give up waiting when the recorder committed nothing for this many seconds. */
  stallSeconds: number;
  /** Only drop what earlier, aborted runs left behind, then exit. */
  cleanup: boolean;
  /**
   * --history: the growth benchmark, measuring at each of these store sizes (ascending, events
   * already recorded); undefined runs the single pipeline benchmark.
   */
  history?: number[];
  /**
   * --rate: events per second offered to the service (requests start no faster than this, still
   * at most --concurrency in flight); undefined sends as fast as answers come back (a burst).
   */
  rate?: number;
}

export const USAGE = `Usage: npm run bench -- [options]
  --events N        transfer events to push (default 5000)
  --batch B         events per request, 1-500 (default 50; the service takes at most 500)
  --concurrency C   requests in flight, 1-256 (default 8)
  --timeout S       budget of the whole run in seconds, 60-3600 (default 90; with --history 60-14400,
                    default 3600); when the pipeline has not persisted everything in time, the
                    figures cover what it did persist
  --stall S         stop waiting when the recorder commits nothing for S seconds (default 20)
  --rate R          offer the service R events/s (1-100000) instead of a burst: accepted → recorded
                    then shows the latency at a steady load, not the backlog of a burst (the
                    baselines still run flat out)
  --history H,H,…   growth benchmark: pre-fill the store with H recorded events of 20 tenants
                    (60 days of history) and measure at each size, growing in one database, e.g.
                    0,50000,200000,1000000 (ascending, each 0-5000000). Per size: pipeline burst,
                    raw insertMany, ingest vs bare HTTP, and the chat answers (status, log failed,
                    a transfer's detail; 30 runs each). Changes the defaults to --events 3000
                    --batch 1 --concurrency 32 --timeout 3600 (--timeout up to 14400); writes
                    bench/results/growth-<date>.json. Pre-filling 1,000,000 takes several minutes.
  --json            print one JSON object instead of the table
  --cleanup         drop the databases, topics and groups that aborted runs left behind
                    (iex_bench_*, bench-*), then exit; only while no other bench is running
  --help            this text

Kafka and the store come from KAFKA_BROKERS / MONGO_URL, or are started locally (and left up).`;

/** A bad command line; the message says which option and what it should be. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

/** Largest history size --history takes; above it the pre-fill alone outlasts any --timeout. */
export const MAX_HISTORY = 5_000_000;
/** Most sizes one run measures. */
const MAX_HISTORY_STEPS = 10;
/** --timeout above this needs --history (one burst never needs more than an hour). */
const MAX_PLAIN_TIMEOUT = 3600;

const LIMITS = {
  events: { min: 1, max: 1_000_000 },
  batch: { min: 1, max: 500 },
  concurrency: { min: 1, max: 256 },
  timeout: { min: 60, max: 14_400 },
  stall: { min: 1, max: 600 },
  rate: { min: 1, max: 100_000 },
} as const;

function wholeNumber(name: keyof typeof LIMITS, raw: string | undefined): number {
  const { min, max } = LIMITS[name];
  if (raw === undefined || raw.startsWith('--')) throw new OptionsError(`--${name} needs a value (${min}-${max})`);
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new OptionsError(`--${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function historySizes(raw: string | undefined): number[] {
  const expected = `comma-separated whole numbers from 0 to ${MAX_HISTORY}, ascending, e.g. 0,50000,200000`;
  if (raw === undefined || raw.startsWith('--')) throw new OptionsError(`--history needs a value: ${expected}`);
  const parts = raw.split(',').map((part) => part.trim().replace(/_/g, ''));
  if (parts.length > MAX_HISTORY_STEPS) throw new OptionsError(`--history takes at most ${MAX_HISTORY_STEPS} sizes`);
  const sizes = parts.map((part) => {
    const value = Number(part);
    if (!/^\d+$/.test(part) || !Number.isSafeInteger(value) || value > MAX_HISTORY) {
      throw new OptionsError(`--history must be ${expected}; '${part}' is not`);
    }
    return value;
  });
  sizes.forEach((size, index) => {
    if (index > 0 && size <= sizes[index - 1]!) {
      throw new OptionsError(`--history sizes must grow (the store only grows): ${sizes[index - 1]} then ${size}`);
    }
  });
  return sizes;
}

/** Parses `argv` (without node and the script); `null` means --help was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const options = { events: 5000, batch: 50, concurrency: 8, json: false, timeout: 90, stall: 20, cleanup: false };
  const given = new Set<string>();
  let history: number[] | undefined;
  let rate: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--events':
      case '--batch':
      case '--concurrency':
      case '--timeout':
      case '--stall': {
        const name = flag.slice(2) as Exclude<keyof typeof LIMITS, 'rate'>;
        options[name] = wholeNumber(name, value());
        given.add(name);
        break;
      }
      case '--history':
        history = historySizes(value());
        break;
      case '--rate':
        rate = wholeNumber('rate', value());
        break;
      case '--json':
      case '--cleanup':
        if (inline !== undefined) throw new OptionsError(`${flag} takes no value`);
        options[flag.slice(2) as 'json' | 'cleanup'] = true;
        break;
      case '--help':
      case '-h':
        return null;
      default:
        throw new OptionsError(`unknown option '${arg}'`);
    }
  }
  if (history) {
    // The growth benchmark's burst: one event per request, many in flight (how engines send).
    const growthDefaults = { events: 3000, batch: 1, concurrency: 32, timeout: 3600 } as const;
    for (const [name, fallback] of Object.entries(growthDefaults)) {
      if (!given.has(name)) options[name as keyof typeof growthDefaults] = fallback;
    }
    if (options.cleanup) throw new OptionsError('--cleanup takes no --history');
    // The growth run compares ingest with a bare server on the same burst; a paced run has no such figure.
    if (rate) throw new OptionsError('--rate goes without --history');
  } else if (options.timeout > MAX_PLAIN_TIMEOUT) {
    throw new OptionsError(`--timeout must be a whole number from 60 to ${MAX_PLAIN_TIMEOUT} without --history`);
  }
  return {
    ...(history ? { history } : {}),
    ...(rate ? { rate } : {}),
    events: options.events,
    batch: options.batch,
    concurrency: options.concurrency,
    json: options.json,
    timeoutSeconds: options.timeout,
    stallSeconds: options.stall,
    cleanup: options.cleanup,
  };
}
