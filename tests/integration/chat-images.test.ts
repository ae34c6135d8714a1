import { randomBytes } from 'node:crypto';
import type { APIEmbed } from 'discord.js';
import { PNG } from 'pngjs';
import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { dayAndPeriod } from '../../src/domain/periods';
import { OUTCOME_COLOURS } from '../../src/services/charts/chart-theme';
import { createUsageCharts } from '../../src/services/charts/usage-chart';
import type { Models } from '../../src/store';
import { applyPartitionUsage } from '../../src/store/usage-counter';
import { FakeDiscordApi, type RecordedDiscordCall } from '../fakes/discord-api';
import { FakeSlackApi, type FakeUpload, type RecordedCall } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { commandInteraction, discordKeys, runDiscordInteraction } from '../support/discord';
import { startTestApp, type RunningApp } from '../support/running-app';
import { appHomeOpenedEvent, eventCallbackBody, runSlashCommand, slackHeaders } from '../support/slack';
import { waitFor } from '../support/wait-for';

const SIGNING_SECRET = randomBytes(16).toString('hex');
const SLACK_TOKEN = `xoxb-test-${randomBytes(8).toString('hex')}`;
const APP_ID = '1300000000000000001';
const TEAM = 'T1';
const SLACK_USER = 'UREADER1';
const GUILD = '1100000000000000001';
const CHANNEL = '1200000000000000001';
/** No Manage Server permission, no member record: a viewer, which both commands need. */
const DISCORD_USER = '1000000000000000002';

type Body = Record<string, unknown>;

/** The PNG's own header and pixels, decoded: what a client that shows the picture reads. */
function decodePng(bytes: Buffer): { width: number; height: number } {
  // The signature and the IHDR chunk first, as every PNG starts; pngjs then decodes the whole image.
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const png = PNG.sync.read(bytes);
  expect(png.data.length).toBe(png.width * png.height * 4);
  return { width: png.width, height: png.height };
}

/**
 * The tallest bar of the picture: per outcome, the longest vertical run of its colour in the column
 * where created and failed together run longest (the one day with usage).
 */
function tallestBar(bytes: Buffer): { created: number; failed: number } {
  const image = PNG.sync.read(bytes);
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const run = (x: number, colour: number[]) => {
    let best = 0;
    let current = 0;
    for (let y = 0; y < image.height; y++) {
      const i = (y * image.width + x) * 4;
      current = colour.every((c, k) => image.data[i + k] === c) ? current + 1 : 0;
      best = Math.max(best, current);
    }
    return best;
  };
  const [created, failed] = [rgb(OUTCOME_COLOURS.created), rgb(OUTCOME_COLOURS.failed)];
  let tallest = { created: 0, failed: 0 };
  for (let x = 0; x < image.width; x++) {
    const column = { created: run(x, created), failed: run(x, failed) };
    if (column.created + column.failed > tallest.created + tallest.failed) tallest = column;
  }
  return tallest;
}

/** Bars drawn to the tenant's numbers: 5 created on 2 failed, within the rounding of the edges. */
function expectFiveOnTwo(bytes: Buffer): void {
  const bar = tallestBar(bytes);
  expect(bar.failed).toBeGreaterThan(10);
  expect(bar.created / bar.failed).toBeGreaterThan(2.3);
  expect(bar.created / bar.failed).toBeLessThan(2.7);
}

/**
 * Issue #14's "done when", in chat: a Danish-speaking Discord member and an English-speaking Slack
 * user of one tenant each run `/iex status` and get it in their language with the usage chart as a
 * PNG (Slack: an uploaded file; Discord: an attachment the embed shows), whose alt text states the
 * tenant's numbers; `/iex usage` shows the chart full size on both; bad arguments upload nothing.
 */
