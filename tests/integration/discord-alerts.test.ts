import { type NotificationTrigger, type RecipientKind } from '../../src/domain/closed-lists';
import { randomInt, randomUUID } from 'node:crypto';
import { MessageFlags } from 'discord.js';
import type { Admin } from 'kafkajs';
import { createDiscordAlertSender } from '../../bots/discord/alert-sender';
import { createSlackAlertSender } from '../../bots/slack/alert-sender';
import { notifyAlerts } from '../../consumers/notifier';
import { decodeAction } from '../../src/chat/actions';
import { topupActions } from '../../src/commands/catalog/topup';
import type { Config } from '../../src/config/config';
import { failureGroupKey, quotaGroupKey, type AlertEvent } from '../../src/domain/alerts';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner, type ConsumerRunner } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { FakeDiscordApi, type RecordedDiscordCall } from '../fakes/discord-api';
import { FakeSlackApi } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { testKafka, waitForGroupCaughtUp } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { failure, recovery, VAT } from '../fixtures/alert-events';

const BOT_TOKEN = 'discord-bot-token';

/**
 * The notifier's alerts in Discord channels: the same grouping, repeat interval and buttons as in
 * Slack (the runner delivers to both platforms here), through bots/discord/alert-sender.ts against
 * a local server that plays Discord's REST API.
 */

/** A Discord channel id (a snowflake). */
const snowflake = () => `1${Array.from({ length: 18 }, () => randomInt(10)).join('')}`;

interface MessageBody {
  content?: string | null;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  allowed_mentions?: unknown;
}
const bodyOf = (call: RecordedDiscordCall) => call.body as MessageBody;
/** Everything the message shows (content and embeds), for text assertions. */
const shown = (call: RecordedDiscordCall) => JSON.stringify([bodyOf(call).content ?? '', bodyOf(call).embeds ?? []]);

interface DiscordButton {
  type: number;
  label?: string;
  custom_id?: string;
  url?: string;
  components?: DiscordButton[];
}

/** The buttons of a recorded message, wherever the renderer put them in its action rows. */
function buttonsOf(call: RecordedDiscordCall): Array<{ label: string; customId?: string }> {
  const walk = (nodes: DiscordButton[]): DiscordButton[] =>
    nodes.flatMap((node) => (node.type === 2 ? [node] : walk(node.components ?? [])));
  return walk((bodyOf(call).components ?? []) as DiscordButton[]).map((button) => ({
    label: button.label ?? '',
    ...(button.custom_id ? { customId: button.custom_id } : {}),
  }));
}

