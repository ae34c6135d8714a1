import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import type { KafkaMessage } from 'kafkajs';
import { createApp, type App } from '../../src/app';
import { encodeAction } from '../../src/chat/actions';
import { renderText } from '../../src/chat/render-text';
import type { AlertEvent } from '../../src/domain/alerts';
import type { Command } from '../../src/domain/commands';
import { nextCronRun } from '../../src/domain/cron-next';
import { wallClock } from '../../src/domain/zoned-time';
import { transferEvent } from '../fixtures/transfer-events';
import { linkedSlackTenant } from '../support/command-core';
import { readTopic } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { postEvents } from '../support/webhooks';

let running: RunningApp;

beforeAll(async () => {
  running = await startTestApp({
    JOB_RELOAD_SECONDS: '1',
    JOB_ANSWER_TIMEOUT_SECONDS: '12',
    JOB_FAILURE_ALERT_AFTER: '1',
    JOB_MISSED_GRACE_SECONDS: '30',
  });
});

afterAll(async () => {
  await running?.stop();
});

/** A seconds-level cron that fires once, `inMs` from now (then again only in a year). */
function onceAt(inMs: number): { cron: string; at: Date } {
  const at = new Date(Math.ceil((Date.now() + inMs) / 1000) * 1000);
  const wall = new Date(wallClock(at.getTime(), DEFAULT_TIMEZONE));
  const cron = `${wall.getUTCSeconds()} ${wall.getUTCMinutes()} ${wall.getUTCHours()} ${wall.getUTCDate()} ${wall.getUTCMonth() + 1} *`;
  return { cron, at };
}

const parse = <T>(message: KafkaMessage) => JSON.parse(message.value!.toString()) as T;

async function syncCommands(tenantId: string, count: number, timeoutMs = 30_000) {
  const messages = await readTopic(running.kafka, running.naming.topic('commands'), count, {
    where: (message) => {
      const command = parse<Command>(message);
      return command.tenantId === tenantId && command.type === 'connection.sync';
    },
    timeoutMs,
  });
  return messages.map((message) => parse<Extract<Command, { type: 'connection.sync' }>>(message));
}

async function alertsOf(tenantId: string, kind: AlertEvent['kind'], count = 1) {
  const messages = await readTopic(running.kafka, running.naming.topic('alerts'), count, {
    where: (message) => {
      const alert = parse<AlertEvent>(message);
      return alert.tenantId === tenantId && alert.kind === kind;
    },
  });
  return messages.map((message) => parse<AlertEvent>(message));
}

/** A tenant whose products connection runs on `cron`. */
async function scheduledTenant(cron: string) {
  const tenant = await linkedSlackTenant(running.store.models);
  await running.store.models.DataConnection.updateOne(
    { tenantId: tenant.tenantId, connectionId: 'products' },
    { $set: { mode: 'schedule', cron } },
  );
  return tenant;
}

async function jobsText(app: App, caller: Parameters<App['core']['handleCommand']>[0]) {
  return renderText(await app.core.handleCommand(caller, 'jobs'));
}

test('a job ticks, asks the engine to sync, and records its run, its result and its next run', async () => {
  const { cron, at } = onceAt(3000);
  const { tenantId, viewer } = await scheduledTenant(cron);
  const { models } = running.store;

  const [command] = await syncCommands(tenantId, 1);
  expect(command).toMatchObject({
    type: 'connection.sync',
    tenantId,
    connectionId: 'products',
    jobId: 'products',
    actor: { platform: 'system' },
  });
  const job = await waitFor('the run on the job', () =>
    models.Job.findOne({ tenantId, jobId: 'products', lastStatus: 'running' })
      .lean()
      .then((found) => found ?? false),
  );
  expect(job.lastRunAt).toEqual(at);
  expect(job.lastRunId).toBe(command!.id);
  expect(job.nextRunAt).toEqual(nextCronRun(cron, DEFAULT_TIMEZONE, at));
  expect(job.nextRunAt!.getTime()).toBeGreaterThan(at.getTime() + 300 * 24 * 3600 * 1000);

  // The engine answers with two transfers that carry the run's id: one goes through, one fails.
  const engineSecret = (await models.Tenant.findOne({ tenantId }).select('+webhookSecret').lean())!.webhookSecret!;
  const ok = {
    tenantId,
    connectionId: 'products',
    entity: 'product' as const,
    runId: command!.id,
    transferId: 'sku-1',
  };
  const bad = { ...ok, transferId: 'sku-2' };
  const posted = await postEvents(running.app.url(), tenantId, engineSecret, [
    transferEvent({ ...ok, type: 'transfer.started' }),
    transferEvent({ ...ok, type: 'transfer.succeeded' }),
    transferEvent({ ...bad, type: 'transfer.started' }),
    transferEvent({
      ...bad,
      type: 'transfer.failed',
      error: { code: 'economic.product_group_missing', message: 'Product group 11 does not exist', retryable: false },
    }),
  ]);
  expect(posted.status).toBe(202);

  const run = await waitFor('the run to settle', () =>
    models.JobRun.findOne({ runId: command!.id, finishedAt: { $exists: true } })
      .lean()
      .then((found) => found ?? false),
  );
  expect(run).toMatchObject({
    status: 'failed',
    transfers: { total: 2, succeeded: 1, failed: 1 },
    failure: 'economic.product_group_missing: Product group 11 does not exist',
  });
  await waitFor(
    'the job to show it',
    async () => (await models.Job.findOne({ tenantId, jobId: 'products' }).lean())?.lastStatus === 'failed',
  );
  const text = await jobsText(running.app, viewer);
  expect(text).toContain('failed — 2 transfers, 1 failed');
  expect(text).toContain('Product group 11 does not exist');
  // One failure is enough here (JOB_FAILURE_ALERT_AFTER=1): one grouped alert for the job.
  const [failing] = await alertsOf(tenantId, 'job.failing');
  expect(failing).toMatchObject({
    id: `job.failing:${command!.id}`,
    groupKey: `job:${tenantId}:products`,
    failures: 1,
    lastStatus: 'failed',
    entity: 'product',
  });
});

