import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { TenantSpecInput } from '../../src/domain/tenant-spec';
import { seedDemoTenant } from '../../src/simulator/seed-demo';
import { FakeSlackApi, type FakeWorkspace, type RecordedCall } from '../fakes/slack-api';
import { transferEvent } from '../fixtures/transfer-events';
import { startTestApp, type RunningApp } from '../support/running-app';
import { appHomeOpenedEvent, eventCallbackBody, slackHeaders, slashCommandBody } from '../support/slack';
import { installWorkspace } from '../support/slack-install';
import { waitFor } from '../support/wait-for';
import { postEvents } from '../support/webhooks';

/**
 * The "done when", as a new customer meets it: an operator applies acme's spec through
 * the admin API, acme's Slack workspace installs the app through /slack/install, links itself with
 * a code, and from then on `/iex` answers acme's data with acme's token while the demo workspace
 * (the one-workspace SLACK_BOT_TOKEN) keeps getting the demo's; acme's engine's events raise alerts
 * in acme's channel only.
 */

const SIGNING_SECRET = randomBytes(16).toString('hex');
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const DEMO_TOKEN = `xoxb-demo-${randomBytes(8).toString('hex')}`;
const ACME: FakeWorkspace = {
  teamId: 'TACMEJOURNEY',
  teamName: 'Acme Webshop',
  botToken: `xoxb-acme-${randomBytes(12).toString('hex')}`,
  botUserId: 'UBOTACME',
  scopes: ['commands', 'chat:write', 'chat:write.public'],
  installerUserId: 'UKAREN',
};
/** The workspace the fake's auth.test names for a token it did not hand out at an install. */
const DEMO_TEAM = 'T1';
const ACME_ALERTS = 'CACMEALERTS';
const DEMO_ALERTS = 'CDEMOALERTS';

