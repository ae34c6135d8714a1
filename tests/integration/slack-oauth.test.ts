import { randomBytes } from 'node:crypto';
import { createTokenCipher } from '../../src/domain/token-cipher';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import type { Models } from '../../src/store';
import { createLinkCode } from '../../src/store/link-codes';
import { FakeSlackApi, type FakeWorkspace, type RecordedCall } from '../fakes/slack-api';
import { failure } from '../fixtures/alert-events';
import { createTestTenant } from '../fixtures/tenants';
import { startTestApp, type RunningApp } from '../support/running-app';
import { appHomeOpenedEvent, eventCallbackBody, slackHeaders, slashCommandBody } from '../support/slack';
import { waitFor } from '../support/wait-for';
import { installWorkspace, oauthRedirect, openInstallPage as openInstallPageAt } from '../support/slack-install';

/**
 * The Slack app distributed with OAuth v2: two workspaces install it through /slack/install and
 * the fake Slack's oauth.v2.access, each is linked to its own tenant, and every Slack call goes out
 * with the token of the workspace it is for.
 */

const SIGNING_SECRET = randomBytes(16).toString('hex');
const CLIENT_ID = '1111111111.2222222222';
const CLIENT_SECRET = randomBytes(16).toString('hex');
const STATE_SECRET = randomBytes(24).toString('base64');
const ENCRYPTION_KEY = randomBytes(32);

const scopes = ['commands', 'chat:write', 'chat:write.public', 'users:read', 'files:write', 'im:write'];
const ACME: FakeWorkspace = {
  teamId: 'TACME0001',
  teamName: 'Acme',
  botToken: `xoxb-acme-${randomBytes(12).toString('hex')}`,
  botUserId: 'UBOTACME',
  scopes,
  installerUserId: 'UACMEOWNER',
};
const BETA: FakeWorkspace = {
  teamId: 'TBETA0002',
  teamName: 'Beta',
  botToken: `xoxb-beta-${randomBytes(12).toString('hex')}`,
  botUserId: 'UBOTBETA',
  scopes,
  installerUserId: 'UBETAOWNER',
};
const ACME_CHANNEL = 'CACMEALERTS';
const BETA_CHANNEL = 'CBETAALERTS';

let fake: FakeSlackApi;
let running: RunningApp;
let models: Models;
let producer: EventProducer;
let acmeTenant: string;
let betaTenant: string;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  running = await startTestApp({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    INSTALLATION_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('hex'),
    SLACK_API_URL: fake.url,
  });
  models = running.store.models;
  producer = createEventProducer(running.kafka, running.naming);
  ({ tenantId: acmeTenant } = await createTestTenant(models));
  ({ tenantId: betaTenant } = await createTestTenant(models));
  await models.NotificationRule.create([
    { tenantId: acmeTenant, trigger: 'transfer.failed', recipient: { kind: 'slack', target: ACME_CHANNEL } },
    { tenantId: betaTenant, trigger: 'transfer.failed', recipient: { kind: 'slack', target: BETA_CHANNEL } },
  ]);
});

afterAll(async () => {
  await producer?.disconnect();
  await running?.stop();
  await fake?.stop();
});

const base = () => running.app.url();
const rawInstallation = (teamId: string) =>
  running.store.connection.db!.collection('slackInstallations').findOne({ _id: `team:${teamId}` as never });

const openInstallPage = () => openInstallPageAt(base());
const redirect = (query: Record<string, string>, cookie?: string) => oauthRedirect(base(), query, cookie);
const install = (workspace: FakeWorkspace) => installWorkspace(base(), fake, workspace);