test('a run the engine does not answer gets "no answer"; a good run after it recovers the job', async () => {
  const { cron } = onceAt(2000);
  const { tenantId, admin, viewer } = await scheduledTenant(cron);
  const { models } = running.store;
  const [command] = await syncCommands(tenantId, 1);

  const run = await waitFor(
    'no answer',
    () =>
      models.JobRun.findOne({ runId: command!.id, status: 'no_answer' })
        .lean()
        .then((found) => found ?? false),
    { timeoutMs: 20_000 },
  );
  expect(run.transfers?.total).toBe(0);
  expect(await jobsText(running.app, viewer)).toContain('no answer from the integration engine');
  const [failing] = await alertsOf(tenantId, 'job.failing');
  expect(failing).toMatchObject({ lastStatus: 'no_answer', failures: 1 });

  // Run now, from the alert's button; the engine answers this time.
  const reply = await running.app.core.handleAction(admin, encodeAction('jobs.run', { id: 'products' }));
  expect(renderText(reply)).toContain('started a run of Shopify > e-conomic (product)');
  const manual = (await syncCommands(tenantId, 2)).find((candidate) => candidate.id !== command!.id)!;
  expect(manual.actor).toEqual({ platform: 'slack', userId: admin.userId });
  const secret = (await models.Tenant.findOne({ tenantId }).select('+webhookSecret').lean())!.webhookSecret!;
  const ok = { tenantId, connectionId: 'products', entity: 'product' as const, runId: manual.id, transferId: 'sku-9' };
  await postEvents(running.app.url(), tenantId, secret, [
    transferEvent({ ...ok, type: 'transfer.started' }),
    transferEvent({ ...ok, type: 'transfer.succeeded' }),
  ]);
  const [recovered] = await alertsOf(tenantId, 'job.recovered');
  expect(recovered).toMatchObject({ id: `job.recovered:${manual.id}`, groupKey: `job:${tenantId}:products` });

  // A viewer may look, not run.
  const refused = await running.app.core.handleCommand(viewer, 'jobs run products');
  expect(renderText(refused)).toMatch(/admin/i);
});

test('two instances of the service fire each tick exactly once', async () => {
  const { tenantId } = await scheduledTenant('* * * * * *');
  const { logger, records } = captureLogger('debug');
  const second = createApp(running.config, logger);
  await second.start();
  try {
    // Both instances have the job: each logs "job scheduled" for it; wait for ten ticks.
    const commands = await syncCommands(tenantId, 10);
    const ticks = commands.map((command) => command.id);
    expect(new Set(ticks).size).toBe(ticks.length);
    // Nor were ticks lost between them: every tick the second instance found taken was run by the
    // first. (node-cron may drop a tick outright when a busy machine wakes it late; that is not a
    // loss between instances, so the runs need not be consecutive seconds.)
    const seconds = commands
      .map((command) => Date.parse(command.id.slice(command.id.indexOf('@') + 1)) / 1000)
      .sort((a, b) => a - b);
    const taken = records
      .filter((record) => record.msg === 'tick taken by another instance' && record.job === `sync:${tenantId}:products`)
      .map((record) => Date.parse(String(record.tick)) / 1000)
      // A tick published after the tenth command was read is not in `commands` yet.
      .filter((tick) => tick >= seconds[0]! && tick < seconds.at(-1)!);
    expect(taken.filter((tick) => !seconds.includes(tick))).toEqual([]);
    // Both instances took part: each won ticks, or the second found the ones it tried taken.
    const claims = await running.store.models.Lease.find({ job: `sync:${tenantId}:products` }).lean();
    const lost = records.some(
      (record) => record.msg === 'tick taken by another instance' && record.job === `sync:${tenantId}:products`,
    );
    expect(new Set(claims.map((claim) => claim.owner)).size === 2 || lost).toBe(true);
  } finally {
    await running.store.models.DataConnection.updateOne(
      { tenantId, connectionId: 'products' },
      { $set: { active: false } },
    );
    await second.stop();
  }
  const runs = await running.store.models.JobRun.find({ tenantId }).lean();
  expect(new Set(runs.map((run) => run.runId)).size).toBe(runs.length);
});

