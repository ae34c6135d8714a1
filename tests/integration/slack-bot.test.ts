import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { randomBytes } from 'node:crypto';
import { createSlackBot } from '../../bots/slack/slack-bot';
import { ConfigError, loadConfig } from '../../src/config/config';
import type { CommandCore } from '../../src/commands/core';
import type { SlackBlock } from '../../bots/slack/render';
import { dayAndPeriod } from '../../src/domain/periods';
import { type ChatDeliveries, type HomeViewers, type Models } from '../../src/store';
import { applyPartitionUsage } from '../../src/store/usage-counter';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { readJson } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import {
  appHomeOpenedEvent,
  buttonClickPayload,
  eventCallbackBody,
  interactionBody,
  slackHeaders,
  slashCommandBody,
  triggerId,
  type SentButton,
} from '../support/slack';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const SIGNING_SECRET = randomBytes(16).toString('hex');
const BOT_TOKEN = `xoxb-test-${randomBytes(8).toString('hex')}`;

// Workspace T1 is bound to tenant 1, T2 to tenant 2, T9 to nothing.
const ADMIN = 'UADMIN1';
const VIEWER = 'UVIEWER1';
const T2_OWNER = 'UOWNER2';

describe('the Slack bot at /slack/events', () => {
  let fake: FakeSlackApi;
  let running: RunningApp;
  let models: Models;
  let tenant1: string;
  let tenant2: string;

  beforeAll(async () => {
    fake = await new FakeSlackApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.url,
    });
    models = running.store.models;
    ({ tenantId: tenant1 } = await createTestTenant(models));
    ({ tenantId: tenant2 } = await createTestTenant(models));
    await models.Binding.create([
      { platform: 'slack', workspaceId: 'T1', channelId: '', tenantId: tenant1 },
      { platform: 'slack', workspaceId: 'T2', channelId: '', tenantId: tenant2 },
    ]);
    await models.Member.create([
      { tenantId: tenant1, platform: 'slack', platformUserId: ADMIN, teamId: 'T1', role: 'admin' },
      { tenantId: tenant1, platform: 'slack', platformUserId: VIEWER, teamId: 'T1', role: 'viewer' },
      { tenantId: tenant2, platform: 'slack', platformUserId: T2_OWNER, teamId: 'T2', role: 'owner' },
    ]);
    // Tenant 1 handled 7 orders this period, 2 of which failed; tenant 2 handled nothing.
    const { day, period } = dayAndPeriod(new Date(), DEFAULT_TIMEZONE);
    await applyPartitionUsage(models, {
      tenantId: tenant1,
      period,
      partition: 0,
      deltas: [
        ...Array.from({ length: 5 }, (_, offset) => ({
          day,
          entity: 'order' as const,
          outcome: 'created' as const,
          orders: 1,
          offset,
        })),
        { day, entity: 'order', outcome: 'failed', offset: 5 },
        { day, entity: 'order', outcome: 'failed', offset: 6 },
      ],
    });
  });

  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
  });

  const url = () => `${running.app.url()}/slack/events`;

  function post(
    body: string,
    {
      contentType = 'application/x-www-form-urlencoded',
      secret = SIGNING_SECRET,
      timestamp,
      headers = {},
    }: {
      contentType?: string;
      secret?: string;
      timestamp?: number;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    return fetch(url(), {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackHeaders(secret, body, timestamp), ...headers },
      body,
    });
  }

  /** Runs `/iex <text>` as a user of a workspace; the reply goes to a response_url of its own. */
  async function slash(text: string, teamId: string, userId: string, options: { channelId?: string } = {}) {
    const name = `cmd-${randomBytes(4).toString('hex')}`;
    const body = slashCommandBody({
      text,
      teamId,
      userId,
      channelId: options.channelId ?? 'C1',
      responseUrl: fake.responseUrl(name),
    });
    const response = await post(body);
    const ackedAt = Date.now();
    return { response, ackedAt, body, name, reply: () => responseTo(name) };
  }

  function responseTo(name: string): Promise<RecordedCall> {
    return waitFor(`a reply at response_url ${name}`, () => fake.callsTo(`response_url:${name}`)[0]);
  }

  const blocksOf = (call: RecordedCall) => call.body.blocks as SlackBlock[];
  const textOf = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? call.body.view);
  const buttonsOf = (call: RecordedCall): SentButton[] =>
    blocksOf(call).flatMap((block) => (block.type === 'actions' ? (block.elements as unknown as SentButton[]) : []));

  async function click(button: SentButton, teamId: string, userId: string) {
    const name = `click-${randomBytes(4).toString('hex')}`;
    const response = await post(
      interactionBody(buttonClickPayload({ button, teamId, userId, responseUrl: fake.responseUrl(name) })),
    );
    return { response, name, reply: () => responseTo(name) };
  }

  const connection = (tenantId: string, connectionId: string) =>
    models.DataConnection.findOne({ tenantId, connectionId }).lean();

  it('acknowledges /iex status at once and answers at the response_url with the tenant numbers', async () => {
    const { response, ackedAt, reply } = await slash('status', 'T1', VIEWER);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');

    const answer = await reply();
    // The acknowledgement came back before the work was done and answered.
    expect(ackedAt).toBeLessThanOrEqual(answer.at);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.body.text).toBe(`Shop ${tenant1}: active · 5/500 orders used`);
    expect(blocksOf(answer)[0]).toMatchObject({ type: 'header', text: { text: `Shop ${tenant1} — Home` } });
    const shown = textOf(answer);
    expect(shown).toContain('*Orders*\\n5 transferred (5 created, 0 updated) · 2 failed');
    expect(shown).toContain('*Orders used:* 5 of 500');
  });

  it('lets an admin switch a connection off with a button: the store changes and the list replaces the original', async () => {
    const list = await (await slash('connections', 'T1', ADMIN)).reply();
    const switchOff = buttonsOf(list).find((button) => button.value === 'connection.toggle?id=orders&on=0');
    expect(switchOff).toMatchObject({ style: 'danger', confirm: { title: { text: 'Switch the connection off?' } } });

    const { response, reply } = await click(switchOff!, 'T1', ADMIN);
    expect(response.status).toBe(200);
    const answer = await reply();
    expect(answer.body).toMatchObject({ replace_original: true });
    // The fallback text is mrkdwn too: Slack shows &gt; as >.
    expect(answer.body.text).toBe('Shopify &gt; e-conomic (order) is now off.');
    expect(buttonsOf(answer).map((button) => button.value)).toContain('connection.toggle?id=orders&on=1');

    expect(await connection(tenant1, 'orders')).toMatchObject({ active: false });
    expect(await connection(tenant2, 'orders')).toMatchObject({ active: true });
    expect(
      await models.AuditEntry.findOne({ tenantId: tenant1, action: 'connection.deactivate' }).lean(),
    ).toMatchObject({
      actor: { platform: 'slack', userId: ADMIN },
      target: 'orders',
    });
    const [command] = await readJson(running.kafka, running.naming.topic('commands'), tenant1, 1);
    expect(command).toMatchObject({
      type: 'settings.changed',
      action: 'connection.deactivate',
      target: 'orders',
      actor: { platform: 'slack', userId: ADMIN },
    });
  });

  it('refuses the same click by a viewer with the reason, only to the viewer, and changes nothing', async () => {
    const list = await (await slash('connections', 'T1', VIEWER)).reply();
    const switchOff = buttonsOf(list).find((button) => button.value === 'connection.toggle?id=products&on=0');
    const audits = await models.AuditEntry.countDocuments({ tenantId: tenant1 });

    const answer = await (await click(switchOff!, 'T1', VIEWER)).reply();
    expect(answer.body).toMatchObject({
      text: 'Only admins can do this; you are a viewer.',
      response_type: 'ephemeral',
      replace_original: false,
    });
    expect(await connection(tenant1, 'products')).toMatchObject({ active: true });
    expect(await models.AuditEntry.countDocuments({ tenantId: tenant1 })).toBe(audits);
  });

  it('refuses a bad signature and a stale timestamp with 401, and sends nothing', async () => {
    const forged = slashCommandBody({
      text: 'status',
      teamId: 'T1',
      userId: ADMIN,
      channelId: 'C1',
      responseUrl: fake.responseUrl('forged'),
    });
    expect((await post(forged, { secret: 'not-the-secret' })).status).toBe(401);
    const stale = slashCommandBody({
      text: 'status',
      teamId: 'T1',
      userId: ADMIN,
      channelId: 'C1',
      responseUrl: fake.responseUrl('stale'),
    });
    expect((await post(stale, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const unsigned = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: forged,
    });
    expect(unsigned.status).toBe(401);

    // A genuine request after them is answered: had the refused ones run, their replies came first.
    await (await slash('help', 'T1', ADMIN)).reply();
    expect(fake.callsTo('response_url:forged')).toHaveLength(0);
    expect(fake.callsTo('response_url:stale')).toHaveLength(0);
  });

  it('answers the URL verification of the Events API', async () => {
    const response = await post(JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }), {
      contentType: 'application/json',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });

  it('publishes the Home dashboard with views.publish when someone opens the App Home', async () => {
    const eventId = `Ev${randomBytes(5).toString('hex')}`;
    const response = await post(eventCallbackBody({ teamId: 'T1', eventId, event: appHomeOpenedEvent(ADMIN) }), {
      contentType: 'application/json',
    });
    expect(response.status).toBe(200);

    const publish = await waitFor('views.publish for the admin', () =>
      fake.callsTo('views.publish').find((call) => call.body.user_id === ADMIN),
    );
    expect(publish.token).toBe(BOT_TOKEN);
    const view = publish.body.view as { type: string; blocks: SlackBlock[] };
    expect(view.type).toBe('home');
    expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: `Shop ${tenant1} — Home` } });
    expect(JSON.stringify(view)).toContain('*Orders used:* 5 of 500');
  });

  it('does not act twice on an Events API delivery that Slack retries', async () => {
    const eventId = `Ev${randomBytes(5).toString('hex')}`;
    const body = eventCallbackBody({ teamId: 'T1', eventId, event: appHomeOpenedEvent(VIEWER) });
    const publishes = () => fake.callsTo('views.publish').filter((call) => call.body.user_id === VIEWER);
    const before = publishes().length;
    await post(body, { contentType: 'application/json' });
    await waitFor('the first delivery to publish', () => publishes().length === before + 1);

    const retry = await post(body, {
      contentType: 'application/json',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    const ignored = await waitFor('the retry to be ignored', () =>
      running.logs.find(
        (record) => record.msg === 'ignored a repeated Slack delivery' && record.delivery === `event:${eventId}`,
      ),
    );
    expect(ignored).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });
    expect(publishes()).toHaveLength(before + 1);
  });

  it('does not run a slash command twice when the same delivery arrives again', async () => {
    const name = `repeat-${randomBytes(4).toString('hex')}`;
    const trigger = triggerId();
    const body = slashCommandBody({
      text: 'status',
      teamId: 'T1',
      userId: ADMIN,
      channelId: 'C1',
      responseUrl: fake.responseUrl(name),
      triggerId: trigger,
    });
    expect((await post(body)).status).toBe(200);
    await responseTo(name);
    expect((await post(body)).status).toBe(200);
    await waitFor('the repeat to be ignored', () =>
      running.logs.find(
        (record) => record.msg === 'ignored a repeated Slack delivery' && record.delivery === `trigger:${trigger}`,
      ),
    );
    expect(fake.callsTo(`response_url:${name}`)).toHaveLength(1);
  });

  it('answers a button on the App Home tab in the app messages and refreshes the Home tab', async () => {
    const homePublishes = () => fake.callsTo('views.publish').filter((call) => call.body.user_id === ADMIN).length;
    const opened = homePublishes();
    await post(
      eventCallbackBody({
        teamId: 'T1',
        eventId: `Ev${randomBytes(5).toString('hex')}`,
        event: appHomeOpenedEvent(ADMIN),
      }),
      {
        contentType: 'application/json',
      },
    );
    await waitFor('the admin Home tab', () => homePublishes() === opened + 1);
    const before = homePublishes();

    const button: SentButton = {
      action_id: 'iex:0',
      value: 'connection.toggle?id=stock&on=0',
      text: { text: 'Switch off' },
    };
    const response = await post(
      interactionBody(buttonClickPayload({ button, teamId: 'T1', userId: ADMIN, homeViewId: 'VHOME1' })),
    );
    expect(response.status).toBe(200);
    const message = await waitFor('the answer in the app messages', () =>
      fake.callsTo('chat.postMessage').find((call) => call.body.channel === ADMIN),
    );
    expect(message.body.text).toBe('Shopify &gt; e-conomic (stock) is now off.');
    await waitFor('the Home tab to be refreshed', () => homePublishes() === before + 1);
    expect(await connection(tenant1, 'stock')).toMatchObject({ active: false });
  });

  it('refreshes the Home tabs of a tenant on request (after an alert)', async () => {
    const count = () => fake.callsTo('views.publish').filter((call) => call.body.user_id === ADMIN).length;
    await waitFor('the admin opened the Home tab before', () => count() > 0);
    const before = count();
    await running.app.slack!.refreshHome(tenant1);
    expect(count()).toBe(before + 1);
    await running.app.slack!.refreshHome(tenant2);
    expect(count()).toBe(before + 1);
  });

  it('shows a workspace bound to another tenant only its own data, also through a button', async () => {
    const status = await (await slash('status', 'T2', T2_OWNER)).reply();
    expect(status.body.text).toBe(`Shop ${tenant2}: active · 0/500 orders used`);
    expect(textOf(status)).not.toContain(tenant1);

    const list = await (await slash('connections', 'T2', T2_OWNER)).reply();
    const switchOff = buttonsOf(list).find((button) => button.value === 'connection.toggle?id=products&on=0');
    await (await click(switchOff!, 'T2', T2_OWNER)).reply();
    expect(await connection(tenant2, 'products')).toMatchObject({ active: false });
    expect(await connection(tenant1, 'products')).toMatchObject({ active: true });

    const eventId = `Ev${randomBytes(5).toString('hex')}`;
    await post(eventCallbackBody({ teamId: 'T2', eventId, event: appHomeOpenedEvent(T2_OWNER) }), {
      contentType: 'application/json',
    });
    const publish = await waitFor('the T2 Home tab', () =>
      fake.callsTo('views.publish').find((call) => call.body.user_id === T2_OWNER),
    );
    expect(textOf(publish)).toContain(`Shop ${tenant2} — Home`);
    expect(textOf(publish)).not.toContain(tenant1);
  });

  it('tells an unlinked workspace how to link it, in a reply and on the Home tab', async () => {
    const answer = await (await slash('status', 'T9', 'ULONELY')).reply();
    expect(answer.body.text).toContain('/iex link CODE');

    await post(
      eventCallbackBody({
        teamId: 'T9',
        eventId: `Ev${randomBytes(5).toString('hex')}`,
        event: appHomeOpenedEvent('ULONELY'),
      }),
      {
        contentType: 'application/json',
      },
    );
    const publish = await waitFor('the unlinked Home tab', () =>
      fake.callsTo('views.publish').find((call) => call.body.user_id === 'ULONELY'),
    );
    const view = publish.body.view as { blocks: SlackBlock[] };
    expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: 'IEX ChatOps' } });
    expect(JSON.stringify(view)).toContain('/iex link CODE');
  });

  it('never writes the signing secret or the bot token to the log', () => {
    const logged = JSON.stringify(running.logs);
    expect(logged).not.toContain(SIGNING_SECRET);
    expect(logged).not.toContain(BOT_TOKEN);
    expect(running.logs.filter((record) => record.msg === 'the Slack bot is on')).toHaveLength(1);
  });
});

