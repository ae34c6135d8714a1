import { randomBytes } from 'node:crypto';
import {
  Events,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  type APIEmbed,
  type APIInteraction,
} from 'discord.js';
import { createDiscordBot } from '../../bots/discord/discord-bot';
import type { CommandCore } from '../../src/commands/core';
import { ConfigError, loadConfig } from '../../src/config/config';
import type { Models } from '../../src/store';
import { createLinkCode } from '../../src/store/link-codes';
import { FakeDiscordApi, type RecordedDiscordCall } from '../fakes/discord-api';
import { createTestTenant } from '../fixtures/tenants';
import { DEFAULT_DISCORD_LOCALE, discordHeaders, discordKeys } from '../support/discord';
import { readJson } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { storeTransfers } from '../support/transfers';

const APP_ID = '1300000000000000001';
const ADMIN_ROLE = '1300000000000000777';
const BOT_TOKEN = `MTMwMDAwMDAwMDAwMDAwMDAwMQ.${randomBytes(4).toString('hex')}.${randomBytes(16).toString('hex')}`;

// Guild G1 is bound to tenant 1, G2 to tenant 2, G9 to nothing; G3 is linked during the tests.
const G1 = '1100000000000000001';
const G2 = '1100000000000000002';
const G3 = '1100000000000000003';
const G9 = '1100000000000000009';
const CHANNEL = '1200000000000000001';
/** Has Manage Server, no member record: an admin by Discord's say. */
const MANAGER = '1000000000000000001';
/** Neither the permission nor the role: a viewer. */
const VIEWER = '1000000000000000002';
/** Holds DISCORD_ADMIN_ROLE_ID. */
const ROLE_HOLDER = '1000000000000000003';
/** The owner of tenant 2 (a member record). */
const OWNER2 = '1000000000000000004';

const MANAGE_GUILD = String(0x20);

interface Who {
  userId: string;
  guildId?: string;
  permissions?: string;
  roles?: string[];
  /** The member's Discord client language; en-US unless a test is about another. */
  locale?: string;
}

type Body = Record<string, any>;