test('a run missed while no instance was up is reported on the job and raises an alert', async () => {
  const tenant = await linkedSlackTenant(running.store.models);
  const { tenantId } = tenant;
  const { models } = running.store;
  const now = Date.now();
  // The job runs hourly and last ran three hours ago: the service was down since.
  await models.Job.create({
    tenantId,
    jobId: 'products',
    connectionId: 'products',
    cron: '0 * * * *',
    timezone: DEFAULT_TIMEZONE,
    lastRunAt: new Date(Math.floor(now / 3600_000) * 3600_000 - 3 * 3600_000),
    lastStatus: 'succeeded',
    scheduledSince: new Date(now - 24 * 3600_000),
  });
  await models.DataConnection.updateOne(
    { tenantId, connectionId: 'products' },
    { $set: { mode: 'schedule', cron: '0 * * * *' } },
  );

  const [missed] = await alertsOf(tenantId, 'job.missed');
  expect(missed).toMatchObject({ groupKey: `job:${tenantId}:products`, connectionId: 'products', entity: 'product' });
  expect((missed as Extract<AlertEvent, { kind: 'job.missed' }>).missedRuns).toBeGreaterThanOrEqual(2);
  const run = await models.JobRun.findOne({ tenantId, status: 'missed' }).lean();
  expect(run?.missedRuns).toBe((missed as Extract<AlertEvent, { kind: 'job.missed' }>).missedRuns);
  const text = await jobsText(running.app, tenant.viewer);
  expect(text).toMatch(/1 job missed its run/);
  expect(text).toMatch(/Missed its run due/);
});

test('a schedule changed from chat, or a connection switched off, takes effect without a restart', async () => {
  const tenant = await scheduledTenant('*/15 * * * *');
  const { tenantId, admin, viewer } = tenant;
  const { models } = running.store;
  await waitFor('the job', () =>
    models.Job.findOne({ tenantId, jobId: 'products' })
      .lean()
      .then((job) => job ?? false),
  );

  const refused = await running.app.core.handleCommand(viewer, 'jobs schedule products 0 6 * * 1-5');
  expect(renderText(refused)).toMatch(/Only admins/);
  const bad = await running.app.core.handleCommand(admin, 'jobs schedule products 0 6 * *');
  expect(renderText(bad)).toMatch(/is not a schedule/);
  const badZone = await running.app.core.handleCommand(
    admin,
    'jobs schedule products 0 6 * * 1-5 --timezone Mars/Base',
  );
  expect(renderText(badZone)).toMatch(/not a time zone/);
  const webhook = await running.app.core.handleCommand(admin, 'jobs schedule orders 0 6 * * 1-5');
  expect(renderText(webhook)).toMatch(/event-driven/);

  const changed = await running.app.core.handleCommand(
    admin,
    'jobs schedule products 0 6 * * 1-5 --timezone Europe/London',
  );
  expect(renderText(changed)).toMatch(/changed the schedule of Shopify > e-conomic \(product\)/);
  const job = await waitFor('the new schedule on the job', () =>
    models.Job.findOne({ tenantId, jobId: 'products', cron: '0 6 * * 1-5' })
      .lean()
      .then((found) => found ?? false),
  );
  expect(job.timezone).toBe('Europe/London');
  expect(job.nextRunAt).toEqual(nextCronRun('0 6 * * 1-5', 'Europe/London', new Date(job.updatedAt)));
  const audit = await models.AuditEntry.findOne({ tenantId, action: 'job.schedule' }).lean();
  expect(audit?.details).toMatchObject({ cron: '0 6 * * 1-5', timezone: 'Europe/London' });

  await running.app.core.handleAction(admin, encodeAction('connection.toggle', { id: 'products', on: 0 }));
  await waitFor(
    'the job to be unscheduled',
    () => running.logs.some((record) => record.msg === 'job unscheduled' && record.job === `sync:${tenantId}:products`),
    { timeoutMs: 10_000 },
  );
  expect((await models.Job.findOne({ tenantId, jobId: 'products' }).lean())?.paused).toBe(true);
  expect(await jobsText(running.app, viewer)).toContain('Next run: paused');
});