describe('onboarding a customer, from a spec to /iex status in its own workspace', () => {
  let fake: FakeSlackApi;
  let running: RunningApp;
  let base: string;

  beforeAll(async () => {
    fake = await new FakeSlackApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: DEMO_TOKEN,
      SLACK_CLIENT_ID: '1111111111.3333333333',
      SLACK_CLIENT_SECRET: randomBytes(16).toString('hex'),
      SLACK_STATE_SECRET: randomBytes(24).toString('base64'),
      INSTALLATION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SLACK_API_URL: fake.url,
      ADMIN_TOKENS: `onboarding:${ADMIN_TOKEN}:write`,
    });
    base = running.app.url();
    await seedDemoTenant(running.store.models);
    await running.store.models.NotificationRule.create({
      tenantId: 'demo',
      trigger: 'transfer.failed',
      recipient: { kind: 'slack', target: DEMO_ALERTS },
    });
  });

  afterAll(async () => {
    await running?.stop();
    await fake?.stop();
  });

  const admin = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${base}/admin/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const signed = (body: string, contentType: string) =>
    fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackHeaders(SIGNING_SECRET, body) },
      body,
    });

  /** `/iex <text>` typed in a workspace, signed as Slack signs it; resolves to the answer's text. */
  const slash = async (teamId: string, userId: string, text: string): Promise<string> => {
    const name = `cmd-${randomBytes(4).toString('hex')}`;
    const response = await signed(
      slashCommandBody({ text, teamId, userId, channelId: 'CGENERAL', responseUrl: fake.responseUrl(name) }),
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(200);
    const answer = await waitFor(`the answer to /iex ${text}`, () => fake.callsTo(`response_url:${name}`)[0]);
    return JSON.stringify(answer.body);
  };

  /** Opens the app's Home tab in a workspace; resolves to the views.publish call that answered it. */
  const openHome = async (teamId: string, userId: string): Promise<RecordedCall> => {
    const before = fake.callsTo('views.publish').filter((call) => call.body.user_id === userId).length;
    const body = eventCallbackBody({
      teamId,
      eventId: `Ev${randomBytes(6).toString('hex')}`,
      event: appHomeOpenedEvent(userId),
    });
    expect((await signed(body, 'application/json')).status).toBe(200);
    return waitFor(
      'the Home tab',
      () => fake.callsTo('views.publish').filter((call) => call.body.user_id === userId)[before],
    );
  };

  const postsTo = (channel: string) =>
    fake.calls.filter(
      (call) => (call.method === 'chat.postMessage' || call.method === 'chat.update') && call.body.channel === channel,
    );

  let acmeEngineSecret = '';

  it('applies examples/tenant.yaml through the admin API: acme, two systems, three connections; again: no changes', async () => {
    const example = parseYaml(
      readFileSync(path.join(__dirname, '../../examples/tenant.yaml'), 'utf8'),
    ) as TenantSpecInput;
    const spec: TenantSpecInput = {
      ...example,
      notifications: [
        ...(example.notifications ?? []),
        { trigger: 'transfer.failed', platform: 'slack', channel: ACME_ALERTS },
      ],
    };
    const created = await admin('PUT', '/tenants/acme', spec);
    expect(created.status).toBe(201);
    acmeEngineSecret = String(created.body.webhookSecret);
    const { models } = running.store;
    expect(await models.System.countDocuments({ tenantId: 'acme' })).toBe(2);
    expect(await models.DataConnection.countDocuments({ tenantId: 'acme' })).toBe(3);

    const again = await admin('PUT', '/tenants/acme', spec);
    expect(again).toMatchObject({ status: 200, body: { changes: [], applied: false } });
  });

  it("installs the app in acme's workspace and links it with a code", async () => {
    expect((await installWorkspace(base, fake, ACME)).status).toBe(200);
    const { body } = await admin('POST', '/tenants/acme/link-codes');
    const linked = await slash(ACME.teamId, 'UKAREN', `link ${String(body.code)}`);
    expect(linked).toContain('Acme Webshop ApS');
    expect(linked).toContain('<@UKAREN> is its owner');

    // The demo workspace, on the one-workspace token, is linked to the demo tenant the same way.
    const demo = await fetch(`${base}/admin/v1/tenants/demo/link-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const demoCode = ((await demo.json()) as { code: string }).code;
    expect(await slash(DEMO_TEAM, 'UDEMOOWNER', `link ${demoCode}`)).toContain('Demo webshop');
  });

  it("answers each workspace with its own tenant's data and its own token", async () => {
    const acmeStatus = await slash(ACME.teamId, 'UKAREN', 'status');
    expect(acmeStatus).toContain('Acme Webshop ApS — Home');
    expect(acmeStatus).not.toContain('Demo webshop');
    const demoStatus = await slash(DEMO_TEAM, 'UDEMOOWNER', 'status');
    expect(demoStatus).toContain('Demo webshop');
    expect(demoStatus).not.toContain('Acme');
    // A section with the tenant's own rows: acme's systems, not the demo's.
    expect(await slash(ACME.teamId, 'UKAREN', 'systems')).toContain('Acme webshop');

    expect((await openHome(ACME.teamId, 'UKAREN')).token).toBe(ACME.botToken);
    expect((await openHome(DEMO_TEAM, 'UDEMOOWNER')).token).toBe(DEMO_TOKEN);
  });

  it("raises alerts from acme's signed events in acme's channel only, with acme's token", async () => {
    const failed = transferEvent({
      tenantId: 'acme',
      type: 'transfer.failed',
      reference: '#1042',
      error: { code: 'ECONOMIC_VAT_ZONE', message: 'VAT zone not found for customer', retryable: false },
    });
    // The demo's secret does not sign for acme.
    const demoSecret = (await running.store.models.Tenant.findOne({ tenantId: 'demo' })
      .select('+webhookSecret')
      .lean())!.webhookSecret!;
    expect((await postEvents(base, 'acme', demoSecret, failed)).status).toBe(401);
    expect((await postEvents(base, 'acme', acmeEngineSecret, failed)).status).toBe(202);

    const posted = await waitFor('the alert in acme\u2019s channel', () => postsTo(ACME_ALERTS)[0]);
    expect(posted.token).toBe(ACME.botToken);
    expect(JSON.stringify(posted.body)).toContain('#1042');
    // Whatever acme's events raise never reaches the demo's channel or uses another token.
    expect(postsTo(DEMO_ALERTS)).toHaveLength(0);
    expect(postsTo(ACME_ALERTS).every((call) => call.token === ACME.botToken)).toBe(true);
    expect(
      fake.calls.filter((call) => call.token === DEMO_TOKEN && JSON.stringify(call.body).includes('#1042')),
    ).toEqual([]);
  });

  it('tells a person who links a second place which role they have and who the owner is', async () => {
    const { body } = await admin('POST', '/tenants/acme/link-codes');
    const answer = await slash(DEMO_TEAM, 'UBOB', `link ${String(body.code)} --channel`);
    expect(answer).toContain('This channel is now linked to *Acme Webshop ApS*');
    expect(answer).toContain(
      '<@UBOB> is a viewer (reads, changes nothing) here; the owner, <@UKAREN>, can change that',
    );
  });
});