describe('the Slack bot switched off or on', () => {
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

  it('refuses half a Slack configuration and credentials of the wrong kind, naming where to find the right one', () => {
    expect(problemsOf({ SLACK_SIGNING_SECRET: 'abc' })).toEqual([
      "SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET is set: the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page",
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      "SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set: the Signing Secret from the Slack app's Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
    expect(problemsOf({ SLACK_SIGNING_SECRET: 'abc', SLACK_BOT_TOKEN: 'xoxp-user-token' })).toEqual([
      "SLACK_BOT_TOKEN must be the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page",
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1' })).toEqual([
      "SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope, from the Slack app's Basic Information page",
    ]);
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ SLACK_SIGNING_SECRET: 'abc', SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([]);
    // Socket Mode receives no signed requests: the app token stands in for the signing secret.
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('builds a Socket Mode bot with SLACK_APP_TOKEN: no HTTP route (connecting needs the real Slack)', () => {
    const bot = createSlackBot({
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      apiUrl: 'http://127.0.0.1:9/api/',
      core: {} as CommandCore,
      tenancy: { resolveTenant: async () => undefined },
      deliveries: {} as ChatDeliveries,
      homeViewers: {} as HomeViewers,
      logger: captureLogger().logger,
    });
    expect(bot.mode).toBe('socket');
    expect(bot.router).toBeUndefined();
  });

  it('is off without Slack settings: the log says so once and /slack/events does not exist', async () => {
    const running = await startTestApp();
    try {
      expect(running.app.slack).toBeUndefined();
      expect(running.logs.filter((record) => String(record.msg).startsWith('the Slack bot is off'))).toHaveLength(1);
      const response = await fetch(`${running.app.url()}/slack/events`, { method: 'POST', body: 'x' });
      expect(response.status).toBe(404);
    } finally {
      await running.stop();
    }
  });
});
