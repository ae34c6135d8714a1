import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { isOn, type ChatPlatform, type PlatformSetup } from '../bots/chat-platform';
import type { DiscordBot } from '../bots/discord/discord-bot';
import { discordPlatform, type DiscordPlatform } from '../bots/discord/platform';
import type { SlackBot } from '../bots/slack/slack-bot';
import { slackPlatform, type SlackPlatform } from '../bots/slack/platform';
import { notifyAlerts } from '../consumers/notifier';
import { followTenantSpecs } from '../consumers/tenant-specs';
import { ADMIN_PATH, createAdminRoutes } from './admin/admin-routes';
import { parseAdminTokens } from './domain/admin-tokens';
import { createTenantOperations } from './services/tenants/operations';
import { normalizeShopifyWebhooks } from '../consumers/shopify-normalizer';
import { recordTransfers } from '../consumers/transfer-recorder';
import { ACTIONS, COMMANDS } from './commands/catalog';
import { createCommandCore, type CommandCore } from './commands/core';
import { namePlatform, namingOf } from './domain/platform-naming';
import type { Config } from './config/config';
import type { Logger } from './config/logger';
import { createProgressWatch } from './http/consumer-progress';
import { createHttpApp } from './http/server';
import { assertCanListen, listenOn } from './http/listen';
import { createMetrics } from './config/metrics';
import { storeHealthCheck } from './http/store-health';
import { createTenantSecrets } from './ingest/tenant-secrets';
import { createWebhookRoutes } from './ingest/webhook-routes';
import { ensureTopics, topicPartitionCount } from './kafka/admin';
import { createKafka, kafkaSecurity } from './kafka/client';
import { createConsumerRunner, type ConsumerRunner } from './kafka/consumer-runner';
import { createDeadLetterAlerts } from './kafka/dead-letter-alerts';
import { createKafkaProbe } from './kafka/health';
import { createEventProducer } from './kafka/producer';
import { createNaming } from './kafka/topics';
import { connectionSyncJobs } from './jobs/connection-sync';
import { dailyDigest } from './jobs/daily-digest';
import { auditPurchases } from './jobs/audit-purchases';
import { periodRoll } from './jobs/period-roll';
import { pruneTransfers } from './jobs/prune-transfers';
import { createScheduler } from './jobs/scheduler';
import { reconcilePurchaseAudits } from './services/billing/purchase-audit';
import { createEmailChannel } from './services/mail/email-channel';
import { createMailOutbox } from './services/mail/outbox';
import { createSmtpTransport } from './services/mail/transport';
import { demoEngine } from './simulator/engine';
import { createRetryJobs } from './services/transfers/retry-jobs';
import { withDeadline } from './domain/with-deadline';
import {
  connectStore,
  createChatDeliveries,
  createHomeViewers,
  recordTransferPartitions,
  setStoreBulkMax,
  setStoreUpdateConcurrency,
} from './store';
import { createStorePorts } from './services/ports';
import { seedDemoTenant } from './simulator/seed-demo';
import { upgradeLegacyStore } from './store/upgrade-legacy';
import { createViewLinks } from './domain/view-links';
import { withChartLinks } from './web/usage-chart-image';
import { createViewRoutes } from './web/view-routes';

export interface App {
  /** Connects the store and the broker, creates topics, starts consumers and the HTTP server. */
  start(): Promise<void>;
  /** Stops taking requests, lets consumers finish their batch and commit, then disconnects. */
  stop(): Promise<void>;
  /** The HTTP base URL once started, e.g. http://127.0.0.1:3000. */
  url(): string;
  /** The platform-neutral command core: the chat bots and the console answer through it. */
  readonly core: CommandCore;
  /** The chat platforms its settings turned on, in the order of CHAT_PLATFORMS. */
  readonly platforms: readonly ChatPlatform[];
  /** The Slack bot, when SLACK_BOT_TOKEN (and a signing secret or an app token) is set. */
  readonly slack: SlackBot | undefined;
  /** The Discord bot, when DISCORD_PUBLIC_KEY (HTTP) or DISCORD_BOT_TOKEN (gateway) is set. */
  readonly discord: DiscordBot | undefined;
}

/**
 * The chat platforms the service runs, each on when its settings are there. Their order is the
 * order they start in and their alert channels are tried in. Adding a platform is one line here
 * (README, "Layout").
 */
export const CHAT_PLATFORMS: readonly PlatformSetup[] = [slackPlatform, discordPlatform];

export interface AppOptions {
  /** Instead of CHAT_PLATFORMS (a test adds one of its own). */
  platforms?: readonly PlatformSetup[];
}