function post(body: string, contentType: string): Promise<Response> {
  return fetch(`${base()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...slackHeaders(SIGNING_SECRET, body) },
    body,
  });
}

/** `/iex <text>` typed in a workspace, signed as Slack signs it; resolves to the answer. */
async function slash(workspace: FakeWorkspace, userId: string, text: string): Promise<RecordedCall> {
  const name = `cmd-${randomBytes(4).toString('hex')}`;
  const response = await post(
    slashCommandBody({
      text,
      teamId: workspace.teamId,
      userId,
      channelId: 'CGENERAL',
      responseUrl: fake.responseUrl(name),
    }),
    'application/x-www-form-urlencoded',
  );
  expect(response.status).toBe(200);
  return waitFor(`the answer to /iex ${text}`, () => fake.callsTo(`response_url:${name}`)[0]);
}

const event = (workspace: FakeWorkspace, body: Record<string, unknown>) =>
  post(
    eventCallbackBody({ teamId: workspace.teamId, eventId: `Ev${randomBytes(6).toString('hex')}`, event: body }),
    'application/json',
  );

const sendAlert = (tenantId: string) => producer.sendJson('alerts', [{ key: tenantId, value: failure(tenantId) }]);

const postsTo = (channel: string) =>
  fake.calls.filter(
    (call) => (call.method === 'chat.postMessage' || call.method === 'chat.update') && call.body.channel === channel,
  );

describe('Slack app distribution (OAuth v2)', () => {
  it('shows an Add to Slack link at /slack/install, with a state kept in the browser', async () => {
    const { response, html, link, state, cookie } = await openInstallPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Add to Slack');
    expect(link?.origin + link!.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(link?.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(link?.searchParams.get('scope')?.split(',')).toEqual(scopes);
    expect(state.length).toBeGreaterThan(20);
    // The same state in an HttpOnly cookie: the redirect must come back to the browser that started.
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);
    expect(response.headers.get('set-cookie')).toContain('HttpOnly');
  });

  it('refuses a redirect without a state, with a forged one, or from another browser, and stores nothing', async () => {
    const code = `code-${randomBytes(6).toString('hex')}`;
    fake.installCode(code, ACME);
    const { state, cookie } = await openInstallPage();
    const forged = `${state.slice(0, -4)}${state.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;

    const missing = await redirect({ code });
    const tampered = await redirect({ code, state: forged }, `slack-app-oauth-state=${forged}`);
    const otherBrowser = await redirect({ code, state });
    const otherState = await redirect({ code, state }, 'slack-app-oauth-state=somebody-elses');

    for (const response of [missing, tampered, otherBrowser, otherState]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('The installation did not complete');
    }
    expect(fake.callsTo('oauth.v2.access')).toHaveLength(0);
    expect(await models.SlackInstallation.countDocuments()).toBe(0);
    expect(
      running.logs.filter(
        (record) => record.msg === 'refused a Slack OAuth redirect: its state or code is missing or not ours',
      ),
    ).toHaveLength(4);
    // The untouched state still works afterwards, once, in its own browser.
    expect((await redirect({ code, state }, cookie)).status).toBe(200);
    await models.SlackInstallation.deleteMany({});
  });

  it('exchanges the code with oauth.v2.access and stores the installation with the bot token sealed', async () => {
    const response = await install(ACME);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('IEX ChatOps is installed');
    expect(page).toContain('Acme');
    expect(page).toContain('/iex link');

    const exchange = fake.callsTo('oauth.v2.access').at(-1)!;
    expect(exchange.body).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

    const raw = await rawInstallation(ACME.teamId);
    expect(raw).toMatchObject({
      _id: `team:${ACME.teamId}`,
      teamId: ACME.teamId,
      teamName: 'Acme',
      botUserId: ACME.botUserId,
      botScopes: scopes,
      installerUserId: ACME.installerUserId,
      isEnterpriseInstall: false,
    });
    expect(raw!.installedAt).toBeInstanceOf(Date);
    expect(raw!.enterpriseId).toBeUndefined();
    // Neither the token nor any encoding of its bytes is in the document.
    const stored = JSON.stringify(raw);
    const token = Buffer.from(ACME.botToken, 'utf8');
    for (const form of [ACME.botToken, token.toString('base64'), token.toString('hex'), ACME.botToken.slice(10)]) {
      expect(stored).not.toContain(form);
    }
    // Sealed with the configured key, bound to its document: it opens there and nowhere else.
    const cipher = createTokenCipher(ENCRYPTION_KEY);
    expect(cipher.open(raw!.botToken, `team:${ACME.teamId}`)).toBe(ACME.botToken);
    expect(() => cipher.open(raw!.botToken, `team:${BETA.teamId}`)).toThrow();
    expect(() => createTokenCipher(randomBytes(32)).open(raw!.botToken, `team:${ACME.teamId}`)).toThrow();
    // Nothing logged the token either.
    expect(JSON.stringify(running.logs)).not.toContain(ACME.botToken);
  });

  it("answers /iex in each of two workspaces with its own tenant's data, each call with that workspace's token", async () => {
    expect((await install(BETA)).status).toBe(200);
    for (const [workspace, tenantId] of [
      [ACME, acmeTenant],
      [BETA, betaTenant],
    ] as const) {
      const { code } = await createLinkCode(models, tenantId);
      const linked = await slash(workspace, workspace.installerUserId, `link ${code}`);
      expect(linked.body.text).toContain(`now linked to *Shop ${tenantId}*`);
    }

    const acmeStatus = await slash(ACME, ACME.installerUserId, 'status');
    const betaStatus = await slash(BETA, BETA.installerUserId, 'status');
    expect(acmeStatus.body.text).toBe(`Shop ${acmeTenant}: active · 0/500 orders used`);
    expect(betaStatus.body.text).toBe(`Shop ${betaTenant}: active · 0/500 orders used`);

    // The App Home of each workspace is published with that workspace's token.
    await event(ACME, appHomeOpenedEvent(ACME.installerUserId));
    await event(BETA, appHomeOpenedEvent(BETA.installerUserId));
    const published = await waitFor('both Home tabs', () => {
      const calls = fake.callsTo('views.publish');
      return calls.length >= 2 ? calls : undefined;
    });
    const byUser = Object.fromEntries(published.map((call) => [call.body.user_id, call]));
    expect(byUser[ACME.installerUserId]?.token).toBe(ACME.botToken);
    expect(JSON.stringify(byUser[ACME.installerUserId]?.body.view)).toContain(`Shop ${acmeTenant}`);
    expect(byUser[BETA.installerUserId]?.token).toBe(BETA.botToken);
    expect(JSON.stringify(byUser[BETA.installerUserId]?.body.view)).toContain(`Shop ${betaTenant}`);
  });

  it("posts a tenant's alert in its channel with its workspace's token only", async () => {
    await sendAlert(acmeTenant);
    const posted = await waitFor('the alert in Acme', () => postsTo(ACME_CHANNEL)[0]);
    expect(posted.method).toBe('chat.postMessage');
    expect(posted.token).toBe(ACME.botToken);
    await running.caughtUp('iex.notifier', 'alerts');
    expect(postsTo(BETA_CHANNEL)).toHaveLength(0);
    expect(fake.calls.filter((call) => call.token === BETA.botToken && call.body.channel === ACME_CHANNEL)).toEqual([]);
    // The Home tab refreshed after the alert, with Acme's token.
    await waitFor(
      'the Home refresh',
      () => fake.callsTo('views.publish').filter((call) => call.body.user_id === ACME.installerUserId).length >= 2,
    );
    expect(
      fake
        .callsTo('views.publish')
        .every((call) =>
          call.body.user_id === ACME.installerUserId ? call.token === ACME.botToken : call.token === BETA.botToken,
        ),
    ).toBe(true);
  });

  it('forgets a workspace that uninstalled the app: no more alerts are tried there, the other workspace still gets its own', async () => {
    const logsBefore = running.logs.length;
    const response = await event(ACME, { type: 'app_uninstalled', event_ts: `${Date.now() / 1000}` });
    expect(response.status).toBe(200);
    await waitFor('the installation to be removed', async () => (await rawInstallation(ACME.teamId)) === null);
    expect(await rawInstallation(BETA.teamId)).not.toBeNull();

    const acmeCallsBefore = postsTo(ACME_CHANNEL).length;
    const acmeTokenCallsBefore = fake.calls.filter((call) => call.token === ACME.botToken).length;
    await sendAlert(acmeTenant);
    await sendAlert(betaTenant);
    const betaPost = await waitFor("Beta's alert", () => postsTo(BETA_CHANNEL)[0]);
    expect(betaPost.token).toBe(BETA.botToken);
    await running.caughtUp('iex.notifier', 'alerts');

    // Nothing was sent to Acme's channel, nor with Acme's token, after the uninstall.
    expect(postsTo(ACME_CHANNEL)).toHaveLength(acmeCallsBefore);
    expect(fake.calls.filter((call) => call.token === ACME.botToken)).toHaveLength(acmeTokenCallsBefore);

    // The log says it once, and raises no errors about it.
    const since = running.logs.slice(logsBefore);
    expect(since.filter((record) => String(record.msg).startsWith('the Slack app was uninstalled'))).toHaveLength(1);
    expect(since.filter((record) => Number(record.level) >= 50)).toEqual([]);
    expect(since.filter((record) => record.msg === 'alert not delivered to this channel')).toEqual([]);
    // Each skip is counted instead.
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/iex_alerts_skipped_total\{kind="slack",reason="workspace_gone"\} [1-9]/);
  });

  it("also forgets a workspace whose bot token was revoked, but not for a user's token", async () => {
    await event(BETA, { type: 'tokens_revoked', tokens: { oauth: ['UBETAOWNER'] }, event_ts: `${Date.now() / 1000}` });
    await event(BETA, { type: 'tokens_revoked', tokens: { bot: [BETA.botUserId] }, event_ts: `${Date.now() / 1000}` });
    await waitFor('the installation to be removed', async () => (await rawInstallation(BETA.teamId)) === null);
    // The service logs it once the removal returned: a moment after the store shows it.
    const refusals = () =>
      running.logs.filter((record) => String(record.msg).startsWith('the Slack app was refused its token'));
    await waitFor('the log line of the refusal', () => refusals().length > 0);
    expect(refusals()).toHaveLength(1);
  });

  it('takes an installation whose token does not open (the key was changed) as not installed, and says so once', async () => {
    expect((await install(ACME)).status).toBe(200);
    const raw = await rawInstallation(ACME.teamId);
    const otherTag = randomBytes(16).toString('base64');
    await running.store.connection
      .db!.collection('slackInstallations')
      .updateOne({ _id: `team:${ACME.teamId}` as never }, { $set: { 'botToken.tag': otherTag } });
    expect(raw!.botToken.tag).not.toBe(otherTag);
    const acmeCallsBefore = postsTo(ACME_CHANNEL).length;
    const logsBefore = running.logs.length;

    await sendAlert(acmeTenant);
    await running.caughtUp('iex.notifier', 'alerts');
    await sendAlert(acmeTenant);
    await running.caughtUp('iex.notifier', 'alerts');

    expect(postsTo(ACME_CHANNEL)).toHaveLength(acmeCallsBefore);
    const errors = running.logs.slice(logsBefore).filter((record) => Number(record.level) >= 50);
    expect(errors.map((record) => record.msg)).toEqual([
      'a Slack installation does not open with INSTALLATION_ENCRYPTION_KEY (was the key changed?): nothing is sent to that workspace until it installs the app again',
    ]);
  });
});

