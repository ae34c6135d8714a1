import { randomBytes, randomUUID } from 'node:crypto';
import { failureGroupKey, type AlertEvent } from '../../src/domain/alerts';
import { translator } from '../../src/i18n';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import type { Models } from '../../src/store';
import { FakeDiscordApi, type RecordedDiscordCall } from '../fakes/discord-api';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api';
import { failure } from '../fixtures/alert-events';
import { createTestTenant } from '../fixtures/tenants';
import { commandInteraction, DEFAULT_DISCORD_LOCALE, discordKeys, runDiscordInteraction } from '../support/discord';
import { startTestApp, type RunningApp } from '../support/running-app';
import { runSlashCommand } from '../support/slack';
import { waitFor } from '../support/wait-for';

const SIGNING_SECRET = randomBytes(16).toString('hex');
const SLACK_TOKEN = `xoxb-test-${randomBytes(8).toString('hex')}`;
const APP_ID = '1300000000000000071';
const DISCORD_TOKEN = `MTMwMDAwMDAwMDAwMDAwMDA3MQ.${randomBytes(4).toString('hex')}.${randomBytes(16).toString('hex')}`;
const TEAM = 'TLANG1';
const SLACK_CHANNEL = 'CLANGALERTS';
const GUILD = '1100000000000000071';
const DISCORD_CHANNEL = '1200000000000000071';
const MAILBOX = 'ops@shop.example';

/**
 * Issue 14: who reads what language. Alerts and mails go out in the tenant's language, read when
 * each is sent, so `/iex settings language` switches the next one; a person's own answers follow
 * the platform's word for their language (Discord's interaction locale, Slack's users.info locale,
 * asked once and kept), else the tenant's. On the real broker and store, Slack and Discord played
 * by the local fakes, mails read from the outbox (no SMTP here).
 */