describe('the Discord bot at /discord/interactions', () => {
  const keys = discordKeys();
  let fake: FakeDiscordApi;
  let running: RunningApp;
  let models: Models;
  let tenant1: string;
  let tenant2: string;
  let tenant3: string;

  beforeAll(async () => {
    fake = await new FakeDiscordApi().start();
    running = await startTestApp({
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_ADMIN_ROLE_ID: ADMIN_ROLE,
      DISCORD_API_URL: fake.url,
    });
    models = running.store.models;
    ({ tenantId: tenant1 } = await createTestTenant(models));
    ({ tenantId: tenant2 } = await createTestTenant(models));
    ({ tenantId: tenant3 } = await createTestTenant(models));
    await models.Binding.create([
      { platform: 'discord', workspaceId: G1, channelId: '', tenantId: tenant1 },
      { platform: 'discord', workspaceId: G2, channelId: '', tenantId: tenant2 },
    ]);
    await models.Member.create({
      tenantId: tenant2,
      platform: 'discord',
      platformUserId: OWNER2,
      teamId: G2,
      role: 'owner',
    });
    // One failed order of tenant 1, for the log, retry and autocompletion of transfers.
    const at = new Date(Date.now() - 10 * 60_000);
    await storeTransfers(models, [
      {
        tenantId: tenant1,
        transferId: 'ord-1001',
        reference: '#1001',
        connectionId: 'orders',
        entity: 'order',
        operation: 'create',
        status: 'failed',
        attempts: 1,
        error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone for country DE', retryable: true },
        stages: [{ name: 'posted to e-conomic', status: 'failed', at }],
        startedAt: at,
        updatedAt: at,
      },
    ]);
  });

  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
  });

  const url = () => `${running.app.url()}/discord/interactions`;

  function member({ userId, permissions = '0', roles = [] }: Who) {
    return {
      user: { id: userId, username: `user${userId.slice(-1)}`, global_name: null, discriminator: '0', avatar: null },
      roles,
      permissions,
      nick: null,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    };
  }

  /** What every interaction carries: ids, its token, the guild, the channel and the member. */
  function envelope(type: InteractionType, who: Who) {
    const guildId = 'guildId' in who ? who.guildId : G1;
    return {
      id: String(1_400_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
      application_id: APP_ID,
      type,
      token: `tok-${randomBytes(12).toString('hex')}`,
      version: 1,
      channel_id: CHANNEL,
      channel: { id: CHANNEL, type: 0 },
      app_permissions: '0',
      locale: who.locale ?? DEFAULT_DISCORD_LOCALE,
      entitlements: [],
      authorizing_integration_owners: {},
      ...(guildId
        ? { guild_id: guildId, member: member(who), context: 0 }
        : {
            user: member(who).user,
            context: 1,
          }),
    };
  }

  function commandInteraction(subcommand: string, options: Body[], who: Who): Body {
    return {
      ...envelope(InteractionType.ApplicationCommand, who),
      data: { id: '1', name: 'iex', type: 1, options: [{ name: subcommand, type: 1, options }] },
    };
  }

  function clickInteraction(customId: string, onMessage: { components?: unknown[] }, who: Who): Body {
    return {
      ...envelope(InteractionType.MessageComponent, who),
      message: { id: '1500000000000000001', channel_id: CHANNEL, content: '', embeds: [], flags: 64, ...onMessage },
      data: { custom_id: customId, component_type: 2 },
    };
  }

  async function post(body: Body | string, headers?: Record<string, string>): Promise<Response> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(url(), { method: 'POST', headers: headers ?? discordHeaders(keys.privateKey, raw), body: raw });
  }

  const callsWith = (token: string) => fake.calls.filter((call) => call.path.includes(`/${token}`));
  const originalEdits = (token: string) =>
    fake.callsTo('PATCH', new RegExp(`^/webhooks/${APP_ID}/${token}/messages/(@|%40)original$`));
  const followUps = (token: string) => fake.callsTo('POST', new RegExp(`^/webhooks/${APP_ID}/${token}$`));
  const editOf = (token: string) => waitFor(`the edit of @original (${token})`, () => originalEdits(token)[0]);
  const followUpOf = (token: string) => waitFor(`a follow-up (${token})`, () => followUps(token)[0]);

  const connection = (tenantId: string, connectionId: string) =>
    models.DataConnection.findOne({ tenantId, connectionId }).lean();
  const embedsOf = (call: RecordedDiscordCall) => (call.body as { embeds: APIEmbed[] }).embeds;
  const shown = (call: RecordedDiscordCall) => JSON.stringify(call.body);
  const customIds = (body: unknown) =>
    ((body as { components?: Array<{ components: Array<{ custom_id?: string }> }> }).components ?? []).flatMap((row) =>
      row.components.map((component) => component.custom_id),
    );

  /** Runs `/iex <subcommand>`: the deferral is the HTTP answer; the reply edits @original. */
  async function run(subcommand: string, options: Body[] = [], who: Who = { userId: VIEWER }) {
    const interaction = commandInteraction(subcommand, options, who);
    const response = await post(interaction);
    const answeredAt = Date.now();
    return {
      interaction,
      response,
      answeredAt,
      token: interaction.token as string,
      edit: () => editOf(interaction.token),
    };
  }

  it('answers PING with PONG', async () => {
    const ping = { id: '1', application_id: APP_ID, type: InteractionType.Ping, token: 'ping', version: 1 };
    const response = await post(ping);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: InteractionResponseType.Pong });
  });

  it('refuses an unsigned, a badly signed and a replayed request with 401, and runs nothing', async () => {
    const unsigned = commandInteraction('status', [], { userId: MANAGER });
    expect(
      (
        await fetch(url(), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(unsigned),
        })
      ).status,
    ).toBe(401);
    const forged = commandInteraction('status', [], { userId: MANAGER });
    expect((await post(forged, discordHeaders(discordKeys().privateKey, JSON.stringify(forged)))).status).toBe(401);
    const tampered = commandInteraction('status', [], { userId: MANAGER });
    const signedForOther = discordHeaders(keys.privateKey, JSON.stringify({ ...tampered, guild_id: G2 }));
    expect((await post(tampered, signedForOther)).status).toBe(401);
    const replayed = commandInteraction('status', [], { userId: MANAGER });
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    expect((await post(replayed, discordHeaders(keys.privateKey, JSON.stringify(replayed), old))).status).toBe(401);

    // A genuine request after them is answered: had the refused ones run, their edits came first.
    await (await run('help')).edit();
    for (const refused of [unsigned, forged, tampered, replayed]) expect(callsWith(refused.token)).toEqual([]);
  });

  // For each command of the core: a subcommand's options, and what its answer must show.
  const COMMAND_CASES: Array<{ subcommand: string; options?: Body[]; shows: (call: RecordedDiscordCall) => void }> = [
    {
      subcommand: 'status',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe(`Shop ${tenant1} — Home`);
        expect(shown(call)).toContain('of 500');
      },
    },
    {
      subcommand: 'systems',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Systems');
        expect(shown(call)).toContain('Shopify');
        expect(shown(call)).toContain('e-conomic');
      },
    },
    {
      subcommand: 'systems',
      options: [{ name: 'system', type: 3, value: 'shopify' }],
      shows: (call) => expect(embedsOf(call)[0]!.title).toBe('Shopify'),
    },
    {
      subcommand: 'jobs',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Run settings (jobs)');
        expect(shown(call)).toContain('Shopify > e-conomic · order · event-driven, no schedule');
      },
    },
    {
      subcommand: 'connections',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Connections');
        expect(customIds(call.body)).toContain('ask:connection.toggle?id=orders&on=0');
      },
    },
    {
      subcommand: 'subscription',
      shows: (call) => {
        expect(embedsOf(call)[0]).toMatchObject({
          title: 'Subscription — Standard',
          fields: expect.arrayContaining([{ name: 'Included orders', value: '500 orders a month', inline: true }]),
        });
        expect(customIds(call.body)).toContain('ask:subscription.autotopup?on=0');
      },
    },
    {
      subcommand: 'topup',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Top up orders');
        expect(customIds(call.body)).toEqual([
          'topup.confirm?pack=100',
          'topup.confirm?pack=500',
          'topup.confirm?pack=1000',
        ]);
      },
    },
    {
      subcommand: 'settings',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe(`Shop ${tenant1} — Settings`);
        expect(shown(call)).toContain('**Integration:** active');
      },
    },
    {
      subcommand: 'log',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Log');
        expect(shown(call)).toContain('#1001');
      },
    },
    {
      subcommand: 'log',
      options: [{ name: 'status', type: 3, value: 'failed' }],
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Log — failed transfers');
        expect(shown(call)).toContain('vat_zone_unknown');
      },
    },
    {
      subcommand: 'retry',
      options: [{ name: 'status', type: 3, value: 'failed' }],
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Retry failed transfers');
        expect(shown(call)).toContain('Retry 1 failed transfer of Shopify > e-conomic?');
      },
    },
    {
      subcommand: 'notify',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('Notifications');
        expect(shown(call)).toContain('Nobody gets notifications yet.');
      },
    },
    {
      subcommand: 'link',
      options: [{ name: 'code', type: 3, value: 'IEX-AAAAA-BBBBB' }],
      shows: (call) => expect(shown(call)).toContain('already linked'),
    },
    {
      subcommand: 'help',
      shows: (call) => {
        expect(embedsOf(call)[0]!.title).toBe('IEX ChatOps');
        for (const name of [
          'status',
          'systems',
          'jobs',
          'connections',
          'subscription',
          'topup',
          'settings',
          'log',
          'retry',
          'notify',
          'link',
        ])
          expect(shown(call)).toContain(`/iex ${name}`);
      },
    },
    {
      subcommand: 'help',
      options: [{ name: 'command', type: 3, value: 'retry' }],
      shows: (call) => expect(embedsOf(call)[0]!.title).toBe('/iex retry'),
    },
  ];

  it.each(COMMAND_CASES.map((entry) => [`${entry.subcommand} ${JSON.stringify(entry.options ?? [])}`, entry] as const))(
    'defers /iex %s at once as ephemeral, then edits @original with what the command shows',
    async (_name, { subcommand, options, shows }) => {
      const { response, answeredAt, edit, token } = await run(subcommand, options, {
        userId: MANAGER,
        permissions: MANAGE_GUILD,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: { flags: 64 },
      });
      const call = await edit();
      expect(answeredAt).toBeLessThanOrEqual(call.at + 50);
      expect(call.authorization).toBeUndefined();
      shows(call);
      // An edit cannot change whether a message is ephemeral: no flags, and nothing else was sent.
      expect(call.body).not.toHaveProperty('flags');
      expect(callsWith(token)).toHaveLength(1);
    },
  );

  it('lets a member with Manage Server switch a connection off after a confirmation: the store changes, audited and announced', async () => {
    const admin: Who = { userId: MANAGER, permissions: MANAGE_GUILD };
    const list = await (await run('connections', [], admin)).edit();
    const askId = 'ask:connection.toggle?id=orders&on=0';
    expect(customIds(list.body)).toContain(askId);

    // The click asks first, only the clicker sees it, and nothing has changed yet.
    const ask = await post(clickInteraction(askId, list.body as Body, admin));
    const confirmation = (await ask.json()) as Body;
    expect(confirmation).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      // A Discord button carries no confirmation texts: the question is worded from its label.
      data: { flags: 64, embeds: [{ title: 'Switch off Shopify > e-conomic (order)?' }] },
    });
    expect(customIds(confirmation.data)).toEqual(['connection.toggle?id=orders&on=0', 'cancel']);
    expect(await connection(tenant1, 'orders')).toMatchObject({
      active: true,
    });

    // Confirming runs it: the click is deferred as an update, and the reply replaces the message.
    const confirm = clickInteraction('connection.toggle?id=orders&on=0', confirmation.data, admin);
    const confirmed = await post(confirm);
    expect(await confirmed.json()).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const updated = await editOf(confirm.token);
    expect(shown(updated)).toContain('Shopify > e-conomic (order) is now off.');
    expect(customIds(updated.body)).toContain('connection.toggle?id=orders&on=1');

    expect(await connection(tenant1, 'orders')).toMatchObject({
      active: false,
    });
    expect(await connection(tenant2, 'orders')).toMatchObject({
      active: true,
    });
    expect(
      await models.AuditEntry.findOne({ tenantId: tenant1, action: 'connection.deactivate' }).lean(),
    ).toMatchObject({
      actor: { platform: 'discord', userId: MANAGER },
      target: 'orders',
    });
    const [command] = await readJson(running.kafka, running.naming.topic('commands'), tenant1, 1);
    expect(command).toMatchObject({
      type: 'settings.changed',
      action: 'connection.deactivate',
      target: 'orders',
      actor: { platform: 'discord', userId: MANAGER },
    });
  });

  it('cancels a confirmation without changing anything', async () => {
    const admin: Who = { userId: MANAGER, permissions: MANAGE_GUILD };
    const response = await post(clickInteraction('cancel', { components: [] }, admin));
    expect(await response.json()).toEqual({
      type: InteractionResponseType.UpdateMessage,
      data: expect.objectContaining({ content: 'Cancelled: nothing was changed.', embeds: [], components: [] }),
    });
  });

  it('refuses the same change by a member without Manage Server, with the reason, only to them', async () => {
    const viewer: Who = { userId: VIEWER };
    const audits = await models.AuditEntry.countDocuments({ tenantId: tenant1 });
    const click = clickInteraction('connection.toggle?id=products&on=0', { components: [] }, viewer);
    expect(await (await post(click)).json()).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });

    const refusal = await followUpOf(click.token);
    expect(refusal.body).toMatchObject({
      embeds: [{ description: 'Only admins can do this; you are a viewer.' }],
      flags: 64,
    });
    expect(originalEdits(click.token)).toEqual([]);
    expect(await connection(tenant1, 'products')).toMatchObject({
      active: true,
    });
    expect(await models.AuditEntry.countDocuments({ tenantId: tenant1 })).toBe(audits);
  });

  it('lets a member holding DISCORD_ADMIN_ROLE_ID, or with Administrator, change things without Manage Server', async () => {
    const holder: Who = { userId: ROLE_HOLDER, roles: [ADMIN_ROLE] };
    const off = clickInteraction('connection.toggle?id=stock&on=0', { components: [] }, holder);
    await post(off);
    expect(shown(await editOf(off.token))).toContain('Shopify > e-conomic (stock) is now off.');
    expect(await connection(tenant1, 'stock')).toMatchObject({ active: false });

    const administrator: Who = { userId: VIEWER, permissions: String(0x8) };
    const on = clickInteraction('connection.toggle?id=stock&on=1', { components: [] }, administrator);
    await post(on);
    expect(shown(await editOf(on.token))).toContain('Shopify > e-conomic (stock) is now on.');
    expect(await connection(tenant1, 'stock')).toMatchObject({ active: true });
  });

  it('suggests the systems, connections and transfers of the caller’s tenant while they type', async () => {
    async function suggest(subcommand: string, option: string, value: string, who: Who = { userId: VIEWER }) {
      const interaction = {
        ...envelope(InteractionType.ApplicationCommandAutocomplete, who),
        data: {
          id: '1',
          name: 'iex',
          type: 1,
          options: [{ name: subcommand, type: 1, options: [{ name: option, type: 3, value, focused: true }] }],
        },
      };
      const response = await post(interaction);
      const body = (await response.json()) as {
        type: number;
        data: { choices: Array<{ name: string; value: string }> };
      };
      expect(body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
      return body.data.choices;
    }

    expect((await suggest('systems', 'system', '')).map((choice) => choice.value)).toEqual(['shopify', 'e-conomic']);
    expect(await suggest('log', 'system', 'econ')).toEqual([{ name: 'e-conomic · target', value: 'e-conomic' }]);
    // The words around the names in the member's language.
    expect(await suggest('log', 'system', 'econ', { userId: VIEWER, locale: 'da' })).toEqual([
      { name: 'e-conomic · modtager', value: 'e-conomic' },
    ]);
    expect((await suggest('log', 'connection', 'stock')).map((choice) => choice.value)).toEqual(['stock']);
    const transfers = await suggest('retry', 'transfer', '1001');
    expect(transfers).toEqual([{ name: expect.stringContaining('#1001'), value: 'ord-1001' }]);
    // Another tenant's guild sees its own systems only, and none of tenant 1's transfers.
    expect(await suggest('retry', 'transfer', '', { userId: OWNER2, guildId: G2 })).toEqual([]);
    expect(await suggest('systems', 'system', '', { userId: VIEWER, guildId: G9 })).toEqual([]);
  });

  it('shows a guild bound to another tenant only its own data, also through a button', async () => {
    const owner: Who = { userId: OWNER2, guildId: G2 };
    const status = await (await run('status', [], owner)).edit();
    expect(embedsOf(status)[0]!.title).toBe(`Shop ${tenant2} — Home`);
    expect(shown(status)).not.toContain(tenant1);
    const log = await (await run('log', [], owner)).edit();
    expect(shown(log)).not.toContain('#1001');

    const click = clickInteraction('connection.toggle?id=products&on=0', { components: [] }, owner);
    await post(click);
    expect(shown(await editOf(click.token))).toContain('is now off');
    expect(await connection(tenant2, 'products')).toMatchObject({
      active: false,
    });
    expect(await connection(tenant1, 'products')).toMatchObject({
      active: true,
    });
  });

  it('tells an unlinked guild how to link it, in the form Discord takes and with its word, server', async () => {
    const answer = await (await run('status', [], { userId: VIEWER, guildId: G9 })).edit();
    expect(shown(answer)).toContain('This server is not linked');
    expect(shown(answer)).toContain('`/iex link code:CODE`');
  });

  it('links a guild with a code: the caller sees a notice, the channel sees the announcement', async () => {
    const { code } = await createLinkCode(models, tenant3);
    const { edit, token } = await run('link', [{ name: 'code', type: 3, value: code }], {
      userId: VIEWER,
      guildId: G3,
    });
    // The deferral was ephemeral, so the public answer is a follow-up, after @original was edited.
    expect(shown(await edit())).toContain('Posted in the channel');
    const announcement = await followUpOf(token);
    expect(shown(announcement)).toContain(`Shop ${tenant3}`);
    expect(announcement.body).not.toHaveProperty('flags');
    expect(originalEdits(token)[0]!.at).toBeLessThanOrEqual(announcement.at);

    expect(await models.Binding.findOne({ platform: 'discord', workspaceId: G3 }).lean()).toMatchObject({
      tenantId: tenant3,
      channelId: '',
    });
    expect(await models.Member.findOne({ tenantId: tenant3, platformUserId: VIEWER }).lean()).toMatchObject({
      platform: 'discord',
      role: 'owner',
    });
    const status = await (await run('status', [], { userId: VIEWER, guildId: G3 })).edit();
    expect(embedsOf(status)[0]!.title).toBe(`Shop ${tenant3} — Home`);
  });

  it('answers in a DM that /iex works in a server, and runs nothing', async () => {
    const interaction = commandInteraction('status', [], { userId: VIEWER, guildId: undefined });
    const response = await post(interaction);
    expect(await response.json()).toEqual({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: expect.stringContaining('in a server'), flags: 64 },
    });
    expect(callsWith(interaction.token)).toEqual([]);
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    expect((await post('not json')).status).toBe(400);
  });
});

