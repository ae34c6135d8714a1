/**
 * `npm run bench`: the benchmark of the transfer pipeline, HTTP → Kafka → recorder → MongoDB.
 *
 * Starts the local broker and store when KAFKA_BROKERS / MONGO_URL are unset (they stay up; they
 * are shared), runs the service in-process on a Kafka namespace and a database of its own, pushes
 * signed transfer events through POST /webhooks/events, reads back when each was persisted, and
 * compares with two baselines measured in the same run: the store's raw insertMany rate and a bare
 * node:http server answering the same requests. Prints a table, or one JSON object with --json;
 * progress and the service's warnings go to stderr. Options: bench/options.ts (--help).
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../src/app';
import { loadConfig, type Config } from '../src/config/config';
import { startLocalServices } from '../src/config/local-services';
import { createLogger } from '../src/config/logger';
import { iexRequestHeaders } from '../src/ingest/signatures';
import { createNaming } from '../src/kafka/topics';
import { connectStore, type Models, type Store } from '../src/store';
import { DeadlineExceeded, withDeadline } from '../src/domain/with-deadline';
import { batchBodies, makeEvents } from './events';
import { runGrowth, type GrowthResources } from './growth';
import { formatGrowthReport, type GrowthReport } from './growth-report';
import { measureBareRate, postAll } from './http-load';
import { groupProgress, waitUntilCaughtUp, WaitAborted } from './kafka-progress';
import { measureRawInsert, type RawInsertResult } from './mongo-raw';
import { persistedFigures } from './persisted';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options';
import { formatReport, type PipelineReport } from './report';
import { perSecond, summarize } from './stats';

/**
 * How --timeout is spent at most: the benchmark proper ends TEARDOWN_RESERVE_MS before it, and its
 * wait for the recorder ends READ_BACK_MS earlier still, to read the results back; teardown gets
 * what is left (at least the reserve), most of it for a busy recorder to finish its write.
 */
const READ_BACK_MS = 15_000;
const TEARDOWN_RESERVE_MS = 25_000;
/** Bound of each cleanup step other than stopping the service. */
const STEP_MS = 5_000;
const DB_PREFIX = 'iex_bench_';
const NAMESPACE_PREFIX = 'bench-';
const RECORDER_GROUP = 'iex.transfer-recorder';

