import { randomBytes } from 'node:crypto';
import { InteractionType } from 'discord.js';
import { MAX_JSON_DEPTH } from '../../src/http/json-limits';
import { FakeDiscordApi } from '../fakes/discord-api';
import { FakeSlackApi } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { DEFAULT_DISCORD_LOCALE, discordHeaders, discordKeys } from '../support/discord';
import { startTestApp, type RunningApp } from '../support/running-app';
import { eventCallbackBody, slackHeaders, slashCommandBody } from '../support/slack';
import { waitFor } from '../support/wait-for';

const SIGNING_SECRET = randomBytes(16).toString('hex');
const APP_ID = '1300000000000000001';
const GUILD = '1100000000000000001';

/**
 * Signed but malformed chat requests: each is answered 400 with what is wrong, never a 500 (which
 * the platform reports as a failure, or retries), and runs nothing. Unsigned ones are still 401.
 */
describe('signed but malformed Slack and Discord requests', () => {
  const keys = discordKeys();
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let running: RunningApp;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    discord = await new FakeDiscordApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: `xoxb-test-${randomBytes(8).toString('hex')}`,
      SLACK_API_URL: slack.url,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.url,
    });
    const { tenantId } = await createTestTenant(running.store.models);
    await running.store.models.Binding.create([
      { platform: 'slack', workspaceId: 'T1', channelId: '', tenantId },
      { platform: 'discord', workspaceId: GUILD, channelId: '', tenantId },
    ]);
  });

  afterAll(async () => {
    await running?.stop();
    await slack?.stop();
    await discord?.stop();
  });

  function postSlack(body: string, contentType: string, signed = true): Promise<Response> {
    return fetch(`${running.app.url()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(signed ? slackHeaders(SIGNING_SECRET, body) : {}) },
      body,
    });
  }
  const JSON_TYPE = 'application/json';
  const FORM = 'application/x-www-form-urlencoded';

  it('answers a signed Slack event_callback whose event is null with 400, and an unsigned one with 401', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event: null });
    const response = await postSlack(body, JSON_TYPE);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'bad_request',
      message: expect.stringMatching(/^not a Slack request this app handles: event: /),
    });
    expect((await postSlack(body, JSON_TYPE, false)).status).toBe(401);
  });

  it.each([
    [
      'an event that is not an object',
      eventCallbackBody({ teamId: 'T1', eventId: 'Ev2', event: 'x' as never }),
      JSON_TYPE,
    ],
    ['an event without a type', eventCallbackBody({ teamId: 'T1', eventId: 'Ev3', event: { user: 'U1' } }), JSON_TYPE],
    ['a JSON body without a type', JSON.stringify({ token: 'x', team_id: 'T1' }), JSON_TYPE],
    ['a JSON body that is not an object', 'null', JSON_TYPE],
    ['a JSON array', '[1,2]', JSON_TYPE],
    ['a body that is not JSON', '{"type":', JSON_TYPE],
    ['a payload form field that is not JSON', new URLSearchParams({ payload: '{not json' }).toString(), FORM],
    ['a payload form field that is JSON null', new URLSearchParams({ payload: 'null' }).toString(), FORM],
    ['a payload without a type', new URLSearchParams({ payload: '{"user":{"id":"U1"}}' }).toString(), FORM],
    [
      'a click without actions',
      new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'U1' } }) }).toString(),
      FORM,
    ],
  ])('answers a signed Slack request with %s with 400', async (_what, body, contentType) => {
    expect((await postSlack(body, contentType)).status).toBe(400);
  });

  it('answers a signed slash command without a text field with 400, and runs nothing', async () => {
    const form = new URLSearchParams(
      slashCommandBody({
        text: 'status',
        teamId: 'T1',
        userId: 'U1',
        channelId: 'C1',
        responseUrl: slack.responseUrl('no-text'),
      }),
    );
    form.delete('text');
    expect((await postSlack(form.toString(), FORM)).status).toBe(400);

    // A well-formed command after it is answered: had the refused one run, its reply came first.
    const fine = slashCommandBody({
      text: 'help',
      teamId: 'T1',
      userId: 'U1',
      channelId: 'C1',
      responseUrl: slack.responseUrl('fine'),
    });
    expect((await postSlack(fine, FORM)).status).toBe(200);
    await waitFor('the reply to the well-formed command', () => slack.callsTo('response_url:fine')[0]);
    expect(slack.callsTo('response_url:no-text')).toHaveLength(0);
  });

  const discordUrl = () => `${running.app.url()}/discord/interactions`;
  function postDiscord(body: string, signed = true): Promise<Response> {
    return fetch(discordUrl(), {
      method: 'POST',
      headers: signed ? discordHeaders(keys.privateKey, body) : { 'content-type': 'application/json' },
      body,
    });
  }
  const member = { user: { id: '1000000000000000001', username: 'ada' }, roles: [], permissions: '0' };
  const envelope = (type: number) => ({
    id: '1400000000000000001',
    application_id: APP_ID,
    type,
    token: `tok-${randomBytes(8).toString('hex')}`,
    version: 1,
    guild_id: GUILD,
    locale: DEFAULT_DISCORD_LOCALE,
    channel_id: '1200000000000000001',
    member,
  });

  it.each([
    ['not JSON', 'not json'],
    ['JSON that is not an object', '"hello"'],
    ['JSON without a type', JSON.stringify({ id: '1', token: 't' })],
    ['an unknown type', JSON.stringify(envelope(99))],
    ['an application command without data', JSON.stringify(envelope(InteractionType.ApplicationCommand))],
    [
      'an application command whose options are not a list',
      JSON.stringify({ ...envelope(InteractionType.ApplicationCommand), data: { name: 'iex', type: 1, options: 7 } }),
    ],
    [
      'a member without a user',
      JSON.stringify({ ...envelope(InteractionType.ApplicationCommand), member: {}, data: { name: 'iex', type: 1 } }),
    ],
    ['a button click without a custom id', JSON.stringify({ ...envelope(InteractionType.MessageComponent), data: {} })],
    ['an autocomplete without data', JSON.stringify(envelope(InteractionType.ApplicationCommandAutocomplete))],
    [
      `options nested 50,000 levels deep (over ${MAX_JSON_DEPTH})`,
      `${JSON.stringify(envelope(InteractionType.ApplicationCommand)).slice(0, -1)},"data":{"name":"iex","type":1,"options":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
    ],
  ])('answers a signed Discord interaction that is %s with 400, and calls nothing', async (_what, body) => {
    const before = discord.calls.length;
    const response = await postDiscord(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_request' });
    expect((await postDiscord(body, false)).status).toBe(401);
    expect(discord.calls.length).toBe(before);
  });

  it('still runs a well-formed Discord command after the malformed ones', async () => {
    const interaction = {
      ...envelope(InteractionType.ApplicationCommand),
      data: { id: '1', name: 'iex', type: 1, options: [{ name: 'help', type: 1 }] },
    };
    const response = await postDiscord(JSON.stringify(interaction));
    expect(response.status).toBe(200);
    await waitFor(
      'the edit of @original',
      () =>
        discord.callsTo('PATCH', new RegExp(`^/webhooks/${APP_ID}/${interaction.token}/messages/(@|%40)original$`))[0],
    );
  });
});