describe('the Discord bot through the gateway', () => {
  let fake: FakeDiscordApi;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await new FakeDiscordApi().start();
    // No Discord here: the gateway's login is refused, which must not take the service down.
    fake.respondWith((call) =>
      call.path.startsWith('/gateway') ? { status: 401, body: { message: '401: Unauthorized', code: 0 } } : undefined,
    );
    // Discord answers the callback with an empty 204; the fake labels every answer as JSON, which
    // @discordjs/rest then fails to parse. Until the fake leaves the label off empty answers:
    fake.respondWith((call) =>
      /\/callback$/.test(call.path) ? { status: 204, headers: { 'content-type': 'text/plain' } } : undefined,
    );
    running = await startTestApp({
      DISCORD_BOT_TOKEN: BOT_TOKEN,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: fake.url,
    });
    const { tenantId } = await createTestTenant(running.store.models);
    await running.store.models.Binding.create({ platform: 'discord', workspaceId: G1, channelId: '', tenantId });
  });

  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
  });

  it('runs without an HTTP endpoint, says when the gateway cannot connect, and never logs the token', async () => {
    expect(running.app.discord?.mode).toBe('gateway');
    expect((await fetch(`${running.app.url()}/discord/interactions`, { method: 'POST', body: '{}' })).status).toBe(404);
    await waitFor('the failed gateway login to be logged', () =>
      running.logs.find((record) => String(record.msg).startsWith('the Discord gateway could not connect')),
    );
    expect(JSON.stringify(running.logs)).not.toContain(BOT_TOKEN);
  });

  it('runs an interaction from the gateway through the same handler: callback, then the edit of @original', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const interaction = {
      id: '1400000000000000123',
      application_id: APP_ID,
      type: InteractionType.ApplicationCommand,
      token,
      version: 1,
      guild_id: G1,
      channel_id: CHANNEL,
      channel: { id: CHANNEL, type: 0 },
      member: {
        user: { id: VIEWER, username: 'viewer', global_name: null, discriminator: '0', avatar: null },
        roles: [],
        permissions: '0',
      },
      data: { id: '1', name: 'iex', type: 1, options: [{ name: 'connections', type: 1 }] },
    } as unknown as APIInteraction;
    running.app.discord!.client!.emit(Events.Raw, {
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.InteractionCreate,
      s: 1,
      d: interaction,
    });

    const callback = await waitFor(
      'the initial response at the callback route',
      () => fake.callsTo('POST', new RegExp(`^/interactions/${interaction.id}/${token}/callback$`))[0],
    );
    expect(callback.body).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: 64 },
    });
    const edit = await waitFor(
      'the edit of @original',
      () => fake.callsTo('PATCH', new RegExp(`^/webhooks/${APP_ID}/${token}/messages/(@|%40)original$`))[0],
    );
    expect(callback.at).toBeLessThanOrEqual(edit.at);
    expect((edit.body as { embeds: APIEmbed[] }).embeds[0]!.title).toBe('Connections');
  });
});