/** Databases that runs on this machine could not drop (the store re-created them after); the next run drops them. */
const LEFTOVERS_FILE = path.join(os.tmpdir(), 'iex-bench-leftover-databases.txt');

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Replaces the database of a MongoDB connection string, keeping host and options. */
function withDatabase(mongoUrl: string, database: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function adminClient(brokers: string[]): Admin {
  return new Kafka({ clientId: 'iex-bench', brokers, logLevel: logLevel.NOTHING }).admin();
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

/** Deletes the topics and consumer groups whose names start with `prefix` (the broker is shared). */
async function deleteKafkaPrefix(brokers: string[], prefix: string): Promise<string[]> {
  const admin = adminClient(brokers);
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ours = groups.map(({ groupId }) => groupId).filter((groupId) => groupId.startsWith(prefix));
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
    return [...ours, ...topics];
  } finally {
    await admin.disconnect();
  }
}

/** What a run started, for main() to stop and drop whatever happened. */
interface Resources extends GrowthResources {
  store?: Store;
  app?: App;
  admin?: Admin;
}

/** Where --history writes its JSON: bench/results/growth-<date>.json. */
function writeGrowthResult(report: GrowthReport): string {
  const folder = path.join(__dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `growth-${report.run.startedAt.slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

type Phase = (name: string) => void;

async function benchmark(
  options: BenchOptions,
  config: Config,
  runId: string,
  waitDeadlineMs: number,
  resources: Resources,
  phase: Phase,
): Promise<PipelineReport> {
  const startedAt = new Date().toISOString();

  phase('connecting to the store');
  const store = connectStore(config.MONGO_URL);
  resources.store = store;
  await store.ready();
  const models = store.models;
  let storeName = 'MongoDB';
  try {
    const info = await store.connection.db!.admin().buildInfo();
    storeName = info.ferretdbVersion ? `FerretDB ${String(info.ferretdbVersion)}` : `MongoDB ${String(info.version)}`;
  } catch {
    // buildInfo only labels the report.
  }

  const tenant = { tenantId: `bench-${runId}`, secret: randomBytes(32).toString('hex') };
  const warmTenant = { tenantId: `bench-${runId}-warm`, secret: randomBytes(32).toString('hex') };
  const events = makeEvents(tenant.tenantId, runId, options.events);
  const bodies = batchBodies(events, options.batch);
  // One event per request: warms sockets, JIT, producer and consumer assignment without growing
  // the store (on FerretDB v1 every recorder write gets slower with the collection's size).
  const warmBodies = batchBodies(makeEvents(warmTenant.tenantId, `${runId}w`, options.concurrency), 1);
  const avgEventBytes = bodies.reduce((total, body) => total + Buffer.byteLength(body), 0) / options.events;
  const headersFor = (who: { tenantId: string; secret: string }) => (body: string) =>
    iexRequestHeaders(who.tenantId, who.secret, body);
  const load = (url: string, who: typeof tenant, list: string[], ratePerSecond?: number) =>
    postAll({
      url,
      path: '/webhooks/events',
      bodies: list,
      concurrency: options.concurrency,
      headersFor: headersFor(who),
      expectStatus: 202,
      ...(ratePerSecond ? { ratePerSecond } : {}),
    });

  // Baseline (a): the store's raw bulk-insert rate, in batches of the recorder's largest batch.
  phase('measuring the raw insertMany baseline');
  const raw: RawInsertResult = await measureRawInsert(
    store.connection,
    makeEvents(tenant.tenantId, `${runId}r`, options.events),
    Math.min(500, options.events),
  );
  say(`  raw insertMany: ${Math.round(perSecond(raw.docs, raw.elapsedMs))} docs/s`);

  // Baseline (b): a bare node:http server; same bodies, same client, same concurrency.
  phase('measuring the bare HTTP baseline');
  const { runs: bareRuns, elapsedMs: bareMs } = await measureBareRate(
    (url) => load(url, warmTenant, warmBodies),
    (url) => load(url, tenant, bodies),
  );
  const bareRequests = bareRuns.length * bodies.length;
  say(`  bare HTTP: ${Math.round(perSecond(bareRequests, bareMs))} requests/s (${bareRuns.length} rounds)`);

  phase('starting the service');
  await createBenchTenant(models, tenant.tenantId, tenant.secret, options.events);
  await createBenchTenant(models, warmTenant.tenantId, warmTenant.secret, options.events);
  const logger = createLogger({ level: config.LOG_LEVEL, format: 'json', destination: process.stderr });
  const app: App = createApp(config, logger);
  resources.app = app;
  await app.start();

  const naming = createNaming(config.KAFKA_NAMESPACE);
  const admin = adminClient(config.KAFKA_BROKERS);
  resources.admin = admin;
  await admin.connect();
  const progress = () => groupProgress(admin, naming.group(RECORDER_GROUP), naming.topic('transfers'));
  const stallMs = options.stallSeconds * 1000;

  phase('warming up the pipeline');
  await load(app.url(), warmTenant, warmBodies);
  await waitUntilCaughtUp(progress, { stallMs, deadlineMs: waitDeadlineMs });
  const before = (await progress()).committed;

  phase(
    `pushing ${options.events} events in ${bodies.length} requests, ${options.concurrency} in flight` +
      (options.rate ? `, paced at ${options.rate} events/s` : ''),
  );
  const run = await load(app.url(), tenant, bodies, options.rate ? options.rate / options.batch : undefined);
  const accepted = run.requests.reduce(
    (total, request) => total + (JSON.parse(request.body) as { accepted: unknown[] }).accepted.length,
    0,
  );
  if (accepted !== options.events) throw new Error(`the service accepted ${accepted} of ${options.events} events`);
  say(`  ingest done in ${Math.round(run.elapsedMs)} ms`);

  phase('waiting for the recorder to persist every event');
  let note: string | undefined;
  let lastSaid = 0;
  try {
    await waitUntilCaughtUp(progress, {
      stallMs,
      deadlineMs: waitDeadlineMs,
      base: before,
      onProgress: ({ committed }) => {
        if (performance.now() - lastSaid < 2_000) return;
        lastSaid = performance.now();
        say(`  ${committed - before} of ${options.events} events done`);
      },
    });
  } catch (error) {
    if (!(error instanceof WaitAborted)) throw error;
    note =
      error.reason === 'deadline'
        ? `${error.message}; the bench stopped waiting to keep within --timeout ${options.timeoutSeconds} s.`
        : `${error.message}.`;
    say(`  ${note} Reading back what landed.`);
  }
  const waitEndedAtMs = Date.now();

  phase('reading back when each event was persisted');
  const [transfers, storedEvents] = await withDeadline(
    Promise.all([
      models.Transfer.find({ tenantId: tenant.tenantId }, { _id: 0, transferId: 1, updatedAt: 1 }).lean(),
      models.TransferEvent.find(
        { tenantId: tenant.tenantId },
        { _id: 0, eventId: 1, receivedAt: 1, partition: 1 },
      ).lean(),
    ]),
    READ_BACK_MS,
    'reading back the persisted transfers',
  );
  const figures = persistedFigures({
    events,
    batch: options.batch,
    requests: run.requests,
    startedAtMs: run.startedAtMs,
    readBack: {
      transfers: transfers.map((doc) => ({ transferId: doc.transferId, updatedAt: doc.updatedAt as Date })),
      storedEvents: storedEvents.map((doc) => ({
        eventId: doc.eventId,
        receivedAt: doc.receivedAt!,
        partition: doc.partition,
      })),
    },
    ...(note === undefined ? {} : { stoppedWaitingAtMs: waitEndedAtMs }),
  });
  if (note === undefined && figures.persisted !== options.events) {
    throw new Error(
      `the recorder caught up but only ${figures.persisted} of ${options.events} transfers are in the store`,
    );
  }

  const pipelineRate = perSecond(figures.persisted, figures.endToEndMs);
  const rawRate = perSecond(raw.docs, raw.elapsedMs);
  const ingestRequestRate = perSecond(bodies.length, run.elapsedMs);
  const bareRequestRate = perSecond(bareRequests, bareMs);
  return {
    run: {
      id: runId,
      events: options.events,
      batch: options.batch,
      concurrency: options.concurrency,
      ...(options.rate ? { rate: options.rate } : {}),
      requests: bodies.length,
      avgEventBytes: Math.round(avgEventBytes),
      kafkaPartitions: config.KAFKA_PARTITIONS,
      store: storeName,
      node: process.version,
      cpus: os.availableParallelism(),
      startedAt,
    },
    complete: note === undefined,
    ...(note === undefined ? {} : { note }),
    pipeline: {
      persisted: figures.persisted,
      storedEvents: figures.storedEvents,
      endToEnd: { ms: figures.endToEndMs, eventsPerSec: pipelineRate },
      ingest: {
        ms: run.elapsedMs,
        eventsPerSec: perSecond(options.events, run.elapsedMs),
        requestsPerSec: ingestRequestRate,
        requestMs: summarize(run.requests.map((request) => request.durationMs)),
      },
      latencyMs: figures.latencyMs,
      recorderBatches: figures.recorderBatches,
      timeline: figures.timeline,
    },
    baselines: {
      rawInsert: {
        docs: raw.docs,
        batchSize: raw.batchSize,
        batches: raw.batches,
        ms: raw.elapsedMs,
        docsPerSec: rawRate,
      },
      bareHttp: {
        rounds: bareRuns.length,
        requests: bareRequests,
        ms: bareMs,
        requestsPerSec: bareRequestRate,
        eventsPerSec: perSecond(bareRuns.length * options.events, bareMs),
        requestMs: summarize(bareRuns.flatMap((round) => round.requests.map((request) => request.durationMs))),
      },
    },
    ratios: { pipelineToRaw: pipelineRate / rawRate, ingestToBare: ingestRequestRate / bareRequestRate },
  };
}

function readLeftovers(): string[] {
  try {
    return readFileSync(LEFTOVERS_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith(DB_PREFIX));
  } catch {
    return [];
  }
}

/** Drops the databases earlier runs on this machine could not (see LEFTOVERS_FILE). */
async function dropRecordedLeftovers(mongoUrl: string): Promise<void> {
  const names = readLeftovers();
  if (names.length === 0) return;
  const connection = await mongoose.createConnection(mongoUrl, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    for (const name of names) {
      await connection.getClient().db(name).dropDatabase();
      say(`dropped database ${name}, left behind by an earlier run`);
    }
    rmSync(LEFTOVERS_FILE, { force: true });
  } finally {
    await connection.close();
  }
}

/** --cleanup: drops what aborted runs left behind on the shared services. */
async function dropLeftovers(mongoUrl: string, brokers: string[]): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrl, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    const { databases } = await connection.db!.admin().listDatabases({ nameOnly: true });
    for (const { name } of databases.filter((db) => db.name.startsWith(DB_PREFIX))) {
      await connection.getClient().db(name).dropDatabase();
      say(`dropped database ${name}`);
    }
  } finally {
    await connection.close();
  }
  for (const name of await deleteKafkaPrefix(brokers, NAMESPACE_PREFIX)) say(`deleted ${name}`);
  rmSync(LEFTOVERS_FILE, { force: true });
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

  say('starting the local broker and store where KAFKA_BROKERS / MONGO_URL are unset…');
  Object.assign(process.env, startLocalServices(process.env));
  const runId = randomBytes(4).toString('hex');
  const config = loadConfig(
    {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGO_URL: withDatabase(process.env.MONGO_URL ?? '', `${DB_PREFIX}${runId}`),
      KAFKA_NAMESPACE: `${NAMESPACE_PREFIX}${runId}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
      LOG_FORMAT: 'json',
      DEMO_SEED: 'false',
      JOBS_ENABLED: 'false',
    },
    false,
  );
  const remote = [
    ...config.KAFKA_BROKERS.map((broker) => broker.replace(/:\d+$/, '')),
    new URL(config.MONGO_URL).hostname,
  ].filter((host) => !['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host));
  if (remote.length > 0) say(`warning: not a loopback address: ${remote.join(', ')}`);

  if (options.cleanup) {
    await dropLeftovers(process.env.MONGO_URL ?? '', config.KAFKA_BROKERS);
    return 0;
  }

  await dropRecordedLeftovers(process.env.MONGO_URL ?? '').catch((error: unknown) =>
    say(`could not drop the databases earlier runs left behind: ${(error as Error).message}`),
  );
  const resources: Resources = {};
  let current = 'starting';
  const phase: Phase = (name) => {
    current = name;
    say(`${name}…`);
  };
  let status = 0;
  const started = performance.now();
  const budgetMs = options.timeoutSeconds * 1000;
  const benchmarkMs = budgetMs - TEARDOWN_RESERVE_MS;
  try {
    const waitDeadlineMs = started + benchmarkMs - READ_BACK_MS;
    if (options.history) {
      const report = await withDeadline(
        runGrowth({
          options: { ...options, history: options.history },
          config,
          runId,
          waitDeadlineMs,
          resources,
          phase,
          say,
          createBenchTenant,
        }),
        benchmarkMs,
        'the benchmark',
      );
      if (!report.complete) status = 1;
      say(`wrote ${path.relative(process.cwd(), writeGrowthResult(report))}`);
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatGrowthReport(report));
    } else {
      const report = await withDeadline(
        benchmark(options, config, runId, waitDeadlineMs, resources, phase),
        benchmarkMs,
        'the benchmark',
      );
      if (!report.complete) status = 1;
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    }
  } catch (error) {
    status = 1;
    const reason =
      error instanceof DeadlineExceeded
        ? `${error.message} (it was ${current}); raise --timeout if this machine is slow`
        : (error as Error).message;
    process.stderr.write(`bench: aborted: ${reason}\n`);
    if (process.env.BENCH_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  }
  status = (await teardown(resources, config, runId, started + budgetMs, phase)) || status;
  say(`done in ${Math.round((performance.now() - started) / 1000)} s`);
  return status;
}

/**
 * Stops the service, then deletes the run's topics and groups and drops its database.
 *
 * A recorder in the middle of a store write stops only when the write is done, and on FerretDB v1
 * a write to a large collection can take minutes (every upsert scans the collection). Dropping the
 * database under it makes the rest of that write cheap, so the service can then stop; the
 * database is dropped again after, because the write re-creates it. Left running, the write
 * would keep the store busy after the bench exits and skew the next run's figures.
 */
async function teardown(
  resources: Resources,
  config: Config,
  runId: string,
  endAt: number,
  phase: Phase,
): Promise<number> {
  phase('cleaning up');
  let status = 0;
  const bounded = async (what: string, ms: number, work: Promise<unknown>, quiet = false) => {
    try {
      await withDeadline(work, ms, what);
      return true;
    } catch (error) {
      if (!quiet) {
        status = 1;
        process.stderr.write(`bench: cleanup: ${(error as Error).message}\n`);
      }
      return false;
    }
  };
  const { app, admin, store } = resources;
  const dropDatabase = () => (store ? store.connection.dropDatabase() : Promise.resolve());
  let stopped = true;
  if (app) {
    const stopping = app.stop();
    stopped = await bounded('stopping the service', 5_000, stopping, true);
    if (!stopped) {
      // Each upsert of the write scans the collection, so keeping the collection empty keeps the
      // rest of the write cheap: drop the database every second until the service has stopped.
      say('  the recorder is inside a store write; emptying the database under it so that it ends sooner');
      let done = false;
      void stopping.then(
        () => (done = true),
        () => (done = true),
      );
      const left = Math.max(10_000, endAt - performance.now() - 2 * STEP_MS);
      const until = performance.now() + left;
      while (!done && performance.now() < until) {
        await bounded('dropping the bench database', STEP_MS, dropDatabase(), true);
        await Promise.race([stopping.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))]);
      }
      if (done) {
        stopped = await bounded('stopping the service', STEP_MS, stopping);
      } else {
        status = 1;
        process.stderr.write(`bench: cleanup: the service did not stop within ${Math.round(left / 1000)} s\n`);
      }
    }
  }
  if (admin) await bounded('disconnecting the Kafka admin', 2_000, admin.disconnect());
  if (resources.prefill) {
    await bounded('disconnecting the pre-fill producer', 2_000, resources.prefill.producer.disconnect());
    await bounded(
      'deleting the pre-fill topics',
      STEP_MS,
      deleteKafkaPrefix(config.KAFKA_BROKERS, `${resources.prefill.namespace}.`),
    );
  }
  if (app) {
    await bounded(
      'deleting the run topics and consumer groups',
      STEP_MS,
      deleteKafkaPrefix(config.KAFKA_BROKERS, `${config.KAFKA_NAMESPACE}.`),
    );
  }
  if (store) {
    await bounded('dropping the bench database', STEP_MS, dropDatabase());
    await bounded('closing the bench store connection', 2_000, store.close());
  }
  if (!stopped) {
    const leftovers = new Set([...readLeftovers(), `${DB_PREFIX}${runId}`]);
    writeFileSync(LEFTOVERS_FILE, `${[...leftovers].join('\n')}\n`);
    say(
      `warning: the recorder was still inside a store write; the store finishes it on its own and may re-create ` +
        `database ${DB_PREFIX}${runId}, and figures of a run started meanwhile are skewed. The next bench run drops ` +
        `the database (or: npm run bench -- --cleanup).`,
    );
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
