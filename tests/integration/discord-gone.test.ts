import { randomBytes } from 'node:crypto';
import {
  Events,
  GatewayDispatchEvents,
  GatewayOpcodes,
  type APIInteraction,
  type GatewayDispatchPayload,
} from 'discord.js';
import { onGuildDelete } from '../../bots/discord/discord-bot';
import { createGoneServers } from '../../bots/discord/gone-servers';
import { translator } from '../../src/i18n';
import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { quotaGroupKey, type AlertEvent } from '../../src/domain/alerts';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import type { Models } from '../../src/store';
import { createLinkCode } from '../../src/store/link-codes';
import { commandInteraction, originalEdit } from '../support/discord';
import { FakeDiscordApi } from '../fakes/discord-api';
import { FakeSlackApi } from '../fakes/slack-api';
import { failure } from '../fixtures/alert-events';
import { createTestTenant } from '../fixtures/tenants';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const APP_ID = '1300000000000000001';
const BOT_TOKEN = `MTMwMDAwMDAwMDAwMDAwMDAwMQ.${randomBytes(4).toString('hex')}.${randomBytes(16).toString('hex')}`;
const MEMBER = '1000000000000000002';

// Tenant A is bound to two servers: the bot is removed from GONE during the tests, LIVE stays.
const GONE = '1100000000000000101';
const LIVE = '1100000000000000102';
const GONE_CHANNEL = '1200000000000000101';
const LIVE_CHANNEL = '1200000000000000102';
// Tenant B's servers: the gateway tells of B_OUTAGE's outage and of B_REMOVED's removal.
const B_OUTAGE = '1100000000000000201';
const B_REMOVED = '1100000000000000202';
const B_CHANNEL = '1200000000000000202';
const SLACK_CHANNEL = 'C0GONETEST1';
// Tenant C's server: one channel the bot may post in, one that refuses it while it is a member.
const C_SERVER = '1100000000000000301';
const C_OPEN = '1200000000000000301';
const C_CLOSED = '1200000000000000302';

/**
 * Discord leaving with grace (issue 13, item 6), on the real broker and store, with Discord and
 * Slack played by the local fakes. The service runs its Discord bot through the gateway, which
 * cannot be reached here: the gateway's dispatches (GUILD_DELETE, INTERACTION_CREATE) are handed to
 * the bot's discord.js client as the gateway would hand them (its `raw` event), and the handler is
 * also called directly for the outage form.
 */
