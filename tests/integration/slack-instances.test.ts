import { randomBytes } from 'node:crypto';
import { createApp, type App } from '../../src/app';
import type { SentButton } from '../support/slack';
import { FakeSlackApi } from '../fakes/slack-api';
import { linkedSlackTenant } from '../support/command-core';
import { startTestApp, type RunningApp } from '../support/running-app';
import {
  appHomeOpenedEvent,
  buttonClickPayload,
  eventCallbackBody,
  interactionBody,
  slackHeaders,
  slashCommandBody,
} from '../support/slack';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/**
 * Two instances of the service on one broker and one store, as behind a load balancer: every
 * Slack delivery, and its repeat, goes to an instance picked at random.
 */

const SIGNING_SECRET = randomBytes(16).toString('hex');
const BOT_TOKEN = `xoxb-test-${randomBytes(8).toString('hex')}`;

let fake: FakeSlackApi;
let running: RunningApp;
let second: App;
let secondLogs: Array<Record<string, unknown>>;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  running = await startTestApp({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.url,
  });
  const { logger, records } = captureLogger();
  secondLogs = records;
  second = createApp(running.config, logger);
  await second.start();
});

afterAll(async () => {
  await second?.stop();
  await running?.stop();
  await fake?.stop();
});

const instances = () => [running.app, second];
const anyInstance = () => instances()[Math.floor(Math.random() * 2)]!;
const allLogs = () => [...running.logs, ...secondLogs];

interface Delivery {
  body: string;
  contentType: string;
}

