import path from 'node:path';
import { renderResponse } from '../../bots/slack/render';
import { renderDiscordMessage } from '../../bots/discord/render';
import type { Reply } from '../../src/chat/reply';
import { connectionsCommand } from '../../src/commands/catalog/connections';
import { jobsCommand } from '../../src/commands/catalog/jobs';
import { logCommand } from '../../src/commands/catalog/log';
import type { CommandContext } from '../../src/commands/define';
import type { CorePorts } from '../../src/commands/ports';
import type { JobView } from '../../src/commands/ports/jobs';
import type { TransferSummary } from '../../src/commands/ports/transfers';
import { translator, type Language } from '../../src/i18n';
import { sampleConnections } from '../fixtures/home-view';
import { expectGolden } from '../support/golden';
import { captureLogger } from '../support/test-env';

/**
 * /iex connections, jobs and log as Slack and Discord show them, in English and in Danish: the
 * English goldens are the ones a change to English shows; the `.da` ones hold the Danish words,
 * plurals, dates (Copenhagen time) and numbers.
 */

const CPH = 'Europe/Copenhagen';
// Monday 30 November 2026, 11:00 in Copenhagen.
const now = new Date('2026-11-30T10:00:00Z');

const jobs: JobView[] = [
  {
    connectionId: 'products',
    label: 'Shopify > e-conomic',
    entity: 'product',
    mode: 'schedule',
    jobId: 'j-products',
    cron: '0 6 * * 1-5',
    timezone: CPH,
    lastRunAt: new Date('2026-11-30T05:00:00Z'),
    lastStatus: 'succeeded',
    lastResult: { transfers: 1, failed: 0 },
    nextRunAt: new Date('2026-12-01T05:00:00Z'),
  },
  {
    connectionId: 'stock',
    label: 'Shopify > e-conomic',
    entity: 'stock',
    mode: 'schedule',
    jobId: 'j-stock',
    cron: '*/15 * * * *',
    timezone: CPH,
    lastRunAt: new Date('2026-11-30T09:45:00Z'),
    lastStatus: 'failed',
    lastResult: { transfers: 12, failed: 3 },
    lastFailure: 'e-conomic answered 503',
    nextRunAt: new Date('2026-11-30T10:00:00Z'),
    heldBy: { kind: 'module', module: 'stock' },
  },
  { connectionId: 'orders', label: 'Shopify > e-conomic', entity: 'order', mode: 'webhook', timezone: CPH },
];

const transfers: TransferSummary[] = [
  {
    transferId: 'ord-1',
    reference: '#1001',
    connectionId: 'orders',
    connectionLabel: 'Shopify > e-conomic',
    entity: 'order',
    operation: 'create',
    status: 'failed',
    error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone for DE', retryable: true },
    attempts: 2,
    at: new Date('2026-11-30T09:58:00Z'),
  },
  {
    transferId: 'prod-7',
    reference: 'SOCKS',
    connectionId: 'products',
    connectionLabel: 'Shopify > e-conomic',
    entity: 'product',
    operation: 'update',
    status: 'succeeded',
    attempts: 1,
    at: new Date('2026-11-27T12:05:00Z'),
  },
];

const ports = {
  connections: { list: async () => sampleConnections },
  jobs: { list: async () => jobs, missedGraceMs: 5 * 60_000 },
  transfers: {
    settings: async () => ({
      timezone: CPH,
      retention: { days: 30, maxTransfers: 10_000 },
      oldestKept: new Date('2026-10-31T08:00:00Z'),
    }),
    list: async () => ({ items: transfers, total: 12, page: 1, pageSize: 10 }),
  },
} as unknown as CorePorts;

const contextIn = (language: Language): CommandContext => ({
  tenantId: 't-1',
  t: translator(language),
  caller: { platform: 'slack', userId: 'U1', workspaceId: 'T1', channelId: 'C1' },
  role: 'admin',
  ports,
  logger: captureLogger().logger,
  now,
  interactionId: 'i-1',
});

const golden = (name: string, language: Language, answer: Reply) => {
  const suffix = language === 'da' ? '.da' : '';
  expectGolden(path.resolve(__dirname, '../fixtures/slack'), `${name}${suffix}`, renderResponse(answer));
  expectGolden(path.resolve(__dirname, '../fixtures/discord'), `${name}${suffix}`, renderDiscordMessage(answer));
};

describe.each(['en', 'da'] as const)('the commands of the log, jobs and connections in %s', (language) => {
  it('renders /iex connections', async () => {
    const answer = await connectionsCommand.run(contextIn(language), { _: [] });
    golden('connections-list', language, answer as Reply);
  });

  it('renders /iex jobs with its schedules in words and the next runs in Copenhagen time', async () => {
    const answer = (await jobsCommand.run(contextIn(language), { _: [] } as never)) as Reply;
    golden('jobs-list', language, answer);
    expect(answer.fallback).toBe(
      language === 'da'
        ? 'Shopify > e-conomic produkt: næste 1. dec. 06.00 (Europe/Copenhagen); Shopify > e-conomic lager: næste 11.00 (Europe/Copenhagen); Shopify > e-conomic ordre: hændelsesstyret'
        : 'Shopify > e-conomic product: next 1 Dec 06:00 (Europe/Copenhagen); Shopify > e-conomic stock: next 11:00 (Europe/Copenhagen); Shopify > e-conomic order: event-driven',
    );
  });

  it('renders a page of /iex log with its filter, plurals and retention', async () => {
    const answer = (await logCommand.run(contextIn(language), { _: ['failed'] } as never)) as Reply;
    golden('log-page', language, answer);
    expect(answer.fallback).toBe(
      language === 'da' ? 'Log: 12 overførsler (fejlet), side 1 af 2' : 'Log: 12 transfers (failed), page 1 of 2',
    );
  });
});