describe('the Discord bot switched off or on', () => {
  const base = { KAFKA_BROKERS: 'localhost:9092', MONGO_URL: 'mongodb://localhost:27017/iex' };
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig({ ...base, ...env }, false);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };
  const publicKey = 'ab'.repeat(32);

  it('refuses half a Discord configuration and values of the wrong kind, naming where to find the right one', () => {
    expect(problemsOf({ DISCORD_PUBLIC_KEY: publicKey })).toEqual([
      "DISCORD_APPLICATION_ID is required when DISCORD_PUBLIC_KEY is set: the Application ID from the Discord application's General Information page",
    ]);
    expect(problemsOf({ DISCORD_BOT_TOKEN: BOT_TOKEN })).toEqual([
      "DISCORD_APPLICATION_ID is required when DISCORD_BOT_TOKEN is set: the Application ID from the Discord application's General Information page",
    ]);
    expect(problemsOf({ DISCORD_PUBLIC_KEY: 'abc', DISCORD_APPLICATION_ID: APP_ID })).toEqual([
      "DISCORD_PUBLIC_KEY must be the Public Key (64 hex characters) from the Discord application's General Information page",
    ]);
    expect(problemsOf({ DISCORD_PUBLIC_KEY: publicKey, DISCORD_APPLICATION_ID: 'my-app' })).toEqual([
      "DISCORD_APPLICATION_ID must be the Application ID from the Discord application's General Information page (a Discord id of 17 to 20 digits)",
    ]);
    expect(problemsOf({ DISCORD_BOT_TOKEN: 'not a token', DISCORD_APPLICATION_ID: APP_ID })).toEqual([
      "DISCORD_BOT_TOKEN must be the bot token from the Discord application's Bot page (three parts separated by dots)",
    ]);
    expect(problemsOf({ DISCORD_ADMIN_ROLE_ID: 'admins' })).toEqual([
      'DISCORD_ADMIN_ROLE_ID must be the id of a role of your server (Copy Role ID in Developer Mode) (a Discord id of 17 to 20 digits)',
    ]);
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ DISCORD_PUBLIC_KEY: publicKey, DISCORD_APPLICATION_ID: APP_ID })).toEqual([]);
    expect(problemsOf({ DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_APPLICATION_ID: APP_ID })).toEqual([]);
  });

  it('builds an HTTP bot with a public key (even with a bot token) and a gateway bot with the token alone', async () => {
    const common = {
      applicationId: APP_ID,
      apiUrl: 'http://127.0.0.1:9/api',
      core: {} as CommandCore,
      autocomplete: async () => [],
      logger: captureLogger().logger,
    };
    const http = createDiscordBot({ ...common, publicKey: 'ab'.repeat(32), botToken: BOT_TOKEN });
    expect(http.mode).toBe('http');
    expect(http.router).toBeDefined();
    const gateway = createDiscordBot({ ...common, botToken: BOT_TOKEN });
    expect(gateway.mode).toBe('gateway');
    expect(gateway.router).toBeUndefined();
    await gateway.stop();
    expect(() => createDiscordBot(common)).toThrow('DISCORD_PUBLIC_KEY');
  });

  it('is off without Discord settings: the log says so once and /discord/interactions does not exist', async () => {
    const running = await startTestApp();
    try {
      expect(running.app.discord).toBeUndefined();
      expect(running.logs.filter((record) => String(record.msg).startsWith('the Discord bot is off'))).toHaveLength(1);
      const response = await fetch(`${running.app.url()}/discord/interactions`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await running.stop();
    }
  });
});
