/**
 * `npm run bench -- --history 0,50000,…`: how the pipeline, the ingest and the chat answers hold
 * up as the store grows. One service, one database: pre-fill to each size in turn (through the
 * recorder's own handler, bench/history.ts), then measure at that size next to same-run baselines.
 * Only public entry points: the recorder's `handle`, HTTP, Kafka offsets and the command core.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { recordTransfers } from '../consumers/transfer-recorder';
import { createApp, type App } from '../src/app';
import type { CommandCore } from '../src/commands/core';
import type { Caller } from '../src/commands/ports/tenancy';
import type { Config } from '../src/config/config';
import { createLogger } from '../src/config/logger';
import { iexRequestHeaders } from '../src/ingest/signatures';
import { ensureTopics } from '../src/kafka/admin';
import { createKafka } from '../src/kafka/client';
import { createEventProducer, type EventProducer } from '../src/kafka/producer';
import { createNaming } from '../src/kafka/topics';
import { connectStore, type Models, type Store } from '../src/store';
import { committedAt, locateMessages, sampleCommits } from './commit-times';
import { batchBodies, makeEvents } from './events';
import type { GrowthReport, GrowthStep } from './growth-report';
import { createHistory, HISTORY_TENANTS, type KnownTransfer } from './history';
import { measureBareRate, postAll, type LoadRun } from './http-load';
import { groupProgress, waitUntilCaughtUp, WaitAborted } from './kafka-progress';
import { measureRawInsertAtSize } from './mongo-raw';
import type { BenchOptions } from './options';
import { perSecond, summarize, type Summary } from './stats';

const RECORDER_GROUP = 'iex.transfer-recorder';
const CHAT_RUNS = 30;
const CHAT_WARM_UP = 2;
const RAW_COLLECTION = 'benchRawHistory';
const PROGRESS_EVERY_MS = 5_000;

/** What the growth run started, for the caller's teardown. */
export interface GrowthResources {
  store?: Store;
  app?: App;
  admin?: Admin;
  /** The pre-fill's producer (its alerts go to a namespace of their own) and that namespace. */
  prefill?: { producer: EventProducer; namespace: string };
}