describe("the tenant's language and each person's", () => {
  let slack: FakeSlackApi;
  let discord: FakeDiscordApi;
  let running: RunningApp;
  let models: Models;
  let producer: EventProducer;
  let tenantId: string;
  const keys = discordKeys();

  const send = (...alerts: AlertEvent[]) =>
    producer.sendJson(
      'alerts',
      alerts.map((alert) => ({ key: alert.tenantId, value: alert })),
    );
  const setLanguage = (language: 'da' | 'en') => models.Tenant.updateOne({ tenantId }, { $set: { language } });
  const slackPosts = () => slack.callsTo('chat.postMessage').filter((call) => call.body.channel === SLACK_CHANNEL);
  const slackUpdates = () => slack.callsTo('chat.update').filter((call) => call.body.channel === SLACK_CHANNEL);
  const slackShown = (call: RecordedCall) => JSON.stringify([call.body.text, call.body.blocks]);
  const discordPosts = () => discord.callsTo('POST', new RegExp(`^/channels/${DISCORD_CHANNEL}/messages$`));
  const discordEdits = () => discord.callsTo('PATCH', new RegExp(`^/channels/${DISCORD_CHANNEL}/messages/`));
  const discordShown = (call: RecordedDiscordCall) => JSON.stringify(call.body);
  const mailsTo = () => models.Mail.find({ tenantId, to: MAILBOX }).sort({ createdAt: 1 }).lean();

  /** A failed order of another kind than the VAT group's: a group, and so a message, of its own. */
  const otherFailure = (code: string): AlertEvent => ({
    kind: 'transfer.failed',
    id: `alert-evt-${randomUUID()}`,
    tenantId,
    groupKey: failureGroupKey(tenantId, 'orders', code),
    occurredAt: new Date().toISOString(),
    transferId: `order-${randomUUID().slice(0, 8)}`,
    connectionId: 'orders',
    entity: 'order',
    reference: '#2001',
    error: { code, message: `Customer ${code} is missing in e-conomic`, retryable: false },
  });

  /** `/iex <text>` in Slack as a user; the answer, at its own response_url. */
  const slash = async (text: string, userId: string): Promise<string> =>
    JSON.stringify(
      (
        await runSlashCommand({
          appUrl: running.app.url(),
          signingSecret: SIGNING_SECRET,
          slack,
          text,
          teamId: TEAM,
          userId,
        })
      ).answer.body,
    );

  /** `/iex <subcommand>` in Discord as a member whose client speaks `locale`; the answer, the edit of @original. */
  async function command(subcommand: string, userId: string, locale: string, guildId = GUILD): Promise<string> {
    const interaction = commandInteraction({
      applicationId: APP_ID,
      guildId,
      channelId: DISCORD_CHANNEL,
      userId,
      locale,
      subcommand,
    });
    const edit = await runDiscordInteraction({
      appUrl: running.app.url(),
      privateKey: keys.privateKey,
      discord,
      interaction,
    });
    return JSON.stringify(edit.body);
  }

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    discord = await new FakeDiscordApi().start();
    discord.addServer(GUILD, [DISCORD_CHANNEL]);
    running = await startTestApp({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_BOT_TOKEN: DISCORD_TOKEN,
      DISCORD_API_URL: discord.url,
      JOBS_ENABLED: 'false',
    });
    models = running.store.models;
    producer = createEventProducer(running.kafka, running.naming);
    ({ tenantId } = await createTestTenant(models));
    await models.Binding.create([
      { platform: 'slack', workspaceId: TEAM, channelId: '', tenantId },
      { platform: 'discord', workspaceId: GUILD, channelId: '', tenantId },
    ]);
    await models.NotificationRule.create(
      [
        { kind: 'slack', target: SLACK_CHANNEL },
        { kind: 'discord', target: DISCORD_CHANNEL },
        { kind: 'email', target: MAILBOX },
      ].map((recipient) => ({ tenantId, trigger: 'transfer.failed' as const, recipient })),
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await running?.stop();
    await discord?.stop();
    await slack?.stop();
  });

  it("switching the tenant's language switches its alerts in Slack and Discord, and its mails", async () => {
    await setLanguage('en');
    await send(failure(tenantId, { reference: '#1001' }));
    const [slackPost] = await waitFor('the English alert in Slack', () =>
      slackPosts().length === 1 ? slackPosts() : undefined,
    );
    const [discordPost] = await waitFor('the English alert in Discord', () =>
      discordPosts().length === 1 ? discordPosts() : undefined,
    );
    expect(slackShown(slackPost!)).toContain('1 order failed · Shopify');
    expect(slackShown(slackPost!)).toContain('Retry');
    expect(discordShown(discordPost!)).toContain('1 order failed · Shopify');
    const [englishMail] = await waitFor('the English mail', async () => {
      const mails = await mailsTo();
      return mails.length === 1 ? mails : undefined;
    });
    expect(englishMail!.subject).toContain('1 order failed');
    expect(englishMail!.text).toContain(`${MAILBOX} gets this mail from Shop ${tenantId} when transfers fail`);
    expect(englishMail!.html).toContain('<html lang="en">');

    // As `/iex settings language da` does: the next alert of the same group updates its messages in Danish.
    await setLanguage('da');
    await send(failure(tenantId, { reference: '#1002' }));
    const slackUpdate = await waitFor('the Danish update in Slack', () => slackUpdates().at(-1));
    const discordEdit = await waitFor('the Danish edit in Discord', () => discordEdits().at(-1));
    expect(slackShown(slackUpdate)).toContain('2 ordrer fejlede · Shopify');
    expect(slackShown(slackUpdate)).toContain('Prøv igen');
    expect(slackShown(slackUpdate)).toContain('Seneste');
    expect(slackShown(slackUpdate)).not.toContain('orders failed');
    expect(discordShown(discordEdit)).toContain('2 ordrer fejlede · Shopify');
    expect(discordShown(discordEdit)).toContain('Lydløs 1 t');

    // A new group posts anew, in Danish, and its mail is Danish.
    await send(otherFailure('economic.customer_missing'));
    await waitFor('the Danish post in Slack', () => slackPosts().length === 2);
    expect(slackShown(slackPosts()[1]!)).toContain('1 ordre fejlede · Shopify');
    await waitFor('the Danish post in Discord', () => discordPosts().length === 2);
    expect(discordShown(discordPosts()[1]!)).toContain('1 ordre fejlede');
    const danishMail = await waitFor('the Danish mail', async () => (await mailsTo())[1]);
    expect(danishMail.subject).toContain('1 ordre fejlede');
    expect(danishMail.text).toContain(`${MAILBOX} får denne mail fra Shop ${tenantId}, når overførsler fejler`);
    expect(danishMail.text).toContain('I Slack eller Discord: Prøv igen');
    expect(danishMail.text).not.toContain('gets this mail');
    expect(danishMail.html).toContain('<html lang="da">');

    // And back: the switch is seen from the next alert on, whichever way.
    await setLanguage('en');
    await send(otherFailure('economic.product_missing'));
    await waitFor('the English post in Slack again', () => slackPosts().length === 3);
    expect(slackShown(slackPosts()[2]!)).toContain('1 order failed');
  });

  it('answers a Danish Discord member in Danish and an English one in English, in an English tenant', async () => {
    await setLanguage('en');
    const title = (language: 'da' | 'en') => translator(language).t('status.title', { tenant: `Shop ${tenantId}` });
    const danish = await command('status', '1000000000000000072', 'da');
    expect(danish).toContain(title('da'));
    const english = await command('status', '1000000000000000073', DEFAULT_DISCORD_LOCALE);
    expect(english).toContain(title('en'));
    expect(english).not.toContain(title('da'));
    // A server not linked yet says so in the member's language.
    discord.addServer('1100000000000000079', []);
    expect(await command('status', '1000000000000000072', 'da', '1100000000000000079')).toContain(
      'Denne server er endnu ikke forbundet',
    );
  });

  it("answers a Slack user whose language has no catalogue (fr-FR) in the tenant's, and asks Slack once per user", async () => {
    await setLanguage('da');
    slack.setUserLocale('UFRENCH1', 'fr-FR');
    slack.setUserLocale('UDANISH1', 'da-DK');
    const title = (language: 'da' | 'en') => translator(language).t('status.title', { tenant: `Shop ${tenantId}` });
    expect(await slash('status', 'UFRENCH1')).toContain(title('da'));
    // The default user of the fake speaks en-US: English in a Danish tenant.
    expect(await slash('status', 'UENGLISH1')).toContain(title('en'));
    expect(await slash('status', 'UDANISH1')).toContain(title('da'));
    await setLanguage('en');
    expect(await slash('status', 'UFRENCH1')).toContain(title('en'));
    expect(await slash('status', 'UDANISH1')).toContain(title('da'));

    const lookups = (userId: string) => slack.callsTo('users.info').filter((call) => call.body.user === userId);
    expect(lookups('UFRENCH1')).toHaveLength(1);
    expect(lookups('UDANISH1')).toHaveLength(1);
    expect(lookups('UFRENCH1')[0]!.token).toBe(SLACK_TOKEN);
    expect(String(lookups('UFRENCH1')[0]!.body.include_locale)).toBe('true');
  });

  it("answers a Slack user in the tenant's language when users.info fails, and the command still works", async () => {
    await setLanguage('da');
    slack.respondWith((call) =>
      call.method === 'users.info' && call.body.user === 'UBROKEN1'
        ? { body: { ok: false, error: 'missing_scope' } }
        : undefined,
    );
    const answer = await slash('status', 'UBROKEN1');
    expect(answer).toContain(translator('da').t('status.title', { tenant: `Shop ${tenantId}` }));
    expect(JSON.stringify(running.logs)).not.toContain(SLACK_TOKEN);
  });
});
