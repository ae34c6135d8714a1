import { type NotificationTrigger } from '../../src/domain/closed-lists';
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { createSlackAlertSender } from '../../bots/slack/alert-sender';
import { notifyAlerts } from '../../consumers/notifier';
import type { AlertChannel, AlertMeta } from '../../src/services/alerts/channels';
import { recordTransfers } from '../../consumers/transfer-recorder';
import { decodeAction } from '../../src/chat/actions';
import { ACTIONS, COMMANDS } from '../../src/commands/catalog';
import { alertActions } from '../../src/commands/catalog/alerts';
import { topupActions } from '../../src/commands/catalog/topup';
import { createCommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Config } from '../../src/config/config';
import { digestGroupKey, failureGroupKey, jobGroupKey, quotaGroupKey, type AlertEvent } from '../../src/domain/alerts';
import { transferKey, type TransferEvent } from '../../src/domain/events';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner, type ConsumerRunner } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { createStorePorts } from '../../src/services/ports';
import { createAlertsPort } from '../../src/services/ports/alerts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { readTopic, testKafka, waitForGroupCaughtUp } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { failure, recovery, VAT } from '../fixtures/alert-events';

/** The buttons of a recorded Slack message: label and the encoded action or the link each carries. */
function buttonsOf(call: RecordedCall): Array<{ label: string; action?: string; url?: string }> {
  const blocks = (call.body.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ type: string; text?: { text: string }; value?: string; url?: string }>;
  }>;
  return blocks
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? [])
    .map((element) => ({
      label: element.text?.text ?? '',
      ...(element.value ? { action: element.value } : {}),
      ...(element.url ? { url: element.url } : {}),
    }));
}

/** Links as the web views sign them; here only their shape matters. */
const links = {
  transfer: (tenantId: string, transferId: string) => `https://iex.example/t/${tenantId}/${transferId}?sig=x`,
  subscription: (tenantId: string) => `https://iex.example/s/${tenantId}?sig=x`,
  usage: (tenantId: string) => `https://iex.example/u/${tenantId}?sig=x`,
};