describe('the notifier: alerts to Discord channels, grouped as in Slack', () => {
  let config: Config;
  let naming: Naming;
  let store: Store;
  let producer: EventProducer;
  let runner: ConsumerRunner;
  let admin: Admin;
  let discord: FakeDiscordApi;
  let slack: FakeSlackApi;
  const { logger, records } = captureLogger();

  /** A tenant whose rules send each trigger given to a Discord channel (and a Slack one, when asked). */
  const tenantWithRules = async (triggers: NotificationTrigger[], kinds: RecipientKind[] = ['discord']) => {
    const tenant = await createTestTenant(store.models);
    const channels = { discord: snowflake(), slack: `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}` };
    const recipients = kinds.flatMap((kind) =>
      kind === 'discord' || kind === 'slack' ? [{ kind, target: channels[kind] }] : [],
    );
    const rules = triggers.flatMap((trigger) =>
      recipients.map((recipient) => ({ tenantId: tenant.tenantId, trigger, recipient })),
    );
    if (rules.length > 0) await store.models.NotificationRule.create(rules);
    return { ...tenant, channel: channels.discord, slackChannel: channels.slack };
  };

  const send = (...alerts: AlertEvent[]) =>
    producer.sendJson(
      'alerts',
      alerts.map((alert) => ({ key: alert.tenantId, value: alert })),
    );
  const callsIn = (channelId: string) =>
    discord.calls.filter((call) => call.path.startsWith(`/channels/${channelId}/`));
  const groupOf = (tenantId: string) =>
    store.models.AlertState.findOne({ tenantId, groupKey: failureGroupKey(tenantId, 'orders', VAT.code) }).lean();
  const discordRef = async (tenantId: string) =>
    (await groupOf(tenantId))?.messageRefs?.find((ref: { kind: string }) => ref.kind === 'discord');
  const caughtUp = () => waitForGroupCaughtUp(admin, naming.group('iex.notifier'), naming.topic('alerts'));

  /** Answers the first message create in a channel with a 429 as Discord sends it (not global). */
  const limitFirstPost = (channelId: string, headers: Record<string, string>) => {
    let limited = false;
    discord.respondWith((call) => {
      if (limited || call.method !== 'POST' || !call.path.startsWith(`/channels/${channelId}/`)) return undefined;
      limited = true;
      const retryAfter = Number(headers['retry-after']);
      return {
        status: 429,
        headers,
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      };
    });
  };

  beforeAll(async () => {
    config = testConfig();
    naming = createNaming(config.KAFKA_NAMESPACE);
    store = connectStore(config.MONGO_URL);
    await store.ready();
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'discord-alerts-test', logger });
    await ensureTopics(kafka, naming, { partitions: 3, replicationFactor: 1 });
    producer = createEventProducer(kafka, naming);
    discord = await new FakeDiscordApi().start();
    slack = await new FakeSlackApi().start();
    admin = testKafka().admin();
    await admin.connect();
    runner = createConsumerRunner(
      notifyAlerts({
        models: store.models,
        logger,
        // As src/app.ts wires them when both platforms are configured.
        channels: [
          createSlackAlertSender({ token: 'xoxb-test', apiUrl: slack.url, logger }),
          createDiscordAlertSender({ token: BOT_TOKEN, apiUrl: discord.url, logger }),
        ],
      }),
      { kafka, naming, producer, logger, retryDelayMs: { initial: 100, max: 1_000 }, sessionTimeoutMs: 10_000 },
    );
    await runner.start();
  });

  afterAll(async () => {
    await runner?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
    await discord?.stop();
    await slack?.stop();
    await store?.connection.dropDatabase();
    await store?.close();
  });

  it('posts the first failure of a group and edits that one message with the count, as in Slack', async () => {
    const tenant = await tenantWithRules(['transfer.failed'], ['slack', 'discord']);
    const slackCalls = () => slack.calls.filter((call) => call.body.channel === tenant.slackChannel);

    await send(failure(tenant.tenantId, { reference: '#1012', country: 'NO' }));
    const posted = await waitFor('the first alert', () => callsIn(tenant.channel)[0]);
    expect(posted).toMatchObject({
      method: 'POST',
      path: `/channels/${tenant.channel}/messages`,
      authorization: `Bot ${BOT_TOKEN}`,
    });
    expect(shown(posted)).toContain('1 order failed');
    expect(shown(posted)).toContain('#1012');
    // A channel message for everyone, that pings no one.
    expect((bodyOf(posted).flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    expect(bodyOf(posted).allowed_mentions).toEqual({ parse: [] });

    // Retry, Mute and Open log, each carrying its encoded action as the custom_id.
    const buttons = buttonsOf(posted);
    expect(buttons.map(({ label }) => label)).toEqual(['Retry', 'Mute 1 h', 'Mute 24 h', 'Open log']);
    const actions = Object.fromEntries(buttons.map(({ label, customId }) => [label, decodeAction(customId ?? '')]));
    expect(buttons[0]!.customId).toMatch(/^retry\.ask\?/);
    expect(actions.Retry).toEqual({ id: 'retry.ask', values: { conn: 'orders', code: VAT.code } });
    expect(actions['Mute 1 h']).toEqual({ id: 'alert.mute', values: { conn: 'orders', code: VAT.code, h: '1' } });
    expect(actions['Mute 24 h']).toEqual({ id: 'alert.mute', values: { conn: 'orders', code: VAT.code, h: '24' } });
    expect(actions['Open log']).toEqual({
      id: 'log.page',
      values: { page: '1', status: 'failed', conn: 'orders', code: VAT.code },
    });
    const messageId = await waitFor(
      'the message to be recorded',
      async () => (await discordRef(tenant.tenantId))?.messageId,
    );

    await send(failure(tenant.tenantId, { reference: '#1013', country: 'DE' }));
    await waitFor('the first edit', () => callsIn(tenant.channel).length === 2);
    await send(failure(tenant.tenantId, { reference: '#1014', country: 'SE' }));
    await waitFor('the second edit', () => callsIn(tenant.channel).length === 3);

    const calls = callsIn(tenant.channel);
    expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `POST /channels/${tenant.channel}/messages`,
      `PATCH /channels/${tenant.channel}/messages/${messageId}`,
      `PATCH /channels/${tenant.channel}/messages/${messageId}`,
    ]);
    expect(shown(calls[1]!)).toContain('2 orders failed');
    expect(shown(calls[2]!)).toContain('3 orders failed');
    expect(shown(calls[2]!)).toContain('#1014');
    expect(buttonsOf(calls[2]!).map(({ label }) => label)).toEqual(['Retry', 'Mute 1 h', 'Mute 24 h', 'Open log']);

    // Slack got the same group the same way: one message, edited twice, with the same counts.
    await waitFor('Slack to have all three', () => slackCalls().length === 3);
    expect(slackCalls().map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.update']);
    expect(slackCalls().map((call) => /^(\d+) orders? failed/.exec(String(call.body.text))?.[1])).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('edits the message as the transfers succeed on retry, to resolved without buttons when all have', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    const first = failure(tenant.tenantId);
    const second = failure(tenant.tenantId);
    await send(first);
    await waitFor('the alert', () => callsIn(tenant.channel).length === 1);
    await send(second);
    await waitFor('the edit', () => callsIn(tenant.channel).length === 2);

    await send(recovery(tenant.tenantId, first.transferId));
    const partly = await waitFor('the partial recovery', () => callsIn(tenant.channel)[2]);
    expect(partly.method).toBe('PATCH');
    expect(shown(partly)).toContain('1 of 2');

    await send(recovery(tenant.tenantId, second.transferId));
    const resolved = await waitFor('the resolution', () => callsIn(tenant.channel)[3]);
    expect(resolved).toMatchObject({ method: 'PATCH', path: partly.path });
    expect(shown(resolved)).toContain('Resolved');
    expect(shown(resolved)).toContain('Both succeeded on retry');
    // The edit names its components, so the old buttons go.
    expect(bodyOf(resolved).components).toBeDefined();
    expect(buttonsOf(resolved)).toEqual([]);
  });

  it('says the numbers of quota alerts and offers a Top up button', async () => {
    const tenant = await tenantWithRules(['quota.threshold']);
    const period = new Date().toISOString().slice(0, 7);
    const groupKey = quotaGroupKey(tenant.tenantId, period, 'threshold-80');
    await send({
      kind: 'quota.threshold',
      id: groupKey,
      groupKey,
      tenantId: tenant.tenantId,
      occurredAt: new Date().toISOString(),
      period,
      threshold: 80,
      used: 400,
      allowance: 500,
    });
    const posted = await waitFor('the quota alert', () => callsIn(tenant.channel)[0]);
    expect(posted.method).toBe('POST');
    expect(shown(posted)).toContain('Orders: 400 of 500 used (80 %)');
    const buttons = buttonsOf(posted);
    expect(buttons.map(({ label }) => label)).toEqual(['Top up']);
    // The button runs the top-up command's pack choice.
    expect(topupActions.map(({ id }) => id)).toContain(decodeAction(buttons[0]!.customId!).id);
  });

  it("honours Discord's 429 with retry_after, and the alert still arrives", async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    // As Discord answers when a channel's bucket is used up.
    limitFirstPost(tenant.channel, {
      'retry-after': '1',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Date.now() / 1000 + 1),
      'x-ratelimit-reset-after': '1',
      'x-ratelimit-bucket': 'a06de2c1d2f1e4b7c0f1e2d3c4b5a697',
      'x-ratelimit-scope': 'user',
    });

    await send(failure(tenant.tenantId));
    await waitFor('the alert after the rate limit', () => callsIn(tenant.channel).length === 2);
    const [refused, delivered] = callsIn(tenant.channel);
    expect([refused!.method, delivered!.method]).toEqual(['POST', 'POST']);
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(1_000);
    await waitFor('the message to be recorded', async () => (await discordRef(tenant.tenantId))?.messageId);
    expect(records).toContainEqual(
      expect.objectContaining({ msg: 'Discord rate limit: waiting', channelId: tenant.channel }),
    );
    await caughtUp();
    expect(callsIn(tenant.channel)).toHaveLength(2);
  });

  it('fails the batch on a rate limit longer than it waits; the retried batch delivers the alert once', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    limitFirstPost(tenant.channel, { 'retry-after': '600', 'x-ratelimit-scope': 'shared' });

    await send(failure(tenant.tenantId));
    await waitFor('the alert from the retried batch', () => callsIn(tenant.channel).length === 2);
    const [refused, delivered] = callsIn(tenant.channel);
    expect(delivered!.at - refused!.at).toBeLessThan(30_000);
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: 'Discord rate limit longer than the sender waits: failing the call',
        channelId: tenant.channel,
      }),
    );
    await waitFor('the message to be recorded', async () => (await discordRef(tenant.tenantId))?.messageId);
    await caughtUp();
    expect(callsIn(tenant.channel)).toHaveLength(2);
  });

  it('skips a channel Discord refuses (Unknown Channel, Missing Permissions) without holding up the others', async () => {
    const tenant = await tenantWithRules([], []);
    const [gone, forbidden] = [snowflake(), snowflake()];
    // The refused channels come first: their refusals must not stop the delivery after them.
    await store.models.NotificationRule.create(
      [gone, forbidden, tenant.channel].map((target) => ({
        tenantId: tenant.tenantId,
        trigger: 'transfer.failed' as const,
        recipient: { kind: 'discord' as const, target },
      })),
    );
    discord.respondWith((call) => {
      if (call.path.startsWith(`/channels/${gone}/`))
        return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      if (call.path.startsWith(`/channels/${forbidden}/`))
        return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
      return undefined;
    });

    await send(failure(tenant.tenantId));
    const delivered = await waitFor('the alert in the working channel', () => callsIn(tenant.channel)[0]);
    expect(delivered.method).toBe('POST');
    await caughtUp();
    // Each refused once and not tried again: the batch did not fail.
    expect(callsIn(gone)).toHaveLength(1);
    expect(callsIn(forbidden)).toHaveLength(1);
    expect(callsIn(tenant.channel)).toHaveLength(1);
    const refs = (await groupOf(tenant.tenantId))?.messageRefs ?? [];
    expect(refs.map((ref: { target: string }) => ref.target)).toEqual([tenant.channel]);
    for (const [target, code] of [
      [gone, 10003],
      [forbidden, 50013],
    ] as const) {
      expect(records).toContainEqual(
        expect.objectContaining({
          msg: 'alert not delivered to this channel',
          target,
          reason: expect.stringContaining(`(${code})`),
        }),
      );
    }
  });

  it('posts the message anew when the one to edit is gone (Unknown Message), and edits the new one after', async () => {
    const tenant = await tenantWithRules(['transfer.failed']);
    await send(failure(tenant.tenantId));
    await waitFor('the alert', () => callsIn(tenant.channel).length === 1);
    const first = await waitFor(
      'the message to be recorded',
      async () => (await discordRef(tenant.tenantId))?.messageId,
    );
    discord.respondWith((call) =>
      call.method === 'PATCH' && call.path === `/channels/${tenant.channel}/messages/${first}`
        ? { status: 404, body: { message: 'Unknown Message', code: 10008 } }
        : undefined,
    );

    await send(failure(tenant.tenantId));
    await waitFor('the new message', () => callsIn(tenant.channel).length === 3);
    const [, edit, again] = callsIn(tenant.channel);
    expect(edit).toMatchObject({ method: 'PATCH', path: `/channels/${tenant.channel}/messages/${first}` });
    expect(again).toMatchObject({ method: 'POST', path: `/channels/${tenant.channel}/messages` });
    expect(shown(again!)).toContain('2 orders failed');
    const second = await waitFor('the new message to be recorded', async () => {
      const id = (await discordRef(tenant.tenantId))?.messageId;
      return id !== first && id;
    });

    await send(failure(tenant.tenantId));
    const next = await waitFor('the next edit', () => callsIn(tenant.channel)[3]);
    expect(next).toMatchObject({ method: 'PATCH', path: `/channels/${tenant.channel}/messages/${second}` });
    expect(shown(next)).toContain('3 orders failed');
  });

  it('sends nothing to Discord for a tenant without a Discord rule', async () => {
    const tenant = await tenantWithRules(['transfer.failed'], ['slack']);
    const before = discord.calls.length;
    await send(failure(tenant.tenantId));
    await waitFor('the Slack alert', () => slack.calls.some((call) => call.body.channel === tenant.slackChannel));
    await caughtUp();
    expect(discord.calls.length).toBe(before);
  });
});