describe('Discord: a server the bot was removed from', () => {
  let discord: FakeDiscordApi;
  let slack: FakeSlackApi;
  let running: RunningApp;
  let models: Models;
  let producer: EventProducer;
  let tenantA: string;
  let tenantB: string;
  let tenantC: string;

  const send = (...alerts: AlertEvent[]) =>
    producer.sendJson(
      'alerts',
      alerts.map((alert) => ({ key: alert.tenantId, value: alert })),
    );
  const messagesIn = (channelId: string) =>
    discord.calls.filter((call) => call.path.startsWith(`/channels/${channelId}/messages`));
  const slackCalls = () => slack.calls.filter((call) => call.body.channel === SLACK_CHANNEL);
  const caughtUp = () => running.caughtUp('iex.notifier', 'alerts');
  const binding = (workspaceId: string) => models.Binding.findOne({ platform: 'discord', workspaceId }).lean();
  const quota = (tenantId: string, threshold: number): AlertEvent => {
    const period = new Date().toISOString().slice(0, 7);
    const groupKey = quotaGroupKey(tenantId, period, `threshold-${threshold}`);
    return {
      kind: 'quota.threshold',
      id: groupKey,
      groupKey,
      tenantId,
      occurredAt: new Date().toISOString(),
      period,
      threshold,
      used: threshold * 5,
      allowance: 500,
    };
  };

  const gateway = (packet: { t: GatewayDispatchEvents; d: unknown }) =>
    running.app.discord!.client!.emit(Events.Raw, {
      op: GatewayOpcodes.Dispatch,
      s: 1,
      ...packet,
    } as GatewayDispatchPayload);

  /** Runs `/iex SUBCOMMAND` in a server through the gateway and returns the answer (the edit of @original). */
  async function command(guildId: string, subcommand: string, options: unknown[] = []): Promise<string> {
    const channelId = guildId === GONE ? GONE_CHANNEL : LIVE_CHANNEL;
    const interaction = commandInteraction({
      applicationId: APP_ID,
      guildId,
      channelId,
      userId: MEMBER,
      username: 'member',
      subcommand,
      options,
    });
    gateway({ t: GatewayDispatchEvents.InteractionCreate, d: interaction as unknown as APIInteraction });
    const edit = await originalEdit(discord, APP_ID, interaction.token);
    return JSON.stringify(edit.body);
  }

  beforeAll(async () => {
    discord = await new FakeDiscordApi().start();
    slack = await new FakeSlackApi().start();
    // The gateway cannot be reached here: its login is refused, and the service runs on without it.
    discord.respondWith((call) =>
      call.path.startsWith('/gateway') ? { status: 401, body: { message: '401: Unauthorized', code: 0 } } : undefined,
    );
    discord.addServer(GONE, [GONE_CHANNEL]);
    discord.addServer(LIVE, [LIVE_CHANNEL]);
    discord.addServer(B_OUTAGE, []);
    discord.addServer(B_REMOVED, [B_CHANNEL]);
    discord.addServer(C_SERVER, [C_OPEN, C_CLOSED]);
    // As Discord answers a member without View Channel there.
    discord.respondWith((call) =>
      call.method === 'POST' && call.path === `/channels/${C_CLOSED}/messages`
        ? { status: 403, body: { message: 'Missing Access', code: 50001 } }
        : undefined,
    );
    running = await startTestApp({
      DISCORD_BOT_TOKEN: BOT_TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.url,
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      SLACK_BOT_TOKEN: `xoxb-test-${randomBytes(8).toString('hex')}`,
      SLACK_API_URL: slack.url,
      JOBS_ENABLED: 'false',
    });
    models = running.store.models;
    producer = createEventProducer(running.kafka, running.naming);
    ({ tenantId: tenantA } = await createTestTenant(models));
    ({ tenantId: tenantB } = await createTestTenant(models));
    ({ tenantId: tenantC } = await createTestTenant(models));
    await models.Binding.create([
      { platform: 'discord', workspaceId: GONE, channelId: '', tenantId: tenantA },
      { platform: 'discord', workspaceId: LIVE, channelId: '', tenantId: tenantA },
      { platform: 'discord', workspaceId: B_OUTAGE, channelId: '', tenantId: tenantB },
      { platform: 'discord', workspaceId: B_REMOVED, channelId: '', tenantId: tenantB },
      { platform: 'discord', workspaceId: C_SERVER, channelId: '', tenantId: tenantC },
    ]);
    const recipients = [
      { kind: 'discord', target: GONE_CHANNEL },
      { kind: 'discord', target: LIVE_CHANNEL },
      { kind: 'slack', target: SLACK_CHANNEL },
    ];
    await models.NotificationRule.create([
      ...(['transfer.failed', 'quota.threshold'] as const).flatMap((trigger) =>
        recipients.map((recipient) => ({ tenantId: tenantA, trigger, recipient })),
      ),
      ...(['transfer.failed', 'quota.threshold'] as const).map((trigger) => ({
        tenantId: tenantB,
        trigger,
        recipient: { kind: 'discord', target: B_CHANNEL },
      })),
      ...[C_OPEN, C_CLOSED].map((target) => ({
        tenantId: tenantC,
        trigger: 'transfer.failed' as const,
        recipient: { kind: 'discord', target },
      })),
    ]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await running?.stop();
    await discord?.stop();
    await slack?.stop();
  });

  it('marks the binding gone when a post is refused with Missing Access, and posts there no more; the other server and Slack still get theirs', async () => {
    // While the bot is in both servers, every channel gets the quota alert.
    await send(quota(tenantA, 80));
    await waitFor('the quota alert in both servers and Slack', () =>
      [messagesIn(GONE_CHANNEL), messagesIn(LIVE_CHANNEL), slackCalls()].every((calls) => calls.length === 1),
    );
    // Asked once which server holds the channel: once the bot is removed, Discord no longer says.
    expect(discord.callsTo('GET', new RegExp(`^/channels/${GONE_CHANNEL}$`))).toHaveLength(1);

    discord.removeServer(GONE);
    await send(failure(tenantA, { reference: '#2001' }));
    const gone = await waitFor('the binding of the removed server to be marked gone', async () => {
      const found = await binding(GONE);
      return found?.goneAt ? found : undefined;
    });
    expect(gone).toMatchObject({ tenantId: tenantA, goneReason: 'refused' });
    expect(await binding(LIVE)).not.toHaveProperty('goneAt');
    // Discord was asked about the server before anything was marked: a refused channel alone is not a removal.
    expect(discord.callsTo('GET', new RegExp(`^/guilds/${GONE}$`))).toHaveLength(1);
    await waitFor('the failure alert in the live server and Slack', () =>
      messagesIn(LIVE_CHANNEL).length === 2 && slackCalls().length === 2 ? true : undefined,
    );

    // Two more alerts: the live server's message is edited and Slack's too; the removed server's
    // channel is not tried again (only the refused post of the failure group).
    for (const [reference, count] of [
      ['#2002', 3],
      ['#2003', 4],
    ] as const) {
      await send(failure(tenantA, { reference }));
      await waitFor(`the edit for ${reference} in the live server and Slack`, () =>
        messagesIn(LIVE_CHANNEL).length === count && slackCalls().length === count ? true : undefined,
      );
    }
    await caughtUp();
    expect(messagesIn(GONE_CHANNEL).map((call) => call.method)).toEqual(['POST', 'POST']);
    expect(messagesIn(LIVE_CHANNEL).map((call) => call.method)).toEqual(['POST', 'POST', 'PATCH', 'PATCH']);
    expect(discord.callsTo('GET', new RegExp(`^/guilds/${GONE}$`))).toHaveLength(1);

    // One log line, and a count of the alerts not sent there.
    const said = running.logs.filter((record) =>
      String(record.msg).startsWith('the bot is no longer in this Discord server'),
    );
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ guildId: GONE, tenants: [tenantA] });
    expect(running.logs.filter((record) => record.msg === 'alert not delivered to this channel')).toEqual([]);
    const metrics = await (await fetch(`${running.app.url()}/metrics`)).text();
    expect(metrics).toMatch(/iex_alerts_skipped_total\{kind="discord",reason="workspace_gone"\} [1-9]/);
  });

  it('tells a channel that refuses the bot apart from a removal, and finds a removal on an edit too', async () => {
    await send(failure(tenantC, { reference: '#3001' }));
    await waitFor('the alert in the open channel', () => messagesIn(C_OPEN).length === 1);
    await caughtUp();
    // The closed channel refused with Missing Access, but the bot is still in the server: that
    // channel's refusal only, as before (warned), and nothing is marked.
    expect(messagesIn(C_CLOSED).map((call) => call.method)).toEqual(['POST']);
    expect(discord.callsTo('GET', new RegExp(`^/guilds/${C_SERVER}$`))).toHaveLength(1);
    expect(await binding(C_SERVER)).not.toHaveProperty('goneAt');
    expect(running.logs).toContainEqual(
      expect.objectContaining({
        msg: 'alert not delivered to this channel',
        target: C_CLOSED,
        reason: expect.stringContaining('(50001)'),
      }),
    );

    // Removed now: the edit of the open channel's message is refused, which marks the server gone.
    // The closed channel stops being a recipient first: the channels of one alert are tried in no
    // fixed order, and its post, refused first, would find the removal before the edit could.
    await models.NotificationRule.deleteOne({ tenantId: tenantC, 'recipient.target': C_CLOSED });
    discord.removeServer(C_SERVER);
    await send(failure(tenantC, { reference: '#3002' }));
    const gone = await waitFor('the server marked gone', async () => {
      const found = await binding(C_SERVER);
      return found?.goneAt ? found : undefined;
    });
    expect(gone).toMatchObject({ goneReason: 'refused' });
    await send(failure(tenantC, { reference: '#3003' }));
    await caughtUp();
    // The refused edit, and nothing after the server was marked gone.
    expect(messagesIn(C_OPEN).map((call) => call.method)).toEqual(['POST', 'PATCH']);
    expect(messagesIn(C_CLOSED).map((call) => call.method)).toEqual(['POST']);
  });

  it('/iex settings shows the server the bot was removed from, and how to link it again', async () => {
    const shown = await command(LIVE, 'settings');
    expect(shown).toContain(
      `Discord server \`${GONE}\` — the bot was removed on ${translator('en').day(new Date(), DEFAULT_TIMEZONE)}; add it again and run \`/iex link code:CODE\` there.`,
    );
    expect(shown).not.toContain(`\`${LIVE}\``);
  });

  it('linking the server again clears the mark: settings no longer list it and its channel gets alerts again', async () => {
    discord.addServer(GONE, [GONE_CHANNEL]);
    // A binding marked gone binds nothing: the server reads as unlinked, so the code can be used.
    expect(await command(GONE, 'status')).toContain('/iex link code:CODE');
    const { code } = await createLinkCode(models, tenantA);
    await command(GONE, 'link', [{ name: 'code', type: 3, value: code }]);
    const linked = await waitFor('the binding linked again', async () => {
      const found = await binding(GONE);
      return found && !found.goneAt ? found : undefined;
    });
    expect(linked).toMatchObject({ tenantId: tenantA });
    expect(linked).not.toHaveProperty('goneReason');
    expect(await command(LIVE, 'settings')).not.toContain('the bot was removed');

    const before = messagesIn(GONE_CHANNEL).length;
    await send(quota(tenantA, 100));
    await waitFor('the next alert in the linked server again', () => messagesIn(GONE_CHANNEL).length === before + 1);
  });

  it("the gateway's GUILD_DELETE marks the server gone, but not in its outage form (unavailable: true)", async () => {
    // Before: the bot posts in B_REMOVED's channel (and learns which server holds it).
    await send(quota(tenantB, 80));
    await waitFor('the alert in B_REMOVED', () => messagesIn(B_CHANNEL).length === 1);

    // The outage form, awaited through the handler itself: nothing changes.
    const { logger, records } = captureLogger();
    await onGuildDelete({ id: B_OUTAGE, unavailable: true }, { servers: createGoneServers(models), logger });
    expect(await binding(B_OUTAGE)).not.toHaveProperty('goneAt');
    expect(records).toContainEqual(
      expect.objectContaining({ guildId: B_OUTAGE, msg: expect.stringContaining('outage') }),
    );

    // Both forms as the gateway dispatches them: the outage first, then the removal.
    gateway({ t: GatewayDispatchEvents.GuildDelete, d: { id: B_OUTAGE, unavailable: true } });
    gateway({ t: GatewayDispatchEvents.GuildDelete, d: { id: B_REMOVED } });
    const gone = await waitFor('the removed server marked gone', async () => {
      const found = await binding(B_REMOVED);
      return found?.goneAt ? found : undefined;
    });
    expect(gone).toMatchObject({ tenantId: tenantB, goneReason: 'removed' });
    // The outage was handled first and marks nothing.
    expect(await binding(B_OUTAGE)).not.toHaveProperty('goneAt');
    expect(running.logs).toContainEqual(
      expect.objectContaining({
        guildId: B_REMOVED,
        msg: expect.stringContaining('the bot was removed from a Discord server'),
      }),
    );

    // No alert is tried there any more: not even once to find out.
    await send(failure(tenantB));
    await caughtUp();
    expect(messagesIn(B_CHANNEL)).toHaveLength(1);
    expect(discord.callsTo('GET', new RegExp(`^/guilds/${B_REMOVED}$`))).toHaveLength(0);
  });
});