describe('the notifier: alerts to Slack channels, grouped', () => {
  let config: Config;
  let naming: Naming;
  let store: Store;
  let producer: EventProducer;
  let runner: ConsumerRunner;
  let recorder: ConsumerRunner;
  let admin: Admin;
  let slack: FakeSlackApi;
  const refreshed: string[] = [];
  /** What the notifier told the channel about each message it posted. */
  const posts: Array<{ target: string; meta?: AlertMeta }> = [];
  const { logger } = captureLogger();

  const startRunner = async () => {
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'notifier-test', logger });
    runner = createConsumerRunner(
      notifyAlerts({
        models: store.models,
        logger,
        channels: [recording(createSlackAlertSender({ token: 'xoxb-test', apiUrl: slack.url, logger }))],
        onAlert: (tenantId) => void refreshed.push(tenantId),
        links,
      }),
      { kafka, naming, producer, logger, retryDelayMs: { initial: 100, max: 1_000 }, sessionTimeoutMs: 10_000 },
    );
    await runner.start();
  };

  const recording = (channel: AlertChannel): AlertChannel => ({
    ...channel,
    post: (target, message, meta) => {
      posts.push({ target, ...(meta ? { meta } : {}) });
      return channel.post(target, message, meta);
    },
  });

  const newChannel = () => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;

  /** A tenant with one Slack channel of its own for the triggers given. */
  const tenantWithRules = async (triggers: NotificationTrigger[]) => {
    const tenant = await createTestTenant(store.models);
    const channel = newChannel();
    if (triggers.length > 0) {
      await store.models.NotificationRule.create(
        triggers.map((trigger) => ({
          tenantId: tenant.tenantId,
          trigger,
          recipient: { kind: 'slack' as const, target: channel },
        })),
      );
    }
    return { ...tenant, channel };
  };

  /**
   * The tenant's Slack workspace, with an admin and a viewer, and a command core to press the
   * buttons of its alerts with, as the Slack adapter does.
   */
  const chatFor = async (tenant: { tenantId: string; channel: string }) => {
    const workspaceId = `T-${tenant.tenantId}`;
    await store.models.Binding.create({ platform: 'slack', workspaceId, channelId: '', tenantId: tenant.tenantId });
    await store.models.Member.create([
      { tenantId: tenant.tenantId, platform: 'slack', platformUserId: 'UADMIN', role: 'admin' },
      { tenantId: tenant.tenantId, platform: 'slack', platformUserId: 'UVIEW', role: 'viewer' },
    ]);
    const deps = { models: store.models, producer, logger };
    const ports = { ...createStorePorts(deps), alerts: createAlertsPort(deps) };
    const core = createCommandCore({ ports, logger, commands: COMMANDS, actions: [...ACTIONS, ...alertActions] });
    return {
      caller: (userId: string): Caller => ({ platform: 'slack', userId, workspaceId, channelId: tenant.channel }),
      press: (caller: Caller, action: string) => core.handleAction(caller, action),
    };
  };

  const send = (...alerts: AlertEvent[]) =>
    producer.sendJson(
      'alerts',
      alerts.map((alert) => ({ key: alert.tenantId, value: alert })),
    );
  const callsIn = (channel: string) => slack.calls.filter((call) => call.body.channel === channel);
  const groupOf = (tenantId: string) =>
    store.models.AlertState.findOne({ tenantId, groupKey: failureGroupKey(tenantId, 'orders', VAT.code) }).lean();
  const caughtUp = () => waitForGroupCaughtUp(admin, naming.group('iex.notifier'), naming.topic('alerts'));

  beforeAll(async () => {
    config = testConfig();
    naming = createNaming(config.KAFKA_NAMESPACE);
    store = connectStore(config.MONGO_URL);
    await store.ready();
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'notifier-test', logger });
    await ensureTopics(kafka, naming, { partitions: 3, replicationFactor: 1 });
    producer = createEventProducer(kafka, naming);
    slack = await new FakeSlackApi().start();
    admin = testKafka().admin();
    await admin.connect();
    await startRunner();
    recorder = createConsumerRunner(recordTransfers({ models: store.models, producer, logger }), {
      kafka,
      naming,
      producer,
      logger,
      sessionTimeoutMs: 10_000,
    });
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await runner?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
    await slack?.stop();
    await store?.connection.dropDatabase();
    await store?.close();
  });

  it('posts the first failure of a group and updates that message with the count for the next ones', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    // An e-mail recipient is another issue's: it is skipped without holding up Slack.
    await store.models.NotificationRule.create({
      tenantId: tenant.tenantId,
      trigger: 'transfer.failed',
      recipient: { kind: 'email', target: 'ops@example.com' },
    });

    await send(failure(tenant.tenantId, { reference: '#1012', country: 'NO' }));
    const [posted] = await waitFor(
      'the first alert',
      () => callsIn(tenant.channel).length === 1 && callsIn(tenant.channel),
    );
    expect(posted).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-test' });
    expect(posted!.body.text).toBe(
      '1 order failed · Shopify &gt; e-conomic · Unknown VAT zone for country "NO" on order #1012',
    );
    expect(buttonsOf(posted!).map(({ label }) => label)).toEqual([
      'Retry',
      'Mute 1 h',
      'Mute 24 h',
      'Open log',
      'Open transfer',
    ]);
    const actions = Object.fromEntries(
      buttonsOf(posted!).map(({ label, action }) => [label, decodeAction(action ?? '')]),
    );
    expect(actions.Retry).toEqual({ id: 'retry.ask', values: { conn: 'orders', code: VAT.code } });
    expect(actions['Mute 1 h']).toEqual({ id: 'alert.mute', values: { conn: 'orders', code: VAT.code, h: '1' } });
    expect(actions['Open log']).toEqual({
      id: 'log.page',
      values: { page: '1', status: 'failed', conn: 'orders', code: VAT.code },
    });
    const first = (await groupOf(tenant.tenantId))?.last?.transferId;
    expect(buttonsOf(posted!).at(-1)!.url).toBe(links.transfer(tenant.tenantId, first!));
    expect(posts.find(({ target }) => target === tenant.channel)?.meta).toEqual({
      deliveryKey: expect.any(String),
      tenantId: tenant.tenantId,
      groupKey: failureGroupKey(tenant.tenantId, 'orders', VAT.code),
      trigger: 'transfer.failed',
    });
    // The notifier records the message once Slack has answered, a moment after the fake saw the call.
    const ts = await waitFor(
      'the message to be recorded',
      async () => (await groupOf(tenant.tenantId))?.messageRefs?.[0]?.messageId,
    );
    expect(ts).toMatch(/^1700000000\./);

    await send(failure(tenant.tenantId, { reference: '#1013', country: 'DE' }));
    await waitFor('the first update', () => callsIn(tenant.channel).length === 2);
    await send(failure(tenant.tenantId, { reference: '#1014', country: 'SE' }));
    await waitFor('the second update', () => callsIn(tenant.channel).length === 3);

    const calls = callsIn(tenant.channel);
    expect(calls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.update']);
    expect(calls.slice(1).map((call) => call.body.ts)).toEqual([ts, ts]);
    // What the failures share is the headline; the last one's own message is in the body.
    expect(calls[1]!.body.text).toBe('2 orders failed · Shopify &gt; e-conomic · Unknown VAT zone for country');
    expect(calls[2]!.body.text).toBe('3 orders failed · Shopify &gt; e-conomic · Unknown VAT zone for country');
    expect(JSON.stringify(calls[2]!.body.blocks)).toContain('#1014 at ');
    expect(JSON.stringify(calls[2]!.body.blocks)).toContain('on order #1014');
    expect(refreshed).toContain(tenant.tenantId);
  });

  it('edits the message as the transfers succeed on retry, to resolved when all have; the next failure is a new message', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    const first = failure(tenant.tenantId);
    const second = failure(tenant.tenantId);
    await send(first);
    await waitFor('the alert', () => callsIn(tenant.channel).length === 1);
    await send(second);
    await waitFor('the update', () => callsIn(tenant.channel).length === 2);

    await send(recovery(tenant.tenantId, first.transferId));
    const partly = await waitFor('the partial recovery', () => callsIn(tenant.channel)[2]);
    expect(partly.method).toBe('chat.update');
    expect(JSON.stringify(partly.body.blocks)).toContain('1 of 2');

    await send(recovery(tenant.tenantId, second.transferId));
    const resolved = await waitFor('the resolution', () => callsIn(tenant.channel)[3]);
    expect(resolved).toMatchObject({ method: 'chat.update', body: { ts: partly.body.ts } });
    expect(resolved.body.text).toMatch(/^Resolved: 2 orders failed · Shopify &gt; e-conomic/);
    expect(JSON.stringify(resolved.body.blocks)).toContain('Both succeeded on retry');
    expect(buttonsOf(resolved)).toEqual([]);

    await send(failure(tenant.tenantId, { reference: '#2001' }));
    const fresh = await waitFor('a new message', () => callsIn(tenant.channel)[4]);
    expect(fresh.method).toBe('chat.postMessage');
    expect(fresh.body.text).toMatch(/^1 order failed · /);
  });

  it('resolves the old message when the recovery and a new failure of the group arrive together, and posts the new one', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    const first = failure(tenant.tenantId);
    await send(first);
    await waitFor('the alert', () => callsIn(tenant.channel)[0]);

    // One produce: the notifier reads both in one batch.
    await send(recovery(tenant.tenantId, first.transferId), failure(tenant.tenantId, { reference: '#3001' }));
    await waitFor('the resolution and the new message', () => callsIn(tenant.channel).length >= 3);
    const [resolved, fresh] = callsIn(tenant.channel).slice(1);
    expect(resolved!.method).toBe('chat.update');
    expect(resolved!.body.text).toMatch(/^Resolved: /);
    expect(fresh!.method).toBe('chat.postMessage');
    expect(fresh!.body.text).toMatch(/^1 order failed · /);
    await caughtUp();
    expect(callsIn(tenant.channel)).toHaveLength(3);
  });

  it('posts nothing for a muted group but counts its failures; Mute is a button an admin presses', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    const { press, caller } = await chatFor(tenant);

    await send(failure(tenant.tenantId));
    const posted = await waitFor('the alert', () => callsIn(tenant.channel)[0]);
    const mute = buttonsOf(posted).find(({ label }) => label === 'Mute 1 h')!.action!;

    expect((await press(caller('UVIEW'), mute)).fallback).toBe('Only admins can do this; you are a viewer.');
    const answer = await press(caller('UADMIN'), mute);
    expect(answer.visibility).toBe('ephemeral');
    expect(answer.fallback).toMatch(
      /^Muted for 1 h, until (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d: failures of Shopify > e-conomic \(order\) with error `economic.vat_zone_unknown` are counted but not posted/,
    );
    const edited = await waitFor('the message to say it is muted', () => callsIn(tenant.channel)[1]);
    expect(edited.method).toBe('chat.update');
    expect(JSON.stringify(edited.body.blocks)).toContain('Muted until');
    const audit = await store.models.AuditEntry.findOne({ tenantId: tenant.tenantId, action: 'alert.mute' }).lean();
    expect(audit).toMatchObject({
      actor: { platform: 'slack', userId: 'UADMIN' },
      target: failureGroupKey(tenant.tenantId, 'orders', VAT.code),
    });

    await send(failure(tenant.tenantId), failure(tenant.tenantId));
    await waitFor('the muted failures to be counted', async () => (await groupOf(tenant.tenantId))?.count === 3);
    await caughtUp();
    expect(callsIn(tenant.channel)).toHaveLength(2);
  });

  it('honours Retry-After when Slack rate-limits, and the alert still arrives', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    let limited = false;
    slack.respondWith((call) => {
      if (limited || call.method !== 'chat.postMessage' || call.body.channel !== tenant.channel) return undefined;
      limited = true;
      return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
    });

    await send(failure(tenant.tenantId));
    await waitFor('the alert after the rate limit', () => callsIn(tenant.channel).length === 2);
    const [refused, delivered] = callsIn(tenant.channel);
    expect([refused!.method, delivered!.method]).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(1_000);
    await waitFor(
      'the message to be recorded',
      async () => (await groupOf(tenant.tenantId))?.messageRefs?.length === 1,
    );
  });

  it('does not count an alert twice when it is delivered again, nor when the whole topic is replayed', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    const first = failure(tenant.tenantId);
    await send(first);
    await waitFor('the alert', () => callsIn(tenant.channel).length === 1);
    await send(first, failure(tenant.tenantId));
    await waitFor('the update', () => callsIn(tenant.channel).length === 2);
    await caughtUp();
    expect((await groupOf(tenant.tenantId))?.count).toBe(2);
    expect(callsIn(tenant.channel).at(-1)!.body.text).toMatch(/^2 orders failed/);

    await runner.stop();
    await admin.resetOffsets({ groupId: naming.group('iex.notifier'), topic: naming.topic('alerts'), earliest: true });
    const before = slack.calls.length;
    await startRunner();
    await caughtUp();
    expect((await groupOf(tenant.tenantId))?.count).toBe(2);
    expect(slack.calls.length).toBe(before);
  });

  it('sends a tenant nothing for a trigger it has no rule for', async () => {
    const tenant = await tenantWithRules(['quota.threshold']);
    const before = slack.calls.length;
    await send(failure(tenant.tenantId));
    await waitFor('the failure to be counted', async () => (await groupOf(tenant.tenantId))?.count === 1);
    await caughtUp();
    expect(slack.calls.length).toBe(before);
  });

  it('says the numbers of quota alerts and offers a Top up button', async () => {
    const tenant = await tenantWithRules(['quota.threshold', 'topup.auto']);
    const period = new Date().toISOString().slice(0, 7);
    const base = { tenantId: tenant.tenantId, occurredAt: new Date().toISOString(), period };
    const threshold = quotaGroupKey(tenant.tenantId, period, 'threshold-80');
    const topup = quotaGroupKey(tenant.tenantId, period, 'topup-1');
    await send(
      {
        kind: 'quota.threshold',
        id: threshold,
        groupKey: threshold,
        threshold: 80,
        used: 400,
        allowance: 500,
        ...base,
      },
      {
        kind: 'quota.topup',
        id: topup,
        groupKey: topup,
        used: 501,
        allowance: 600,
        orders: 100,
        invoiceNumber: 'IEX-2025-0042',
        totalOre: 18_625,
        ...base,
      },
    );
    await waitFor('both quota alerts', () => callsIn(tenant.channel).length === 2);
    const [warning, toppedUp] = callsIn(tenant.channel);
    expect(warning!.method).toBe('chat.postMessage');
    expect(JSON.stringify(warning!.body.blocks)).toContain('Orders: 400 of 500 used (80 %)');
    // Money as Intl formats it for the language: a no-break space after the currency.
    expect(toppedUp!.body.text).toBe('Topped up 100 orders automatically · invoice IEX-2025-0042 · DKK\u00a0186.25');
    for (const call of [warning!, toppedUp!]) {
      const buttons = buttonsOf(call);
      expect(buttons.map(({ label }) => label)).toEqual(['Top up', 'Subscription']);
      expect(buttons[1]!.url).toBe(links.subscription(tenant.tenantId));
      // The button runs the top-up command's pack choice.
      expect(topupActions.map(({ id }) => id)).toContain(decodeAction(buttons[0]!.action!).id);
    }

    // quota-check sends each quota alert once per group; a second delivery posts nothing more.
    await send({
      kind: 'quota.threshold',
      id: threshold,
      groupKey: threshold,
      threshold: 80,
      used: 400,
      allowance: 500,
      ...base,
    });
    await caughtUp();
    expect(callsIn(tenant.channel)).toHaveLength(2);
  });

  it('alerts a transfer that fails in the pipeline, and resolves the alert when its retry succeeds', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    const transfer = {
      tenantId: tenant.tenantId,
      connectionId: 'orders',
      transferId: `order-${randomUUID().slice(0, 8)}`,
      reference: '#3001',
    };
    const events = (...steps: Array<Partial<TransferEvent>>) =>
      producer.sendJson(
        'transfers',
        steps
          .map((step) => transferEvent({ ...transfer, ...step }))
          .map((event) => ({ key: transferKey(event), value: event })),
      );

    await events(
      { type: 'transfer.started' },
      { type: 'transfer.failed', error: { code: VAT.code, message: VAT.message('NO', '#3001'), retryable: false } },
    );
    const posted = await waitFor('the alert', () => callsIn(tenant.channel)[0]);
    expect(posted.body.text).toBe(
      '1 order failed · Shopify &gt; e-conomic · Unknown VAT zone for country "NO" on order #3001',
    );

    // Retry is the retry command's confirmation for this group, then its retry.
    const { press, caller } = await chatFor(tenant);
    const retry = buttonsOf(posted).find(({ label }) => label === 'Retry')!.action!;
    expect((await press(caller('UVIEW'), retry)).fallback).toBe('Only admins can do this; you are a viewer.');
    // The retry asks about transfers up to the whole second before now; asking is only a read.
    const question = await waitFor('the retry to see the failed transfer', async () => {
      const asked = await press(caller('UADMIN'), retry);
      return !asked.fallback.startsWith('No failed transfers match') && asked;
    });
    expect(question.fallback).toBe(
      'Retry 1 failed transfer of Shopify > e-conomic (order) (error `economic.vat_zone_unknown`)?',
    );
    const confirm = question.blocks
      .flatMap((block) => (block.type === 'actions' ? block.buttons : []))
      .find(({ label }) => label === 'Retry 1')!;
    expect((await press(caller('UADMIN'), confirm.action!)).fallback).toMatch(/^Queued 1 retry/);
    const [command] = await readTopic(testKafka(), naming.topic('commands'), 1, {
      where: (message) => JSON.parse(message.value!.toString()).type === 'transfer.retry',
    });
    expect(JSON.parse(command!.value!.toString())).toMatchObject({
      type: 'transfer.retry',
      tenantId: tenant.tenantId,
      transferId: transfer.transferId,
      reason: 'retry',
      actor: { platform: 'slack', userId: 'UADMIN' },
    });

    // The engine runs it again, and this time it succeeds.
    await events({ type: 'transfer.started' }, { type: 'transfer.succeeded' });
    const resolved = await waitFor('the resolution', () => callsIn(tenant.channel)[1]);
    expect(resolved.method).toBe('chat.update');
    expect(resolved.body.text).toMatch(/^Resolved: 1 order failed/);
    expect(JSON.stringify(resolved.body.blocks)).toContain('It succeeded on retry');
  });

  it('posts a job that keeps failing to the channel of its job.missed rule, updates it, and resolves it on a good run', async () => {
    const tenant = await tenantWithRules(['job.missed']);
    const failures = newChannel();
    await store.models.NotificationRule.create({
      tenantId: tenant.tenantId,
      trigger: 'transfer.failed',
      recipient: { kind: 'slack', target: failures },
    });
    const about = (jobId = 'sync-products') => ({
      id: `job-alert-${randomUUID()}`,
      tenantId: tenant.tenantId,
      groupKey: jobGroupKey(tenant.tenantId, jobId),
      occurredAt: new Date().toISOString(),
      jobId,
      connectionId: 'products',
      entity: 'product' as const,
    });
    const failing = (failures: number): AlertEvent => ({
      kind: 'job.failing',
      ...about(),
      failures,
      lastStatus: 'failed',
      lastRunAt: new Date().toISOString(),
      reason: 'Product number "NEW-1"',
    });

    const third = failing(3);
    await send(third);
    const posted = await waitFor('the job alert', () => callsIn(tenant.channel)[0]);
    expect(posted.method).toBe('chat.postMessage');
    expect(posted.body.text).toBe(
      'Shopify &gt; e-conomic (products): the last 3 scheduled runs failed · Product number "NEW-1"',
    );
    const buttons = buttonsOf(posted);
    expect(buttons.map(({ label }) => label)).toEqual(['Run now', 'Mute 1 h', 'Mute 24 h', 'Open log']);
    expect(decodeAction(buttons[0]!.action!)).toEqual({ id: 'jobs.run', values: { id: 'products' } });
    expect(posts.find(({ target }) => target === tenant.channel)?.meta).toEqual({
      deliveryKey: expect.any(String),
      tenantId: tenant.tenantId,
      groupKey: jobGroupKey(tenant.tenantId, 'sync-products'),
      trigger: 'job.missed',
    });

    // The same alert again changes nothing; the next failure updates the message in place.
    await send(third, failing(4));
    const updated = await waitFor('the update', () => callsIn(tenant.channel)[1]);
    const ts = await waitFor(
      'the job message to be recorded',
      async () =>
        (
          await store.models.AlertState.findOne({
            tenantId: tenant.tenantId,
            groupKey: jobGroupKey(tenant.tenantId, 'sync-products'),
          }).lean()
        )?.messageRefs?.[0]?.messageId,
    );
    expect(updated).toMatchObject({ method: 'chat.update', body: { ts } });
    expect(updated.body.text).toMatch(/the last 4 scheduled runs failed/);

    await send(
      { kind: 'job.recovered', ...about(), runAt: new Date().toISOString() },
      // A good run of a job that never alerted says nothing.
      { kind: 'job.recovered', ...about('sync-stock'), runAt: new Date().toISOString() },
    );
    const resolved = await waitFor('the resolution', () => callsIn(tenant.channel)[2]);
    expect(resolved).toMatchObject({ method: 'chat.update', body: { ts } });
    expect(resolved.body.text).toMatch(
      /^Resolved: Shopify &gt; e-conomic \(products\) ran fine at (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d$/,
    );
    expect(buttonsOf(resolved)).toEqual([]);

    await caughtUp();
    expect(callsIn(tenant.channel)).toHaveLength(3);
    expect(callsIn(failures)).toHaveLength(0);
    expect(
      await store.models.AlertState.exists({
        tenantId: tenant.tenantId,
        groupKey: jobGroupKey(tenant.tenantId, 'sync-stock'),
      }),
    ).toBeNull();
  });

  it("mutes a job's alert from its Mute button", async () => {
    const tenant = await tenantWithRules(['job.missed']);
    const { press, caller } = await chatFor(tenant);
    const groupKey = jobGroupKey(tenant.tenantId, 'products');
    await send({
      kind: 'job.missed',
      id: `job-alert-${randomUUID()}`,
      tenantId: tenant.tenantId,
      groupKey,
      occurredAt: new Date().toISOString(),
      jobId: 'products',
      connectionId: 'products',
      entity: 'product',
      dueAt: new Date().toISOString(),
      missedRuns: 2,
    });
    const posted = await waitFor('the job alert', () => callsIn(tenant.channel)[0]);
    const mute = buttonsOf(posted).find(({ label }) => label === 'Mute 1 h')!.action!;

    expect((await press(caller('UVIEW'), mute)).fallback).toBe('Only admins can do this; you are a viewer.');
    expect((await press(caller('UADMIN'), mute)).fallback).toMatch(
      /^Muted for 1 h, until (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d: missed and failed runs of Shopify > e-conomic \(product\) are counted but not posted/,
    );
    const edited = await waitFor('the message to say it is muted', () => callsIn(tenant.channel)[1]);
    expect(edited.method).toBe('chat.update');
    expect(JSON.stringify(edited.body.blocks)).toContain('Muted until');
    expect(
      await store.models.AuditEntry.findOne({ tenantId: tenant.tenantId, action: 'alert.mute' }).lean(),
    ).toMatchObject({
      target: groupKey,
    });
  });

  it("posts the daily digest once, to the digest rule's channel and no other", async () => {
    const tenant = await tenantWithRules(['transfer.failed', 'job.missed', 'quota.threshold']);
    const digests = newChannel();
    await store.models.NotificationRule.create({
      tenantId: tenant.tenantId,
      trigger: 'digest',
      recipient: { kind: 'slack', target: digests },
    });
    const groupKey = digestGroupKey(tenant.tenantId, '2025-11-26');
    const digest: AlertEvent = {
      kind: 'digest',
      id: groupKey,
      tenantId: tenant.tenantId,
      groupKey,
      occurredAt: new Date().toISOString(),
      day: '2025-11-26',
      period: '2025-11',
      transfers: {
        order: { created: 12, updated: 1, failed: 2 },
        product: { created: 0, updated: 5, failed: 0 },
        stock: { created: 0, updated: 40, failed: 0 },
      },
      failuresByCause: [{ code: VAT.code, reason: 'Unknown VAT zone for country', count: 2 }],
      quota: { used: 430, allowance: 500 },
      held: 0,
    };

    await send(digest);
    const posted = await waitFor('the digest', () => callsIn(digests)[0]);
    expect(posted.method).toBe('chat.postMessage');
    expect(posted.body.text).toBe('Daily digest — Wednesday 26 November');
    expect(JSON.stringify(posted.body.blocks)).toContain('430 of 500 used · 70 left');
    expect(buttonsOf(posted).map(({ label, url }) => url ?? label)).toEqual([
      'Open log',
      links.subscription(tenant.tenantId),
    ]);
    expect(posts.find(({ target }) => target === digests)?.meta).toEqual({
      deliveryKey: expect.any(String),
      tenantId: tenant.tenantId,
      groupKey,
      trigger: 'digest',
    });

    await send(digest);
    await caughtUp();
    expect(callsIn(digests)).toHaveLength(1);
    expect(callsIn(tenant.channel)).toHaveLength(0);
  });
});