/** The composition root: the one place where real implementations are wired together. */
export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const metrics = createMetrics();
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    logger,
    ...kafkaSecurity(config),
  });
  const producer = createEventProducer(kafka, naming, {
    lingerMs: config.KAFKA_LINGER_MS,
    maxBatchMessages: config.KAFKA_BATCH_MAX_MESSAGES,
    maxBatchBytes: config.KAFKA_BATCH_MAX_BYTES,
  });
  const kafkaProbe = createKafkaProbe(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID, kafkaSecurity(config));
  setStoreBulkMax(config.STORE_BULK_MAX);
  setStoreUpdateConcurrency(config.STORE_UPDATE_CONCURRENCY);
  const store = connectStore(config.MONGO_URL, { logger });
  const { models } = store;

  // Names this instance in the claims it takes; unique even for two instances in one process (tests).
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const answerTimeoutMs = config.JOB_ANSWER_TIMEOUT_SECONDS * 1000;
  // Bulk retries any instance carries on; claimed and looked for like the scheduler's ticks.
  const retryJobs = createRetryJobs({
    models,
    producer,
    logger,
    instanceId,
    leaseMs: config.JOB_LEASE_SECONDS * 1000,
    pollMs: config.JOB_RELOAD_SECONDS * 1000,
  });
  const ports = createStorePorts(
    { models, producer, logger },
    {
      transfers: {
        retention: { days: config.RETENTION_DAYS, maxTransfers: config.RETENTION_MAX_TRANSFERS },
        retryJobs,
      },
      // A schedule changed here runs on it at once; other instances pick it up at their next reload.
      jobs: {
        answerTimeoutMs,
        instanceId,
        missedGraceMs: config.JOB_MISSED_GRACE_SECONDS * 1000,
        onScheduleChanged: () => void scheduler.reload(),
      },
    },
  );
  const linkSecret = config.LINK_SECRET ?? randomBytes(32).toString('base64url');
  if (!config.LINK_SECRET) {
    logger.warn('LINK_SECRET is not set: a random secret signs links, and they stop working when the service restarts');
  }
  // Links name where people reach the service; until it listens (PORT=0), the configured address.
  const links = createViewLinks({
    baseUrl: () => config.PUBLIC_URL ?? (server ? selfUrl() : `http://${config.HOST}:${config.PORT}`),
    secret: linkSecret,
    ttlMs: config.LINK_TTL_DAYS * 24 * 60 * 60_000,
  });

  // With PUBLIC_URL the platforms can fetch from the service: every chart then carries a signed link
  // to its PNG, which Slack shows inline (ephemeral replies, App Home) instead of receiving an upload.
  const core = createCommandCore({
    ports: config.PUBLIC_URL ? { ...ports, charts: withChartLinks(ports.charts, links) } : ports,
    logger,
    commands: COMMANDS,
    actions: ACTIONS,
  });

  const outbox = createMailOutbox({
    models,
    transport: config.SMTP_URL ? createSmtpTransport(config.SMTP_URL) : undefined,
    from: config.MAIL_FROM,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: config.MAIL_RETRY_SECONDS * 1000,
    instanceId,
    logger,
  });
  // Chat deliveries handled and Home viewers live in the store, so instances behind one load
  // balancer act as one: a repeated delivery acts once, and any instance refreshes every Home tab.
  const chatDeliveries = createChatDeliveries({
    models,
    owner: instanceId,
    onError: (err, what) => logger.warn({ err }, `${what} failed`),
  });
  const homeViewers = createHomeViewers({ models });
  const setups = (options.platforms ?? CHAT_PLATFORMS).map((setup) =>
    setup({ config, core, ports, deliveries: chatDeliveries, homeViewers, models, logger }),
  );
  const platforms = setups.filter(isOn);
  for (const platform of platforms) if (platform.naming) namePlatform(platform.name, platform.naming);
  const platformNamed = (name: string) => platforms.find((platform) => platform.name === name);

  const runnerDeps = {
    kafka,
    naming,
    producer,
    logger,
    metrics,
    onDeadLetter: createDeadLetterAlerts({
      producer,
      naming,
      tenantExists: async (tenantId) => (await models.Tenant.exists({ tenantId })) !== null,
      logger,
      withoutTenant: metrics.deadLettersWithoutTenant,
    }),
  };
  const tenantOperations = createTenantOperations({ models, producer, logger });
  const recorder = recordTransfers({ models, producer, logger, cacheTransfers: config.RECORDER_CACHE_TRANSFERS });
  const runners: ConsumerRunner[] = [
    createConsumerRunner(normalizeShopifyWebhooks({ models, producer, logger }), runnerDeps),
    createConsumerRunner(recorder, runnerDeps),
    createConsumerRunner(
      notifyAlerts({
        models,
        logger,
        // Without bot tokens the notifier still keeps the groups' counts; it just posts nowhere.
        channels: [
          ...platforms.flatMap((platform) => (platform.alerts ? [platform.alerts] : [])),
          // Always on: without SMTP_URL the mails wait in the outbox instead of being dropped.
          createEmailChannel({ models, logger, outbox }),
        ],
        settings: {
          windowMs: config.ALERT_WINDOW_MINUTES * 60_000,
          repeatIntervalMs: config.ALERT_REPEAT_MINUTES * 60_000,
          threshold: config.ALERT_THRESHOLD,
        },
        links,
        charts: ports.charts,
        skipped: metrics.alertsSkipped,
        onAlert: async (tenantId) => {
          await Promise.all(platforms.map((platform) => platform.refreshHome(tenantId)));
        },
      }),
      runnerDeps,
    ),
  ];
  // The IEX platform's customers, as it publishes them: applied and erased as the admin API would.
  runners.push(createConsumerRunner(followTenantSpecs({ tenants: tenantOperations, logger }), runnerDeps));
  // Answers the demo tenant's commands as a real engine would (through POST /webhooks/events), so
  // scheduled runs produce transfers and retries recover without an engine of one's own.
  if (config.DEMO_ENGINE ?? config.DEMO_SEED) {
    runners.push(
      createConsumerRunner(demoEngine({ baseUrl: () => selfUrl(), models, logger }), {
        ...runnerDeps,
        // Switched on for an existing store, it answers what comes from now on, not the topic's history.
        fromBeginning: false,
      }),
    );
  }

  const syncJobs = connectionSyncJobs({
    models,
    producer,
    logger,
    settings: {
      answerTimeoutMs,
      missedGraceMs: config.JOB_MISSED_GRACE_SECONDS * 1000,
      failureAlertAfter: config.JOB_FAILURE_ALERT_AFTER,
    },
  });
  const scheduler = createScheduler({
    jobs: [pruneTransfers, periodRoll, dailyDigest, auditPurchases],
    dynamic: syncJobs.dynamic,
    maintenance: [...syncJobs.maintenance, { name: 'prune chat deliveries', run: (now) => chatDeliveries.prune(now) }],
    reloadMs: config.JOB_RELOAD_SECONDS * 1000,
    leaseMs: config.JOB_LEASE_SECONDS * 1000,
    deps: {
      models,
      producer,
      settings: {
        retentionDays: config.RETENTION_DAYS,
        maxTransfersPerTenant: config.RETENTION_MAX_TRANSFERS,
        digestHour: config.DIGEST_HOUR,
      },
      now: () => new Date(),
    },
    logger,
    instanceId,
    models,
  });

  // The recorder turns accepted events into what people see: behind and not moving is an outage.
  const recorderGroup = naming.group(recorder.groupId);
  const recorderProgress = createProgressWatch({
    name: 'recorder',
    readLag: () => kafkaProbe.groupLag(recorderGroup, naming.topic('transfers')),
    stuckAfterMs: config.RECORDER_STUCK_SECONDS * 1000,
    onReading: (lag) => metrics.consumerLag.set({ group: recorderGroup }, lag),
  });
  const http = createHttpApp({
    logger,
    metrics,
    healthTimeoutMs: config.HEALTH_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    checks: [
      { name: 'kafka', check: () => kafkaProbe.check() },
      // A real write and read: a wedged store still answers ping.
      storeHealthCheck(store.connection),
      recorderProgress,
    ],
    beforeScrape: [() => recorderProgress.check()],
    routers: [
      {
        path: '/webhooks',
        router: createWebhookRoutes({
          secrets: createTenantSecrets(models),
          producer,
          logger,
          maxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES,
          maxEvents: config.WEBHOOK_MAX_EVENTS,
          kafkaTimeoutMs: config.INGEST_KAFKA_TIMEOUT_MS,
        }),
      },
      { path: '/view', router: createViewRoutes({ ports, secret: linkSecret, logger }) },
      ...adminRoutes(),
      ...platforms.flatMap((platform) => platform.routes),
    ],
  });
  let server: Server | undefined;

  function adminRoutes() {
    const parsed = config.ADMIN_TOKENS ? parseAdminTokens(config.ADMIN_TOKENS) : undefined;
    if (!parsed || !('tokens' in parsed) || parsed.tokens.length === 0) {
      logger.info('the admin API is off: set ADMIN_TOKENS to turn it on');
      return [];
    }
    logger.info(
      { path: ADMIN_PATH, tokens: parsed.tokens.map(({ name, scope }) => `${name} (${scope})`) },
      'the admin API is on',
    );
    return [
      { path: ADMIN_PATH, router: createAdminRoutes({ tokens: parsed.tokens, tenants: tenantOperations, logger }) },
    ];
  }

  function selfUrl(): string {
    const address = server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the HTTP server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  return {
    core,
    platforms,
    slack: (platformNamed('slack') as SlackPlatform | undefined)?.bot,
    discord: (platformNamed('discord') as DiscordPlatform | undefined)?.bot,

    async start() {
      await assertCanListen(config.PORT, config.HOST);
      await store.ready();
      await upgradeLegacyStore(models, logger);
      // A purchase whose process stopped before its audit entry gets it now, not at the next hour.
      await reconcilePurchaseAudits(models, logger).catch((err: unknown) =>
        logger.warn({ err }, 'could not look for unaudited purchases; the hourly job tries again'),
      );
      outbox.start();
      if (config.DEMO_SEED) {
        const seeded = await seedDemoTenant(models);
        if (seeded) logger.info({ tenantId: seeded }, 'seeded the demo tenant');
      }
      const created = await ensureTopics(kafka, naming, {
        partitions: config.KAFKA_PARTITIONS,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      });
      if (created.length > 0) logger.info({ topics: created }, 'created topics');
      await recordTransferPartitions(models, await topicPartitionCount(kafka, naming.topic('transfers')));
      await producer.connect();
      retryJobs.start();
      for (const runner of runners) await runner.start();
      if (config.JOBS_ENABLED) scheduler.start();
      server = await listenOn(createServer(http), config.PORT, config.HOST);
      for (const setup of setups) {
        if (isOn(setup)) await setup.start();
        else logger.info(setup.off);
      }
      logger.info({ url: this.url() }, 'IEX ChatOps is up');
    },

    async stop() {
      // Within SHUTDOWN_TIMEOUT_MS whatever hangs: each step gets what is left of the time, and a
      // step that does not end in it is left behind (the process exits anyway).
      const begun = Date.now();
      const deadline = begun + config.SHUTDOWN_TIMEOUT_MS;
      const left = (reserveMs = 0) => Math.max(0, deadline - reserveMs - Date.now());
      const unfinished: string[] = [];
      const step = async <T>(what: string, ms: number, work: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await withDeadline(work(), ms, what);
        } catch (err) {
          unfinished.push(what);
          logger.warn({ err, step: what }, 'a step of stopping did not finish; going on');
          return undefined;
        }
      };
      // The last seconds are kept for the producer and the store, so what was drained is flushed.
      const reserveMs = Math.min(3_000, config.SHUTDOWN_TIMEOUT_MS / 4);

      // No new requests; those in flight get a share of the time, then their connections close.
      await step(
        'HTTP requests in flight',
        left(reserveMs) / 4,
        () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
      );
      server?.closeAllConnections();
      // Requests a platform acknowledged (Slack, Discord) are answered before the store closes.
      for (const platform of platforms)
        await step(`the ${namingOf(platform.name).title} bot`, left(reserveMs), () => platform.stop());
      // Side by side: no new chunk of a bulk retry (the rest is handed over), running jobs get the
      // abort signal (their ticks are handed over), consumers finish and commit their batch.
      const [retries, jobs] = await Promise.all([
        retryJobs.stop(left(reserveMs)),
        scheduler.stop(left(reserveMs)),
        step('consumers', left(reserveMs), () => Promise.all(runners.map((runner) => runner.stop()))),
      ]);
      if (retries.stuck > 0) unfinished.push(`${retries.stuck} bulk ${retries.stuck === 1 ? 'retry' : 'retries'}`);
      await step('the mail outbox', left(reserveMs), () => outbox.stop());
      await step('the producer', left(), () => producer.disconnect().catch(() => undefined));
      await step('the broker probe', left(), () => kafkaProbe.close());
      await step('the store', left(), () => store.close());
      const interrupted = jobs.interrupted;
      logger.info(
        {
          durationMs: Date.now() - begun,
          timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
          bulkRetriesHandedOver: retries.jobs,
          retriesNotSentYet: retries.unsent,
          jobsInterrupted: interrupted,
          ...(jobs.stillRunning.length ? { jobsStillRunning: jobs.stillRunning } : {}),
          ...(unfinished.length ? { unfinished } : {}),
        },
        `IEX ChatOps stopped; left for other instances: ${retries.jobs} bulk ${retries.jobs === 1 ? 'retry' : 'retries'} (${retries.unsent} retries not sent yet), ${interrupted.length} interrupted ${interrupted.length === 1 ? 'job' : 'jobs'}${interrupted.length ? ` (${interrupted.join(', ')})` : ''}${unfinished.length ? `; did not finish: ${unfinished.join(', ')}` : ''}`,
      );
    },

    url: selfUrl,
  };
}