describe('SLACK_BOT_TOKEN alongside distribution', () => {
  // The fake's auth.test names workspace T1 for a token it did not hand out at an install.
  const LEGACY_TOKEN = `xoxb-legacy-${randomBytes(8).toString('hex')}`;
  const LEGACY: FakeWorkspace = {
    teamId: 'T1',
    teamName: 'Demo',
    botToken: `xoxb-demo-installed-${randomBytes(8).toString('hex')}`,
    botUserId: 'UBOTDEMO',
    scopes,
    installerUserId: 'UDEMOOWNER',
  };
  let both: RunningApp;
  let legacyTenant: string;

  beforeAll(async () => {
    both = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: LEGACY_TOKEN,
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: STATE_SECRET,
      INSTALLATION_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
      SLACK_API_URL: fake.url,
    });
    ({ tenantId: legacyTenant } = await createTestTenant(both.store.models));
    await both.store.models.Binding.create({
      platform: 'slack',
      workspaceId: 'T1',
      channelId: '',
      tenantId: legacyTenant,
    });
  });

  afterAll(async () => {
    await both?.stop();
  });

  const openHome = async () => {
    const body = eventCallbackBody({
      teamId: 'T1',
      eventId: `Ev${randomBytes(6).toString('hex')}`,
      event: appHomeOpenedEvent('UDEMOVIEWER'),
    });
    const before = fake.callsTo('views.publish').filter((call) => call.body.user_id === 'UDEMOVIEWER').length;
    const response = await fetch(`${both.app.url()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...slackHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(response.status).toBe(200);
    return waitFor(
      'the Home tab',
      () => fake.callsTo('views.publish').filter((call) => call.body.user_id === 'UDEMOVIEWER')[before],
    );
  };

  it("serves the token's own workspace until that workspace installs the app, then its installation's token", async () => {
    const before = await openHome();
    expect(before.token).toBe(LEGACY_TOKEN);
    expect(JSON.stringify(before.body.view)).toContain(`Shop ${legacyTenant}`);

    const code = `code-${randomBytes(6).toString('hex')}`;
    fake.installCode(code, LEGACY);
    const page = await fetch(`${both.app.url()}/slack/install`);
    const state = new URL(/<a href="([^"]+)"/.exec(await page.text())![1]!).searchParams.get('state')!;
    const installed = await fetch(
      `${both.app.url()}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`,
      {
        headers: { cookie: `slack-app-oauth-state=${state}` },
      },
    );
    expect(installed.status).toBe(200);

    const after = await openHome();
    expect(after.token).toBe(LEGACY.botToken);
  });
});
