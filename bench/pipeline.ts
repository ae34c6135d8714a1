/**
 * `npm run bench`: the benchmark of the transfer pipeline, HTTP → Kafka → recorder → MongoDB.
 *
 * Starts the local broker and store when KAFKA_BROKERS / MONGO_URL are unset (they stay up; they
 * are shared), runs the service in-process on a namespace and database of its own, pushes signed
 * transfer events through POST /webhooks/events, reads back when each was persisted, and compares
 * with two baselines measured in the same run: the store's raw insertMany rate and a bare
 * node:http server answering the same requests. Prints a table, or one JSON object with --json.
 * Progress and the service's warnings go to stderr.
 */
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { startLocalServices } from '../src/config/local-services';
import { createLogger } from '../src/config/logger';
import type { TransferEvent } from '../src/domain/events';
import { iexRequestHeaders } from '../src/ingest/signatures';
import { createNaming } from '../src/kafka/topics';
import { connectStore, type Models, type Store } from '../src/store';
import { DeadlineExceeded, withDeadline } from '../src/util/with-deadline';
import { batchBodies, makeEvents } from './events';
import { postAll, startBareServer, type LoadRun } from './http-load';
import { measureRawInsert } from './mongo-raw';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options';
import { formatReport, type PipelineReport } from './report';
import { perSecond, summarize } from './stats';

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Replaces the database of a MongoDB connection string, keeping host and options. */
function withDatabase(mongoUrl: string, database: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A tenant with an engine secret we know and a subscription large enough that no quota alert fires. */
async function createBenchTenant(models: Models, tenantId: string, secret: string, events: number): Promise<void> {
  await models.Tenant.create({ tenantId, name: `Bench shop ${tenantId}`, webhookSecret: secret });
  await models.Subscription.create({
    tenantId,
    plan: 'standard',
    includedOrders: Math.max(10_000, events * 10),
    periodStart: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)),
    autoTopUp: { enabled: true, packOrders: 100, maxPerPeriod: 5 },
  });
}

/**
 * Polls `count` until it reaches `expected`. Fails when nothing new arrived for `stallMs`: a
 * stalled pipeline ends the run with a message instead of hanging it.
 */
