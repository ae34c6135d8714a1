// `npm run simulate`: signed webshop traffic through a running service's public webhook endpoints.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startLocalServices } from '../src/config/local-services';
import { describeIssues } from '../src/domain/events';
import { loadSimulationTenant, SimulationSetupError } from '../src/simulator/load-tenant';
import { formatSummary, runSimulation, type SimulationTarget } from '../src/simulator/run-simulation';
import { connectStore } from '../src/store';

const HELP = `Usage: npm run simulate -- [options]

Sends realistic, signed webshop traffic for one tenant through a running service's public
webhook endpoints: Shopify webhooks (orders, products, stock) to POST /webhooks/shopify/:tenantId
and the integration engine's stage events to POST /webhooks/events. The tenant's secrets and
connections are read from the store at MONGO_URL (the local store when unset).

Options:
  --url <url>             the service (default: $IEX_URL or http://127.0.0.1:3000)
  --tenant <id>           the tenant (default: demo)
  --rate <n>              transfers per second (default: 2)
  --failure-share <0..1>  share of transfers that fail like real ones do (default: 0.1)
  --count <n>             stop after n transfers (default: run until Ctrl-C)
  --seed <n>              replay the traffic of an earlier run; the same seed sends the same
                          webhook ids, which the service recognises as the same transfers
                          (default: random, printed at start)
  -h, --help              show this help

A summary line is printed every 10 seconds and at the end. Exit status: 0 when the service
accepted everything, 1 when a request failed or the run could not start, 2 for bad options.`;

const number = z.coerce.number({ message: 'must be a number' });
const optionsSchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://127.0.0.1:3000' }),
  tenant: z.string().min(1, 'must not be empty'),
  rate: number.positive('must be more than 0').max(1000, 'must be at most 1000'),
  'failure-share': number.min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  count: number.int('must be a whole number').positive('must be at least 1').optional(),
  seed: number
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(0xffff_ffff, 'must fit in 32 bits')
    .optional(),
});

class UsageError extends Error {}

function parseOptions(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string', default: process.env.IEX_URL || 'http://127.0.0.1:3000' },
        tenant: { type: 'string', default: 'demo' },
        rate: { type: 'string', default: '2' },
        'failure-share': { type: 'string', default: '0.1' },
        count: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return undefined;
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success)
    throw new UsageError(
      describeIssues(parsed.error)
        .map((issue) => `--${issue}`)
        .join('\n'),
    );
  return parsed.data;
}

/** The store URL without its credentials, for messages. */
const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

async function loadTarget(tenantId: string): Promise<Omit<SimulationTarget, 'url'>> {
  const mongoUrl = process.env.MONGO_URL ?? startLocalServices(process.env, { kafka: false, mongo: true }).MONGO_URL;
  if (!mongoUrl) throw new SimulationSetupError('MONGO_URL is not set and no local store could be started');
  const store = connectStore(mongoUrl);
  try {
    // Only reads: unlike store.ready(), this creates no indexes in someone else's database.
    await store.connection.asPromise().catch((error: unknown) => {
      throw new SimulationSetupError(`cannot reach the store at ${redact(mongoUrl)}: ${(error as Error).message}`);
    });
    return await loadSimulationTenant(store.models, tenantId);
  } finally {
    await store.close();
  }
}

/** Fails early with a hint when nothing answers, instead of one error line per request. */
async function checkService(url: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new SimulationSetupError(
      `no service answers at ${url}: start it (npm start), or point --url or IEX_URL at the one that runs`,
    );
  }
  if (!response.ok) {
    console.warn(
      `warning: GET /healthz answered ${response.status} ${await response.text()}; requests answered 503 are retried`,
    );
  }
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\nSee: npm run simulate -- --help`);
    return 2;
  }
  if (!options) {
    console.log(HELP);
    return 0;
  }

  const target = await loadTarget(options.tenant);
  await checkService(options.url);
  const seed = options.seed ?? randomInt(0x1_0000_0000);
  const stop = new AbortController();
  let stoppingSince: number | undefined;
  const onSignal = () => {
    // One Ctrl-C can arrive more than once: from the terminal and relayed again by npm and tsx.
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince > 1_000) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    console.log('stopping: letting the transfers in flight finish (Ctrl-C again quits at once)');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  console.log(
    `simulating tenant '${target.tenantId}' at ${options.url}: ${options.rate} transfers/s, failure share ` +
      `${options['failure-share']}, seed ${seed}${options.count ? `, ${options.count} transfers` : '; Ctrl-C stops'}`,
  );
  for (const route of Object.values(target.routes)) {
    const how = route.via === 'shopify-webhook' ? 'Shopify webhook + engine events' : 'engine events only';
    const off = route.runs ? '' : ' — switched off: the service holds these';
    console.log(`  ${route.entity}: ${route.label} (${route.connectionId}), ${how}${off}`);
  }

  const summary = await runSimulation({
    ...target,
    url: options.url,
    rate: options.rate,
    failureShare: options['failure-share'],
    count: options.count,
    seed,
    signal: stop.signal,
    onProgress: (progress) => console.log(formatSummary(progress)),
    onError: ({ transferId, request, status, body }) =>
      console.error(`error: ${transferId}: ${request} → ${status ?? 'no answer'} ${body.slice(0, 500)}`),
  });
  console.log(`done: ${formatSummary(summary)}`);
  return summary.errors > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `error: ${error instanceof SimulationSetupError ? error.message : error instanceof Error ? error.stack : String(error)}`,
    );
    process.exit(1);
  },
);
