// The app (and discord.js in it) loads before the charts service's vega: loaded after it, discord.js's
// inspect helper fails at import under jest ("Set()" is not iterable), as app.ts's own order avoids.
import { startTestApp, type RunningApp } from '../support/running-app';
import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';
import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { dayAndPeriod } from '../../src/domain/periods';
import { createUsageCharts } from '../../src/services/charts/usage-chart';
import type { Models } from '../../src/store';
import { applyPartitionUsage } from '../../src/store/usage-counter';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { appHomeOpenedEvent, eventCallbackBody, runSlashCommand, slackHeaders } from '../support/slack';
import { waitFor } from '../support/wait-for';

const SIGNING_SECRET = randomBytes(16).toString('hex');
const SLACK_TOKEN = `xoxb-test-${randomBytes(8).toString('hex')}`;
/** Where Slack would reach the service; the test fetches the same paths from where it listens. */
const PUBLIC_URL = 'https://iex.example';
const TEAM = 'T1';
const USER = 'UREADER1';

interface SlackImageBlock {
  type: 'image';
  image_url: string;
  alt_text: string;
}

/** With PUBLIC_URL set Slack fetches the chart itself: a signed PNG link in an image block, no upload. */
describe('usage charts in Slack when the service is public (PUBLIC_URL)', () => {
  let slack: FakeSlackApi;
  let running: RunningApp;
  let models: Models;
  let tenantId: string;
  let otherTenant: string;
  let period: string;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
      PUBLIC_URL,
    });
    models = running.store.models;
    ({ tenantId } = await createTestTenant(models));
    ({ tenantId: otherTenant } = await createTestTenant(models));
    await models.Binding.create({ platform: 'slack', workspaceId: TEAM, channelId: '', tenantId });
    await models.Member.create({ tenantId, platform: 'slack', platformUserId: USER, teamId: TEAM, role: 'viewer' });
    const today = dayAndPeriod(new Date(), DEFAULT_TIMEZONE);
    period = today.period;
    await applyPartitionUsage(models, {
      tenantId,
      period,
      partition: 0,
      deltas: [
        { day: today.day, entity: 'order', outcome: 'created', orders: 1, offset: 0 },
        { day: today.day, entity: 'order', outcome: 'failed', offset: 1 },
      ],
    });
  });

  afterAll(async () => {
    await running?.stop();
    await slack?.stop();
  });

  async function post(body: string, contentType: string): Promise<void> {
    const response = await fetch(`${running.app.url()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(response.status).toBe(200);
  }

  const slash = async (text: string): Promise<RecordedCall> =>
    (
      await runSlashCommand({
        appUrl: running.app.url(),
        signingSecret: SIGNING_SECRET,
        slack,
        text,
        teamId: TEAM,
        userId: USER,
      })
    ).answer;

  const imagesOf = (blocks: unknown): SlackImageBlock[] =>
    (blocks as Array<{ type: string }>).filter((block): block is SlackImageBlock => block.type === 'image');

  /** The service's own address for a link made for Slack. */
  const local = (link: string) => link.replace(PUBLIC_URL, running.app.url());

  it('/iex status shows the chart inline from a signed link, even though only the caller sees it, and uploads nothing', async () => {
    const answer = await slash('status');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    const [image] = imagesOf(answer.body.blocks);
    expect(image?.image_url).toMatch(
      new RegExp(
        `^${PUBLIC_URL}/view/usage/${tenantId}/chart\\.png\\?exp=\\d+&sig=[\\w-]+&period=${period}&size=small&lang=en$`,
      ),
    );
    expect(image?.alt_text).toMatch(/Orders in [A-Za-z]+ \d{4}: 1 created, 0 updated, 1 failed\./);

    const fetched = await fetch(local(image!.image_url));
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await fetched.arrayBuffer()));
    const expected = await createUsageCharts(models).usageChart({
      tenantId,
      language: 'en',
      size: 'small',
      now: new Date(),
    });
    expect({ width: png.width, height: png.height }).toEqual({ width: expected.width, height: expected.height });

    // A later command answered proves the status command finished: it uploaded nothing.
    await slash('help');
    expect(slack.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(slack.uploads).toEqual([]);
  });

  it('the signed link shows one tenant only: another tenant in its path, or a changed signature, is refused', async () => {
    const answer = await slash('usage --entity order');
    const [image] = imagesOf(answer.body.blocks);
    const link = local(image!.image_url);
    expect(link).toContain('entity=order&size=full');
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(link.replace(`/usage/${tenantId}/`, `/usage/${otherTenant}/`))).status).toBe(401);
    expect((await fetch(link.replace(/sig=[\w-]+/, 'sig=forged'))).status).toBe(401);
    expect((await fetch(link.replace(/size=full/, 'size=huge'))).status).toBe(400);
  });

  it('the App Home tab shows the chart from its signed link', async () => {
    const body = eventCallbackBody({
      teamId: TEAM,
      eventId: `Ev${randomBytes(6).toString('hex')}`,
      event: appHomeOpenedEvent(USER),
    });
    await post(body, 'application/json');
    const published = await waitFor('the Home tab published', () => slack.callsTo('views.publish')[0]);
    const [image] = imagesOf((published.body.view as { blocks: unknown }).blocks);
    expect(image?.image_url).toContain(`${PUBLIC_URL}/view/usage/${tenantId}/chart.png?`);
    expect((await fetch(local(image!.image_url))).headers.get('content-type')).toBe('image/png');
  });
});