export interface GrowthContext {
  options: BenchOptions & { history: number[] };
  config: Config;
  runId: string;
  /** performance.now() instant at which waiting (pre-fill, pipeline) must end. */
  waitDeadlineMs: number;
  resources: GrowthResources;
  phase(name: string): void;
  say(message: string): void;
  createBenchTenant(models: Models, tenantId: string, secret: string, events: number): Promise<void>;
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
const duration = (ms: number) =>
  ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.round(ms / 1000))} s`;

/** Runs each command `runs` times (after a warm-up) through the core, as a Slack member would. */
async function timeCommand(core: CommandCore, caller: Caller, text: string, runs: number) {
  const times: number[] = [];
  let firstLine = '';
  for (let n = 0; n < CHAT_WARM_UP + runs; n += 1) {
    const start = performance.now();
    const reply = await core.handleCommand(caller, text);
    const ms = performance.now() - start;
    if (/^Something failed \(ref /.test(reply.fallback)) throw new Error(`/iex ${text} failed: ${reply.fallback}`);
    if (n === 0) firstLine = reply.fallback.split('\n')[0]!.slice(0, 160);
    if (n >= CHAT_WARM_UP) times.push(ms);
  }
  return { command: `/iex ${text}`, runs, ms: summarize(times), firstLine };
}

export async function runGrowth(ctx: GrowthContext): Promise<GrowthReport> {
  const { options, config, runId, resources, phase, say } = ctx;
  const startedAt = new Date().toISOString();

  phase('connecting to the store');
  const store = connectStore(config.MONGO_URL);
  resources.store = store;
  await store.ready();
  const { models } = store;
  let storeName = 'MongoDB';
  try {
    const info = await store.connection.db!.admin().buildInfo();
    storeName = info.ferretdbVersion ? `FerretDB ${String(info.ferretdbVersion)}` : `MongoDB ${String(info.version)}`;
  } catch {
    // buildInfo only labels the report.
  }

  phase('starting the service');
  const logger = createLogger({ level: config.LOG_LEVEL, format: 'json', destination: process.stderr });
  const app = createApp(config, logger);
  resources.app = app;
  await app.start();
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const admin = new Kafka({ clientId: 'iex-bench', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
  resources.admin = admin;
  await admin.connect();
  const reader = new Kafka({ clientId: 'iex-bench-reader', brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  const transfersTopic = naming.topic('transfers');
  const recorderGroup = naming.group(RECORDER_GROUP);
  const progress = () => groupProgress(admin, recorderGroup, transfersTopic);

  // The pre-fill's recorder is the service's own code with a producer of its own: the alerts of
  // the history's failures go to a throwaway namespace, not to the live notifier.
  const prefillNamespace = `${config.KAFKA_NAMESPACE}-prefill`;
  const prefillNaming = createNaming(prefillNamespace);
  const prefillKafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'iex-bench-prefill', logger });
  await ensureTopics(prefillKafka, prefillNaming, {
    partitions: config.KAFKA_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  const prefillProducer = createEventProducer(prefillKafka, prefillNaming);
  resources.prefill = { producer: prefillProducer, namespace: prefillNamespace };
  await prefillProducer.connect();
  const recorder = recordTransfers({ models, producer: prefillProducer, logger });

  const largest = options.history[options.history.length - 1]!;
  const history = createHistory({
    runId,
    partitions: config.KAFKA_PARTITIONS,
    endsAt: new Date(Date.now() - 3_600_000),
  });
  for (const tenantId of history.tenants) {
    await ctx.createBenchTenant(models, tenantId, randomBytes(32).toString('hex'), largest);
  }
  // The chat tenant is reached as a Slack member of a bound workspace: the lookups of every real answer.
  const chatTenant = history.tenants[0]!;
  const workspaceId = `TBENCH${runId.toUpperCase()}`;
  await models.Binding.create({ platform: 'slack', workspaceId, channelId: '', tenantId: chatTenant });
  await models.Member.create({ tenantId: chatTenant, platform: 'slack', platformUserId: 'UBENCH1', role: 'admin' });
  const caller: Caller = {
    platform: 'slack',
    userId: 'UBENCH1',
    workspaceId,
    channelId: 'CBENCH',
    displayName: 'bench',
  };

  const steps: GrowthStep[] = [];
  let rawStored = 0;
  let rawFill = 0;
  let prefillRate: number | undefined;
  let note: string | undefined;

  for (const [index, size] of options.history.entries()) {
    // 1. Grow the history to `size`.
    phase(`pre-filling the store to ${fmt(size)} recorded events`);
    let lastSaid = performance.now();
    const fill = await history.fillTo(size, recorder, {
      deadlineMs: ctx.waitDeadlineMs,
      onRetry: (error, partition) =>
        say(`  the recorder threw on a batch of partition ${partition}, handing it over again: ${error.message}`),
      onProgress: ({ events, target, elapsedMs }) => {
        if (performance.now() - lastSaid < PROGRESS_EVERY_MS) return;
        lastSaid = performance.now();
        const rate = perSecond(events, elapsedMs);
        const toLargest = largest - history.written();
        say(
          `  ${fmt(history.written())} events stored (${fmt(events)} of ${fmt(target)} this step), ${fmt(rate)} ev/s; ` +
            `~${duration(((target - events) / rate) * 1000)} left for this step` +
            (toLargest > target - events ? `, ~${duration((toLargest / rate) * 1000)} to ${fmt(largest)}` : ''),
        );
      },
    });
    if (fill.events > 0) {
      prefillRate = perSecond(fill.events, fill.elapsedMs);
      say(`  pre-filled ${fmt(fill.events)} events in ${duration(fill.elapsedMs)} (${fmt(prefillRate)} ev/s)`);
      const later = largest - history.written();
      if (later > 0)
        say(
          `  estimate: ${fmt(later)} more events to pre-fill for the larger sizes, ~${duration((later / prefillRate) * 1000)} at this rate`,
        );
    }

    // 2. The store's raw insert rate into a collection of the same size.
    const burstTenant = { tenantId: `bench-${runId}-h${index}`, secret: randomBytes(32).toString('hex') };
    const warmTenant = { tenantId: `bench-${runId}-h${index}-warm`, secret: randomBytes(32).toString('hex') };
    const events = makeEvents(burstTenant.tenantId, `${runId}h${index}`, options.events);
    phase(`measuring the raw insertMany baseline at ${fmt(size)} documents`);
    const raw = await measureRawInsertAtSize(
      store.connection,
      makeEvents(burstTenant.tenantId, `${runId}h${index}r`, options.events),
      Math.min(500, options.events),
      {
        collectionName: RAW_COLLECTION,
        size,
        stored: rawStored,
        filler: (count) => makeEvents(`raw-${runId}`, `${runId}f${rawFill++}`, count),
      },
    );
    rawStored = raw.stored;
    const rawRate = perSecond(raw.docs, raw.elapsedMs);
    say(`  raw insertMany: ${fmt(rawRate)} docs/s (topping the collection up took ${duration(raw.fillMs)})`);

    // 3. A bare node:http server: same bodies, client and concurrency.
    const bodies = batchBodies(events, options.batch);
    const warmBodies = batchBodies(makeEvents(warmTenant.tenantId, `${runId}h${index}w`, options.concurrency), 1);
    const load = (url: string, who: typeof burstTenant, list: string[]) =>
      postAll({
        url,
        path: '/webhooks/events',
        bodies: list,
        concurrency: options.concurrency,
        headersFor: (body) => iexRequestHeaders(who.tenantId, who.secret, body),
        expectStatus: 202,
      });
    phase('measuring the bare HTTP baseline');
    const { runs: bareRuns, elapsedMs: bareMs } = await measureBareRate(
      (url) => load(url, warmTenant, warmBodies),
      (url) => load(url, burstTenant, bodies),
    );
    const bareRate = perSecond(bareRuns.length * bodies.length, bareMs);

    // 4. The burst through the service: HTTP → Kafka → recorder.
    await ctx.createBenchTenant(models, burstTenant.tenantId, burstTenant.secret, options.events);
    await ctx.createBenchTenant(models, warmTenant.tenantId, warmTenant.secret, options.events);
    phase('warming up the pipeline');
    await load(app.url(), warmTenant, warmBodies);
    const stallMs = options.stallSeconds * 1000;
    await waitUntilCaughtUp(progress, { stallMs, deadlineMs: ctx.waitDeadlineMs });
    const before = (await progress()).committed;

    phase(`pushing ${fmt(options.events)} events in ${fmt(bodies.length)} requests, ${options.concurrency} in flight`);
    const sampler = sampleCommits(admin, recorderGroup, transfersTopic);
    let run: LoadRun;
    let stepNote: string | undefined;
    try {
      run = await load(app.url(), burstTenant, bodies);
      say(`  ingest done in ${fmt(run.elapsedMs)} ms (${fmt(perSecond(bodies.length, run.elapsedMs))} req/s)`);
      phase('waiting for the recorder to record every event');
      let said = 0;
      try {
        await waitUntilCaughtUp(progress, {
          stallMs,
          deadlineMs: ctx.waitDeadlineMs,
          base: before,
          onProgress: ({ committed }) => {
            if (performance.now() - said < 2_000) return;
            said = performance.now();
            say(`  ${fmt(committed - before)} of ${fmt(options.events)} events recorded`);
          },
        });
      } catch (error) {
        if (!(error instanceof WaitAborted)) throw error;
        stepNote = `${error.message}${error.reason === 'deadline' ? '; the bench stopped waiting to keep within --timeout' : ''}`;
        say(`  ${stepNote}`);
      }
    } finally {
      await sampler.stop();
    }
    const stoppedAtMs = Date.now();
    const located = await locateMessages(
      reader,
      transfersTopic,
      options.events,
      (value) => value.tenantId === burstTenant.tenantId,
      30_000,
      naming.group(`bench-reader-${index}`),
    );
    const latencies: number[] = [];
    let lastRecorded = run.startedAtMs;
    events.forEach((event, n) => {
      const where = located.get(event.id);
      const recordedAt = where && committedAt(sampler.samples, where.partition, where.offset);
      if (recordedAt === undefined) return;
      latencies.push(recordedAt - run.requests[Math.floor(n / options.batch)]!.answeredAtMs);
      lastRecorded = Math.max(lastRecorded, recordedAt);
    });
    const pipelineMs = (stepNote ? stoppedAtMs : lastRecorded) - run.startedAtMs;
    const pipelineRate = perSecond(latencies.length, pipelineMs);
    const ingestRate = perSecond(bodies.length, run.elapsedMs);

    // 5. The chat answers for one of the history's tenants.
    phase(`timing the chat answers for ${chatTenant}`);
    const known = history.known().filter((transfer) => transfer.tenantId === chatTenant);
    const detailOf: KnownTransfer | undefined =
      known.filter((transfer) => transfer.status === 'failed').at(-1) ?? known.at(-1);
    const core = app.core;
    const chat = {
      status: await timeCommand(core, caller, 'status', CHAT_RUNS),
      logFailed: await timeCommand(core, caller, 'log failed', CHAT_RUNS),
      // Without history there is no transfer of the chat tenant: its answer is "not found", timed all the same.
      detail: await timeCommand(core, caller, `log ${detailOf?.transferId ?? `h${runId}-none`}`, CHAT_RUNS),
    };
    if (index === 0) for (const { command, firstLine } of Object.values(chat)) say(`  ${command} → ${firstLine}`);

    const step: GrowthStep = {
      history: history.written(),
      prefill: { events: fill.events, ms: fill.elapsedMs, eventsPerSec: perSecond(fill.events, fill.elapsedMs) },
      complete: stepNote === undefined,
      ...(stepNote ? { note: stepNote } : {}),
      pipeline: {
        events: options.events,
        recorded: latencies.length,
        ms: pipelineMs,
        eventsPerSec: pipelineRate,
        acceptedToRecordedMs: summarize(latencies),
      },
      ingest: {
        requests: bodies.length,
        ms: run.elapsedMs,
        requestsPerSec: ingestRate,
        requestMs: summarize(run.requests.map((request) => request.durationMs)),
      },
      baselines: {
        rawInsert: {
          collectionDocs: raw.stored - raw.docs,
          docs: raw.docs,
          batchSize: raw.batchSize,
          ms: raw.elapsedMs,
          docsPerSec: rawRate,
          fillMs: raw.fillMs,
        },
        bareHttp: {
          rounds: bareRuns.length,
          requests: bareRuns.length * bodies.length,
          ms: bareMs,
          requestsPerSec: bareRate,
        },
      },
      ratios: { pipelineToRaw: pipelineRate / rawRate, ingestToBare: ingestRate / bareRate },
      chat,
    };
    steps.push(step);
    const brief = (s: Summary) => `${fmt(s.p50)}/${fmt(s.p99)} ms`;
    say(
      `  at ${fmt(step.history)}: pipeline ${fmt(pipelineRate)} ev/s, accepted→recorded ${brief(step.pipeline.acceptedToRecordedMs)}, ` +
        `ingest ${fmt(ingestRate)} req/s (bare ${fmt(bareRate)}), status ${brief(chat.status.ms)}, ` +
        `log failed ${brief(chat.logFailed.ms)}, detail ${brief(chat.detail.ms)}`,
    );
    if (stepNote) {
      note = `stopped after ${fmt(step.history)}: ${stepNote}`;
      break;
    }
  }

  return {
    run: {
      id: runId,
      events: options.events,
      batch: options.batch,
      concurrency: options.concurrency,
      kafkaPartitions: config.KAFKA_PARTITIONS,
      lingerMs: config.KAFKA_LINGER_MS,
      tenants: HISTORY_TENANTS,
      chatTenant,
      store: storeName,
      node: process.version,
      cpus: os.availableParallelism(),
      startedAt,
      history: options.history,
    },
    complete: note === undefined && steps.length === options.history.length,
    ...(note ? { note } : {}),
    steps,
  };
}
