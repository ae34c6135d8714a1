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
}

export const USAGE = `Usage: npm run bench -- [options]
  --events N        transfer events to push (default 5000)
  --batch B         events per request, 1-500 (default 50; the service takes at most 500)
  --concurrency C   requests in flight, 1-256 (default 8)
  --timeout S       budget of the whole run in seconds, 60-3600 (default 90); when the pipeline
                    has not persisted everything in time, the figures cover what it did persist
  --stall S         stop waiting when the recorder commits nothing for S seconds (default 20)
  --json            print one JSON object instead of the table
  --cleanup         drop the databases, topics and groups that aborted runs left behind
                    (iex_bench_*, bench-*), then exit; only while no other bench is running
  --help            this text

Kafka and the store come from KAFKA_BROKERS / MONGO_URL, or are started locally (and left up).`;

/** A bad command line; the message says which option and what it should be. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

const LIMITS = {
  events: { min: 1, max: 1_000_000 },
  batch: { min: 1, max: 500 },
  concurrency: { min: 1, max: 256 },
  timeout: { min: 60, max: 3600 },
  stall: { min: 1, max: 600 },
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

/** Parses `argv` (without node and the script); `null` means --help was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const options = { events: 5000, batch: 50, concurrency: 8, json: false, timeout: 90, stall: 20, cleanup: false };
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
      case '--stall':
        options[flag.slice(2) as keyof typeof LIMITS] = wholeNumber(flag.slice(2) as keyof typeof LIMITS, value());
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
  return {
    events: options.events,
    batch: options.batch,
    concurrency: options.concurrency,
    json: options.json,
    timeoutSeconds: options.timeout,
    stallSeconds: options.stall,
    cleanup: options.cleanup,
  };
}
