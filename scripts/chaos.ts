/**
 * `npm run chaos`: two instances of the service on a broker and a store of their own; a few
 * thousand signed events (repeats, shuffled order, failures, `$` keys, one poison message) sent
 * one per request while an instance is killed with SIGKILL, the broker restarted and the store
 * stopped for 30 s. Waits until the recorder settles, prints one line, and exits 1 on any loss,
 * duplicate, altered event, wrong status, usage mismatch or unexpected dead letter.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos, type ChaosOptions } from '../chaos/run';
import { usageLine } from '../chaos/tally';
import { projectRoot } from '../src/config/local-services';

const USAGE = `Usage: npm run chaos -- [options]
  --transfers N        transfers to send, 10-20000 (default 1000: ~2,700 events, ~3,000 requests)
  --short              the CI version: --transfers 300
  --store-outage S     seconds the store is stopped, 0-300 (default 30)
  --concurrency C      requests in flight, 1-128 (default 16)
  --seed S             the shuffle and the repeats (default 1); the same seed sends the same run
  --deadline M         minutes the whole run may take before it gives up (default 20)
  --help               this text

Starts its own broker (127.0.0.1:19092) and store (127.0.0.1:27019) with data in .data/chaos, and
the service on ports 18080-18081; the services of 'npm run services' are not touched. The
instances' logs stay in .data/chaos/logs until the next run.`;

function number(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return parsed;
}

function parse(argv: string[]): ChaosOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      transfers: { type: 'string' },
      short: { type: 'boolean' },
      'store-outage': { type: 'string' },
      concurrency: { type: 'string' },
      seed: { type: 'string' },
      deadline: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (values.short && values.transfers) throw new Error('--short and --transfers: choose one');
  return {
    transfers: values.short ? 300 : number(values.transfers, 'transfers', 1000, 10, 20_000),
    storeOutageSeconds: number(values['store-outage'], 'store-outage', 30, 0, 300),
    concurrency: number(values.concurrency, 'concurrency', 16, 1, 128),
    seed: number(values.seed, 'seed', 1, 0, 2 ** 31),
    deadlineMinutes: number(values.deadline, 'deadline', 20, 1, 240),
    dataDir: path.join(projectRoot(), '.data', 'chaos'),
    kafkaPort: 19092,
    mongoPort: 27019,
    firstHttpPort: 18080,
  };
}

async function main(): Promise<number> {
  let options: ChaosOptions | undefined;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const report = await runChaos(options);
  const { verdict, tally } = report;
  const usageExact = JSON.stringify(verdict.usageExpected) === JSON.stringify(verdict.usageCounted);
  const retried = [...tally.retried].map(([cause, count]) => `${count} ${cause}`).join(', ') || 'none';
  process.stdout.write(
    `chaos: ${report.transfers} transfers, ${verdict.accepted} events accepted in ${report.sends} requests ` +
      `(retried: ${retried}) · recorded ${verdict.recorded} · lost ${verdict.lost.length} · ` +
      `duplicated ${verdict.duplicated.length} · altered ${verdict.altered.length} · ` +
      `wrong status ${verdict.wrongStatus.length} · refused ${tally.refused.length} · ` +
      `usage expected ${usageLine(verdict.usageExpected)}, counted ${usageExact ? 'the same' : usageLine(verdict.usageCounted)} · ` +
      `dead letters ${report.deadLetters} (expected 1: the poison message) · ` +
      `faults: ${report.faults.join(', ')} · settled ${report.settledSeconds.toFixed(0)} s after the last send and fault\n`,
  );
  const problems = [
    ...verdict.lost.slice(0, 5).map((id) => `lost: ${id}`),
    ...verdict.duplicated.slice(0, 5).map((id) => `duplicated: ${id}`),
    ...verdict.altered.slice(0, 5).map((id) => `altered: ${id}`),
    ...verdict.wrongStatus.slice(0, 5).map((id) => `wrong status: ${id}`),
    ...tally.refused.slice(0, 5).map(({ id, status, body }) => `refused ${status}: ${id} ${body}`),
  ];
  for (const problem of problems) process.stderr.write(`[chaos] ${problem}\n`);
  const ok =
    verdict.lost.length === 0 &&
    verdict.duplicated.length === 0 &&
    verdict.altered.length === 0 &&
    verdict.wrongStatus.length === 0 &&
    tally.refused.length === 0 &&
    usageExact &&
    report.deadLetters === 1;
  if (!ok) process.stderr.write(`[chaos] FAILED; the instances' logs are in ${report.logs}\n`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[chaos] the run could not finish: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