function post(
  app: App,
  { body, contentType }: Delivery,
  { headers = {}, timestamp }: { headers?: Record<string, string>; timestamp?: number } = {},
): Promise<Response> {
  return fetch(`${app.url()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...slackHeaders(SIGNING_SECRET, body, timestamp), ...headers },
    body,
  });
}

/** A repeat as Slack sends it: the same body, signed anew, saying which retry it is. */
const retryHeaders = (retryNum: number) => ({
  'x-slack-retry-num': String(retryNum),
  'x-slack-retry-reason': 'http_timeout',
});

/**
 * Slack's side of one repeat: sent to a random instance; answered with an error (the delivery is
 * still in another instance's hands), Slack retries again, up to its three retries in all.
 */
async function repeatLikeSlack(delivery: Delivery, firstRetry = 1): Promise<number[]> {
  const statuses: number[] = [];
  for (let retryNum = firstRetry; retryNum <= 3; retryNum += 1) {
    const response = await post(anyInstance(), delivery, { headers: retryHeaders(retryNum) });
    statuses.push(response.status);
    if (response.ok) break;
  }
  return statuses;
}

const publishesTo = (userId: string) => fake.callsTo('views.publish').filter((call) => call.body.user_id === userId);
const repliesAt = (name: string) => fake.callsTo(`response_url:${name}`);

test('each Slack delivery and its repeat, sent to random instances, act exactly once', async () => {
  const commands = await linkedSlackTenant(running.store.models);
  const homes = await linkedSlackTenant(running.store.models);
  const checks: Array<{ what: string; acted: () => number }> = [];
  const deliveries: Delivery[] = [];

  // Slash commands and clicks: Slack never retries them, but a proxy or a double submit repeats
  // the same trigger id. Each acts by answering at its own response_url.
  for (let index = 0; index < 4; index += 1) {
    const name = `status-${index}-${randomBytes(3).toString('hex')}`;
    const body = slashCommandBody({
      text: 'status',
      teamId: commands.workspaceId,
      userId: 'UADMIN1',
      channelId: 'C1',
      responseUrl: fake.responseUrl(name),
    });
    deliveries.push({ body, contentType: 'application/x-www-form-urlencoded' });
    checks.push({ what: `/iex status ${name}`, acted: () => repliesAt(name).length });
  }
  for (const connectionId of ['orders', 'products', 'stock']) {
    const name = `switch-${connectionId}-${randomBytes(3).toString('hex')}`;
    const button: SentButton = {
      action_id: 'iex:0',
      value: `connection.toggle?id=${connectionId}&on=0`,
      text: { text: 'Switch off' },
    };
    const payload = buttonClickPayload({
      button,
      teamId: commands.workspaceId,
      userId: 'UADMIN1',
      responseUrl: fake.responseUrl(name),
    });
    deliveries.push({ body: interactionBody(payload), contentType: 'application/x-www-form-urlencoded' });
    checks.push({ what: `switching ${connectionId} off`, acted: () => repliesAt(name).length });
  }
  // Events: Slack retries them with the same event id. Each opening publishes that user's Home tab.
  for (let index = 0; index < 5; index += 1) {
    const userId = `UHOME${index}${randomBytes(2).toString('hex').toUpperCase()}`;
    const body = eventCallbackBody({
      teamId: homes.workspaceId,
      eventId: `Ev${randomBytes(6).toString('hex')}`,
      event: appHomeOpenedEvent(userId),
    });
    deliveries.push({ body, contentType: 'application/json' });
    checks.push({ what: `the Home tab of ${userId}`, acted: () => publishesTo(userId).length });
  }

  // Half of them: the repeat arrives after the first was acknowledged (a late acknowledgement);
  // the other half: both at once, racing for the delivery. The first deliveries go to each
  // instance in turn, so both instances handle some.
  const statuses = await Promise.all(
    deliveries.map(async (delivery, index) => {
      const first = instances()[index % 2]!;
      if (index % 4 < 2) {
        const response = await post(first, delivery);
        return [response.status, ...(await repeatLikeSlack(delivery))];
      }
      const [response, repeats] = await Promise.all([post(first, delivery), repeatLikeSlack(delivery)]);
      return [response.status, ...repeats];
    }),
  );
  // Every delivery was acknowledged in the end. An error only ever answers a copy that came while
  // the other copy was in hand (when both race, either may be the one in hand).
  for (const answers of statuses) {
    expect(answers).toContain(200);
    expect(answers.filter((answer) => answer !== 200 && answer !== 503)).toEqual([]);
  }

  for (const { what, acted } of checks) await waitFor(what, () => acted() >= 1);
  // Both instances finish what they acknowledged before the counts are taken.
  await waitFor('every delivery to be marked done', async () => {
    const claims = await running.store.models.ChatDelivery.collection.find({}).toArray();
    return claims.length >= deliveries.length && claims.every((claim) => claim.done === true);
  });
  expect(checks.map(({ what, acted }) => `${what}: ${acted()}`)).toEqual(checks.map(({ what }) => `${what}: 1`));

  const connections = await running.store.models.DataConnection.find({ tenantId: commands.tenantId }).lean();
  expect(connections.map((connection) => connection.active)).toEqual([false, false, false]);
  const audits = await running.store.models.AuditEntry.find({
    tenantId: commands.tenantId,
    action: 'connection.deactivate',
  }).lean();
  expect(audits).toHaveLength(3);

  // Every copy answered 200 was either the one handled or a repeat that was acknowledged only.
  const acknowledged = statuses.flat().filter((answer) => answer === 200).length;
  const ignored = allLogs().filter((record) => record.msg === 'ignored a repeated Slack delivery');
  expect(ignored).toHaveLength(acknowledged - deliveries.length);
  const owners = await running.store.models.ChatDelivery.distinct('owner');
  expect(owners).toHaveLength(2);
  // Each instance's scheduler prunes expired claims at start and at every reload, without failing.
  expect(allLogs().filter((record) => String(record.msg).startsWith('scheduler maintenance failed'))).toEqual([]);
});

test('an event whose instance stopped before answering is handled by a retry once its lease has passed', async () => {
  const { workspaceId } = await linkedSlackTenant(running.store.models);
  const claims = running.store.models.ChatDelivery.collection;
  const delivery = (userId: string, eventId: string): Delivery => ({
    body: eventCallbackBody({ teamId: workspaceId, eventId, event: appHomeOpenedEvent(userId) }),
    contentType: 'application/json',
  });

  // An instance claimed the event and died before it acknowledged: Slack retries. While the
  // dead instance's lease runs, the retry is answered with an error, so that Slack asks again.
  const dying = `Ev${randomBytes(6).toString('hex')}`;
  // Longer than a repeat waits for the owner (1.5 s), so the first retry finds it still running.
  const leaseUntil = new Date(Date.now() + 4000);
  await claims.insertOne({
    _id: `slack:event:${dying}` as never,
    owner: 'an-instance-that-died',
    leaseUntil,
    done: false,
    at: new Date(),
  });
  const early = await post(anyInstance(), delivery('UORPHAN1', dying), { headers: retryHeaders(1) });
  expect(early.status).toBe(503);
  expect(publishesTo('UORPHAN1')).toHaveLength(0);

  // Slack's next retry comes after the lease has passed: that one acts, once.
  await waitFor('the dead instance lease to pass', () => Date.now() > leaseUntil.getTime());
  expect(await repeatLikeSlack(delivery('UORPHAN1', dying), 2)).toEqual([200]);
  await waitFor('the taken-over event to publish', () => publishesTo('UORPHAN1').length === 1);
  expect(allLogs().some((record) => record.msg === 'took over a Slack delivery whose handler stopped')).toBe(true);
  expect(await repeatLikeSlack(delivery('UORPHAN1', dying), 3)).toEqual([200]);
  expect(publishesTo('UORPHAN1')).toHaveLength(1);

  // A claim marked done is never acted on again, whichever instance the retry reaches.
  const handled = `Ev${randomBytes(6).toString('hex')}`;
  await claims.insertOne({
    _id: `slack:event:${handled}` as never,
    owner: 'another-instance',
    leaseUntil: new Date(Date.now() - 60_000),
    done: true,
    at: new Date(),
  });
  expect(await repeatLikeSlack(delivery('UDONE1', handled))).toEqual([200]);
  await post(anyInstance(), delivery('UDONE1', `Ev${randomBytes(6).toString('hex')}`));
  // A fresh opening after it publishes; had the repeat acted, its publish came first.
  await waitFor('the fresh opening to publish', () => publishesTo('UDONE1').length >= 1);
  expect(publishesTo('UDONE1')).toHaveLength(1);
});

test('Home tabs opened through one instance are refreshed when a change comes through the other', async () => {
  const { tenantId, workspaceId } = await linkedSlackTenant(running.store.models);
  const [a, b] = instances() as [App, App];
  const open = async (app: App, userId: string) => {
    const before = publishesTo(userId).length;
    const response = await post(app, {
      body: eventCallbackBody({
        teamId: workspaceId,
        eventId: `Ev${randomBytes(6).toString('hex')}`,
        event: appHomeOpenedEvent(userId),
      }),
      contentType: 'application/json',
    });
    expect(response.status).toBe(200);
    await waitFor(`the Home tab of ${userId}`, () => publishesTo(userId).length === before + 1);
  };
  await open(a, 'UADMIN1');
  await open(a, 'UVIEWER1');
  await open(b, 'UOWNER1');

  // An admin clicks a button on their Home tab; the click reaches the other instance.
  const counts = () => ['UADMIN1', 'UVIEWER1', 'UOWNER1'].map((userId) => publishesTo(userId).length);
  const before = counts();
  const button: SentButton = {
    action_id: 'iex:0',
    value: 'connection.toggle?id=stock&on=0',
    text: { text: 'Switch off' },
  };
  const click = await post(b, {
    body: interactionBody(buttonClickPayload({ button, teamId: workspaceId, userId: 'UADMIN1', homeViewId: 'VH1' })),
    contentType: 'application/x-www-form-urlencoded',
  });
  expect(click.status).toBe(200);
  await waitFor('every open Home tab to be refreshed', () =>
    counts().every((count, index) => count === before[index]! + 1),
  );
  const refreshed = fake
    .callsTo('views.publish')
    .filter((call) => call.body.user_id === 'UVIEWER1')
    .at(-1)!;
  expect(JSON.stringify(refreshed.body.view)).toContain(`Shop ${tenantId} — Home`);

  // An alert handled by the instance that never saw the tabs opened refreshes them all too.
  const beforeAlert = counts();
  await b.slack!.refreshHome(tenantId);
  await a.slack!.refreshHome(`t-unknown-${randomBytes(3).toString('hex')}`);
  expect(counts()).toEqual(beforeAlert.map((count) => count + 1));
});

describe('the time a Slack request says it was signed at', () => {
  const status = (app: App, name: string, workspaceId: string, timestamp: number) =>
    post(
      app,
      {
        body: slashCommandBody({
          text: 'status',
          teamId: workspaceId,
          userId: 'UADMIN1',
          channelId: 'C1',
          responseUrl: fake.responseUrl(name),
        }),
        contentType: 'application/x-www-form-urlencoded',
      },
      { timestamp },
    );
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it('refuses a correctly signed request dated more than five minutes ahead with 401, and does nothing', async () => {
    const { workspaceId } = await linkedSlackTenant(running.store.models);
    const aYear = `future-year-${randomBytes(3).toString('hex')}`;
    const sixMinutes = `future-6m-${randomBytes(3).toString('hex')}`;
    expect((await status(anyInstance(), aYear, workspaceId, nowSeconds() + 365 * 24 * 3600)).status).toBe(401);
    expect((await status(anyInstance(), sixMinutes, workspaceId, nowSeconds() + 6 * 60)).status).toBe(401);
    const event = await post(
      anyInstance(),
      {
        body: eventCallbackBody({
          teamId: workspaceId,
          eventId: `Ev${randomBytes(6).toString('hex')}`,
          event: appHomeOpenedEvent('UFUTURE1'),
        }),
        contentType: 'application/json',
      },
      { timestamp: nowSeconds() + 6 * 60 },
    );
    expect(event.status).toBe(401);

    // A clock a little behind Slack's is still within the window.
    const ahead = `ahead-4m-${randomBytes(3).toString('hex')}`;
    expect((await status(anyInstance(), ahead, workspaceId, nowSeconds() + 4 * 60)).status).toBe(200);
    await waitFor('the answer to the request four minutes ahead', () => repliesAt(ahead).length === 1);
    // Requests are answered in order per instance; send one more genuine one to each and wait.
    for (const app of instances()) {
      const name = `genuine-${randomBytes(3).toString('hex')}`;
      expect((await status(app, name, workspaceId, nowSeconds())).status).toBe(200);
      await waitFor('a genuine answer', () => repliesAt(name).length === 1);
    }
    expect(repliesAt(aYear)).toHaveLength(0);
    expect(repliesAt(sixMinutes)).toHaveLength(0);
    expect(publishesTo('UFUTURE1')).toHaveLength(0);
    const refused = allLogs().filter((record) => record.msg === 'refused a Slack request dated in the future');
    expect(refused).toHaveLength(3);
  });

  it('still refuses one dated more than five minutes ago', async () => {
    const { workspaceId } = await linkedSlackTenant(running.store.models);
    const name = `old-${randomBytes(3).toString('hex')}`;
    expect((await status(anyInstance(), name, workspaceId, nowSeconds() - 6 * 60)).status).toBe(401);
    const genuine = `genuine-${randomBytes(3).toString('hex')}`;
    expect((await status(anyInstance(), genuine, workspaceId, nowSeconds())).status).toBe(200);
    await waitFor('a genuine answer', () => repliesAt(genuine).length === 1);
    expect(repliesAt(name)).toHaveLength(0);
  });
});