async function waitForPersisted(
  what: string,
  expected: number,
  count: () => Promise<number>,
  stallMs: number,
): Promise<number> {
  let last = -1;
  let lastProgress = performance.now();
  let lastReport = performance.now();
  for (let polls = 1; ; polls += 1) {
    const seen = await count();
    if (seen >= expected) return polls;
    const now = performance.now();
    if (seen > last) {
      last = seen;
      lastProgress = now;
    } else if (now - lastProgress > stallMs) {
      throw new Error(
        `the pipeline stalled: ${seen} of ${expected} ${what} persisted, nothing new for ${Math.round(stallMs / 1000)} s ` +
          '(is the transfer-recorder consumer running? its warnings are on stderr)',
      );
    }
    if (now - lastReport > 2_000) {
      say(`  ${seen} of ${expected} ${what} persisted`);
      lastReport = now;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

interface Cleanup {
  what: string;
  run(): Promise<unknown>;
}

async function benchmark(options: BenchOptions, cleanups: Cleanup[], phase: (name: string) => void): Promise<PipelineReport> {
  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date().toISOString();

  phase('starting the local broker and store');
  Object.assign(process.env, startLocalServices(process.env));
  const config = loadConfig(
    {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGO_URL: withDatabase(process.env.MONGO_URL ?? '', `iex_bench_${runId}`),
      KAFKA_NAMESPACE: `bench-${runId}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DEMO_SEED: 'false',
    },
    false,
  );
  for (const broker of config.KAFKA_BROKERS) {
    const host = broker.slice(0, broker.lastIndexOf(':'));
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) say(`warning: broker ${broker} is not a loopback address`);
  }

  phase('connecting to the store');
  const store: Store = connectStore(config.MONGO_URL);
  cleanups.push({ what: 'closing the bench store connection', run: () => store.close() });
  await store.ready();
  cleanups.push({ what: 'dropping the bench database', run: () => store.connection.dropDatabase() });
  const models = store.models;
  let storeName = 'MongoDB';
  try {
    const info = await store.connection.db!.admin().buildInfo();
    storeName = info.ferretdbVersion ? `FerretDB ${String(info.ferretdbVersion)}` : `MongoDB ${String(info.version)}`;
  } catch {
    // buildInfo is only for the label.
  }

  const tenant = { tenantId: `bench-${runId}`, secret: randomBytes(32).toString('hex') };
  const warmTenant = { tenantId: `bench-${runId}-warm`, secret: randomBytes(32).toString('hex') };
  const events = makeEvents(tenant.tenantId, runId, options.events);
  const bodies = batchBodies(events, options.batch);
  const warmCount = Math.min(options.events, options.batch * options.concurrency * 2);
  const warmBodies = batchBodies(makeEvents(warmTenant.tenantId, `${runId}w`, warmCount), options.batch);
  const avgEventBytes = bodies.reduce((total, body) => total + Buffer.byteLength(body), 0) / options.events;
  const headersFor = (who: { tenantId: string; secret: string }) => (body: string) =>
    iexRequestHeaders(who.tenantId, who.secret, body);

  // Baseline (a): the store's raw bulk-insert rate, batches of the recorder's largest batch.
  phase('measuring the raw insertMany baseline');
  const rawBatch = Math.min(500, options.events);
  const raw = await measureRawInsert(store.connection, makeEvents(tenant.tenantId, `${runId}r`, options.events), rawBatch);
  say(`raw insertMany: ${Math.round(perSecond(raw.docs, raw.elapsedMs))} docs/s`);

  // Baseline (b): a bare node:http server, same bodies, same client.
  phase('measuring the bare HTTP baseline');
  const bare = await startBareServer();
  let bareRun: LoadRun;
  try {
    const load = (list: string[]) =>
      postAll({ url: bare.url, path: '/webhooks/events', bodies: list, concurrency: options.concurrency, headersFor: headersFor(tenant), expectStatus: 202 });
    await load(warmBodies);
    bareRun = await load(bodies);
  } finally {
    await bare.close();
  }
  say(`bare HTTP: ${Math.round(perSecond(bodies.length, bareRun.elapsedMs))} requests/s`);

  phase('starting the service');
  await createBenchTenant(models, tenant.tenantId, tenant.secret, options.events);
  await createBenchTenant(models, warmTenant.tenantId, warmTenant.secret, options.events);
  const logger = createLogger({ level: config.LOG_LEVEL, format: 'json', destination: process.stderr });
  const app: App = createApp(config, logger);
  cleanups.push({ what: 'deleting the bench topics and consumer groups', run: () => deleteKafkaNamespace(config.KAFKA_BROKERS, config.KAFKA_NAMESPACE) });
  cleanups.push({ what: 'stopping the service', run: () => app.stop() });
  await app.start();
  const post = (who: typeof tenant, list: string[]) =>
    postAll({ url: app.url(), path: '/webhooks/events', bodies: list, concurrency: options.concurrency, headersFor: headersFor(who), expectStatus: 202 });
  const persisted = (tenantId: string) => () => models.Transfer.countDocuments({ tenantId });
  const stallMs = options.stallSeconds * 1000;

  // Warm-up on a tenant of its own: JIT, connections, consumer group assignment.
  phase('warming up the pipeline');
  await post(warmTenant, warmBodies);
  await waitForPersisted('warm-up transfers', warmCount, persisted(warmTenant.tenantId), stallMs);

  phase('pushing events through the pipeline');
  say(`pushing ${options.events} events in ${bodies.length} requests, ${options.concurrency} in flight`);
  const run = await post(tenant, bodies);
  const acceptedIds = run.requests.reduce((total, request) => total + (JSON.parse(request.body) as { accepted: unknown[] }).accepted.length, 0);
  if (acceptedIds !== options.events) throw new Error(`the service accepted ${acceptedIds} of ${options.events} events`);
  say(`ingest done in ${Math.round(run.elapsedMs)} ms; waiting for the recorder`);

  phase('waiting for every transfer to be persisted');
  const waitPolls = await waitForPersisted('transfers', options.events, persisted(tenant.tenantId), stallMs);

  phase('reading back when each event was persisted');
  const [transfers, storedEvents] = await Promise.all([
    models.Transfer.find({ tenantId: tenant.tenantId }, { _id: 0, transferId: 1, updatedAt: 1 }).lean(),
    models.TransferEvent.find({ tenantId: tenant.tenantId }, { _id: 0, eventId: 1, receivedAt: 1, partition: 1 }).lean(),
  ]);
  const writtenAt = new Map(transfers.map((doc) => [doc.transferId, (doc.updatedAt as Date).getTime()]));
  const pickedAt = new Map(storedEvents.map((doc) => [doc.eventId, doc.receivedAt!.getTime()]));
  const batchKeys = new Map<string, number>();
  for (const doc of storedEvents) {
    const key = `${doc.partition}@${doc.receivedAt!.getTime()}`;
    batchKeys.set(key, (batchKeys.get(key) ?? 0) + 1);
  }

  const acceptedToPersisted: number[] = [];
  const acceptedToPickedUp: number[] = [];
  const pickedUpToPersisted: number[] = [];
  let lastPersisted = 0;
  events.forEach((event: TransferEvent, index) => {
    const request = run.requests[Math.floor(index / options.batch)]!;
    const written = writtenAt.get(event.transferId);
    const picked = pickedAt.get(event.id);
    if (written === undefined || picked === undefined) throw new Error(`event ${event.id} was not persisted`);
    acceptedToPersisted.push(written - request.answeredAtMs);
    acceptedToPickedUp.push(picked - request.answeredAtMs);
    pickedUpToPersisted.push(written - picked);
    lastPersisted = Math.max(lastPersisted, written);
  });

  const endToEndMs = lastPersisted - run.startedAtMs;
  const pipelineRate = perSecond(options.events, endToEndMs);
  const rawRate = perSecond(raw.docs, raw.elapsedMs);
  const ingestRequestRate = perSecond(bodies.length, run.elapsedMs);
  const bareRequestRate = perSecond(bodies.length, bareRun.elapsedMs);
  const sizes = [...batchKeys.values()];
  return {
    run: {
      id: runId,
      events: options.events,
      batch: options.batch,
      concurrency: options.concurrency,
      requests: bodies.length,
      avgEventBytes: Math.round(avgEventBytes),
      kafkaPartitions: config.KAFKA_PARTITIONS,
      store: storeName,
      node: process.version,
      cpus: os.availableParallelism(),
      startedAt,
    },
    pipeline: {
      endToEnd: { ms: endToEndMs, eventsPerSec: pipelineRate },
      ingest: {
        ms: run.elapsedMs,
        eventsPerSec: perSecond(options.events, run.elapsedMs),
        requestsPerSec: ingestRequestRate,
        requestMs: summarize(run.requests.map((request) => request.durationMs)),
      },
      latencyMs: {
        acceptedToPersisted: summarize(acceptedToPersisted),
        acceptedToPickedUp: summarize(acceptedToPickedUp),
        pickedUpToPersisted: summarize(pickedUpToPersisted),
      },
      recorderBatches: {
        count: sizes.length,
        meanSize: options.events / Math.max(1, sizes.length),
        maxSize: Math.max(0, ...sizes),
      },
      waitPolls,
    },
    baselines: {
      rawInsert: { docs: raw.docs, batchSize: raw.batchSize, batches: raw.batches, ms: raw.elapsedMs, docsPerSec: rawRate },
      bareHttp: {
        requests: bodies.length,
        ms: bareRun.elapsedMs,
        requestsPerSec: bareRequestRate,
        eventsPerSec: perSecond(options.events, bareRun.elapsedMs),
        requestMs: summarize(bareRun.requests.map((request) => request.durationMs)),
      },
    },
    ratios: { pipelineToRaw: pipelineRate / rawRate, ingestToBare: ingestRequestRate / bareRequestRate },
  };
}

/** Deletes the run's topics and consumer groups: the broker is shared and outlives the bench. */
async function deleteKafkaNamespace(brokers: string[], namespace: string): Promise<void> {
  const naming = createNaming(namespace);
  const admin = new Kafka({ clientId: 'iex-bench', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ours = groups.map(({ groupId }) => groupId).filter((groupId) => groupId.startsWith(`${namespace}.`));
    if (ours.length > 0) await admin.deleteGroups(ours);
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
    void naming;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

  const cleanups: Cleanup[] = [];
  let current = 'starting';
  const phase = (name: string) => {
    current = name;
    say(`${name}…`);
  };
  let status = 0;
  const started = performance.now();
  try {
    const report = await withDeadline(benchmark(options, cleanups, phase), options.timeoutSeconds * 1000, 'the benchmark');
    say(`done in ${Math.round((performance.now() - started) / 1000)} s`);
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  } catch (error) {
    status = 1;
    const reason = error instanceof DeadlineExceeded ? `${error.message} (it was ${current}); raise --timeout if this machine is slow` : (error as Error).message;
    process.stderr.write(`bench: aborted: ${reason}\n`);
    if (!(error instanceof DeadlineExceeded) && process.env.BENCH_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  }

  // Undo in reverse order; each step bounded so that a broken service cannot hang the exit.
  for (const cleanup of cleanups.reverse()) {
    try {
      await withDeadline(cleanup.run(), 20_000, cleanup.what);
    } catch (error) {
      status = status || 1;
      process.stderr.write(`bench: cleanup: ${cleanup.what} failed: ${(error as Error).message}\n`);
    }
  }
  return status;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