describe('usage charts in Slack and Discord replies', () => {
  const keys = discordKeys();
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let running: RunningApp;
  let models: Models;
  let tenantId: string;
  let period: string;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    discord = await new FakeDiscordApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_API_URL: discord.url,
    });
    models = running.store.models;
    // The tenant speaks Danish: the Slack user's own language (en-US) must win over it.
    ({ tenantId } = await createTestTenant(models, { language: 'da' }));
    await models.Binding.create([
      { platform: 'slack', workspaceId: TEAM, channelId: '', tenantId },
      { platform: 'discord', workspaceId: GUILD, channelId: '', tenantId },
    ]);
    await models.Member.create({
      tenantId,
      platform: 'slack',
      platformUserId: SLACK_USER,
      teamId: TEAM,
      role: 'viewer',
    });
    slack.setUserLocale(SLACK_USER, 'en-US');
    // Today: 5 orders created, 2 failed.
    const today = dayAndPeriod(new Date(), DEFAULT_TIMEZONE);
    period = today.period;
    await applyPartitionUsage(models, {
      tenantId,
      period,
      partition: 0,
      deltas: [
        ...Array.from({ length: 5 }, (_, offset) => ({
          day: today.day,
          entity: 'order' as const,
          outcome: 'created' as const,
          orders: 1,
          offset,
        })),
        { day: today.day, entity: 'order', outcome: 'failed', offset: 5 },
        { day: today.day, entity: 'order', outcome: 'failed', offset: 6 },
      ],
    });
  });

  afterAll(async () => {
    await running?.stop();
    await slack?.stop();
    await discord?.stop();
  });

  /** The same chart as the charts service draws it for this tenant: the size the reply's must have. */
  const expectedChart = (options: { language: 'da' | 'en'; size: 'small' | 'full'; entity?: 'order' }) =>
    createUsageCharts(models).usageChart({ tenantId, period, now: new Date(), ...options });

  // ------------------------------------------------------------------ Slack

  const slash = (text: string, userId = SLACK_USER) =>
    runSlashCommand({ appUrl: running.app.url(), signingSecret: SIGNING_SECRET, slack, text, teamId: TEAM, userId });

  /** The upload that followed a reply (the reply is answered first, the picture after it). */
  const uploadAfter = (answer: RecordedCall, count: number): Promise<FakeUpload> =>
    waitFor('the chart uploaded to Slack', () =>
      slack.uploads.length >= count ? slack.uploads[count - 1] : undefined,
    );

  it('Slack: an English-speaking user of a Danish tenant gets /iex status in English, the chart as an uploaded PNG in their messages', async () => {
    const before = slack.uploads.length;
    const { answer } = await slash('status');
    const shown = JSON.stringify(answer.body.blocks);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(shown).toContain('— Home');
    expect(shown).toContain('5 transferred (5 created, 0 updated) · 2 failed');
    expect(shown).toContain('`/iex usage` shows the chart full size');
    expect(shown).not.toContain('Oversigt');

    const upload = await uploadAfter(answer, before + 1);
    // Ephemeral: Slack attaches no file to it, so the picture goes to the user's messages with the app.
    expect(upload.channelId).toBe(`D${SLACK_USER}`);
    expect(upload.token).toBe(SLACK_TOKEN);
    expect(upload.filename).toBe(`usage-${period}.png`);
    const expected = await expectedChart({ language: 'en', size: 'small' });
    expect(decodePng(upload.bytes)).toEqual({ width: expected.width, height: expected.height });
    // The alt text states the tenant's numbers, in the user's language, and the reply says them too.
    expect(upload.altText).toBe(expected.alt);
    expect(upload.altText).toMatch(/Orders in [A-Za-z]+ \d{4}: 5 created, 0 updated, 2 failed\./);
    expect(shown).toContain('5 created, 0 updated, 2 failed.');
  });

  it('Slack: /iex usage --period shows the full-size chart of that period, with its numbers', async () => {
    const before = slack.uploads.length;
    const { answer } = await slash(`usage --period ${period} --entity orders`);
    expect(answer.body.text).toContain(`Usage ${period}: 5 transferred (5 created, 0 updated) · 2 failed`);
    const upload = await uploadAfter(answer, before + 1);
    expect(upload.filename).toBe(`usage-${period}-order.png`);
    const expected = await expectedChart({ language: 'en', size: 'full', entity: 'order' });
    const small = await expectedChart({ language: 'en', size: 'small' });
    expect(decodePng(upload.bytes)).toEqual({ width: expected.width, height: expected.height });
    expect(expected.width).toBeGreaterThan(small.width);
    expectFiveOnTwo(upload.bytes);
  });

  it('Slack: a bad period or entity is a clear error, and nothing is uploaded', async () => {
    const before = slack.uploads.length;
    const bad = await slash('usage --period 2026-13');
    expect(bad.answer.body.text).toContain('--period: must be a period as YYYY-MM, e.g. 2026-11');
    expect(bad.answer.body.text).toContain('Usage: /iex usage');
    const entity = await slash('usage --entity invoices');
    expect(entity.answer.body.text).toContain('--entity: must be order, product or stock');
    const future = await slash('usage --period 2999-01');
    expect(future.answer.body.text).toContain(`The period 2999-01 has not begun yet: the current one is ${period}.`);
    // A later command's upload proves the bad ones had their chance to upload and did not.
    await slash('status');
    await waitFor('the status chart', () => slack.uploads.length >= before + 1);
    expect(slack.uploads.slice(before).map((upload) => upload.filename)).toEqual([`usage-${period}.png`]);
  });

  it('Slack App Home without PUBLIC_URL: the chart cannot be shown by URL, so the tab states its numbers and points to /iex usage', async () => {
    const body = eventCallbackBody({
      teamId: TEAM,
      eventId: `Ev${randomBytes(6).toString('hex')}`,
      event: appHomeOpenedEvent(SLACK_USER),
    });
    const response = await fetch(`${running.app.url()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...slackHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(response.status).toBe(200);
    const published = await waitFor('the Home tab published', () =>
      slack.callsTo('views.publish').find((call) => call.body.user_id === SLACK_USER),
    );
    const view = JSON.stringify(published.body.view);
    expect(view).toContain('`/iex usage` shows the chart full size');
    expect(view).toContain('5 created, 0 updated, 2 failed.');
    expect(view).not.toContain('"type":"image"');
  });

  // ------------------------------------------------------------------ Discord

  /** Runs `/iex <subcommand>` on Discord; the reply is the edit of the deferred @original. */
  const run = (subcommand: string, options: Body[] = [], locale = 'da'): Promise<RecordedDiscordCall> =>
    runDiscordInteraction({
      appUrl: running.app.url(),
      privateKey: keys.privateKey,
      discord,
      interaction: commandInteraction({
        applicationId: APP_ID,
        guildId: GUILD,
        channelId: CHANNEL,
        userId: DISCORD_USER,
        username: 'lise',
        locale,
        subcommand,
        options,
      }),
    });

  const embedsOf = (call: RecordedDiscordCall) => (call.body as { embeds: APIEmbed[] }).embeds;

  it('Discord: a Danish-speaking member gets /iex status in Danish, the chart attached and shown in the embed', async () => {
    const edit = await run('status');
    const shown = JSON.stringify(edit.body);
    expect(embedsOf(edit)[0]?.title).toMatch(/— Oversigt$/);
    expect(shown).toContain('5 overført (5 oprettet, 0 opdateret) · 2 fejlede');
    expect(shown).not.toContain('transferred');

    const fileName = `usage-${period}.png`;
    expect(edit.files).toHaveLength(1);
    const [file] = edit.files!;
    expect(file).toMatchObject({ field: 'files[0]', filename: fileName, contentType: 'image/png' });
    const body = edit.body as { attachments: Array<{ id: number; filename: string; description: string }> };
    expect(body.attachments).toEqual([{ id: 0, filename: fileName, description: expect.any(String) }]);
    expect(embedsOf(edit).some((embed) => embed.image?.url === `attachment://${fileName}`)).toBe(true);

    const expected = await expectedChart({ language: 'da', size: 'small' });
    expect(decodePng(file!.bytes)).toEqual({ width: expected.width, height: expected.height });
    expect(body.attachments[0]!.description).toBe(expected.alt);
    expect(body.attachments[0]!.description).toMatch(/Ordrer i [a-zæøå]+ \d{4}: 5 oprettet, 0 opdateret, 2 fejlede\./);
  });

  it('Discord: the member’s own language wins over the tenant’s (an English client gets English)', async () => {
    const edit = await run('status', [], 'en-GB');
    expect(embedsOf(edit)[0]?.title).toMatch(/— Home$/);
    expect(edit.files?.[0]?.bytes.length).toBeGreaterThan(0);
  });

  it('Discord: /iex usage --period shows the full-size chart; a bad period answers an error without a file', async () => {
    const edit = await run('usage', [{ name: 'period', type: 3, value: period }]);
    expect(embedsOf(edit)[0]?.title).toBe(`Forbrug — ${period}`);
    const expected = await expectedChart({ language: 'da', size: 'full' });
    expect(decodePng(edit.files![0]!.bytes)).toEqual({ width: expected.width, height: expected.height });
    expectFiveOnTwo(edit.files![0]!.bytes);

    const bad = await run('usage', [{ name: 'period', type: 3, value: 'november' }]);
    expect(JSON.stringify(bad.body)).toContain('--period: skal være en periode som ÅÅÅÅ-MM, f.eks. 2026-11');
    expect(bad.files).toBeUndefined();
    expect((bad.body as { attachments?: unknown[] }).attachments ?? []).toEqual([]);
  });
});
