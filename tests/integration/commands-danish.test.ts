import type { Block, Reply } from '../../src/chat/reply';
import type { Caller } from '../../src/commands/ports/tenancy';
import { linkedSlackTenant, startCommandCore, withPlainSpaces, type CoreUnderTest } from '../support/command-core';
import { storeTransfers, type TransferFixture } from '../support/transfers';

/**
 * The same tenant read by a Danish-speaking and an English-speaking person: log, retry, jobs,
 * connections, help and their errors each answer in the reader's language, with Danish plurals,
 * dates and the tenant's time zone.
 */

// Tuesday 1 December 2026, 13:00 in Copenhagen.
const now = new Date('2026-12-01T12:00:00Z');
let harness: CoreUnderTest;

beforeAll(async () => {
  harness = await startCommandCore('commands-danish', { clock: () => now });
});

afterAll(() => harness?.stop());

const MINUTE = 60_000;
const VAT = { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone for DE', retryable: true };

const allText = (reply: Reply): string =>
  [
    reply.fallback,
    ...reply.blocks.map((block: Block) => {
      if (block.type === 'fields') return block.fields.map((field) => `${field.label}: ${field.value}`).join('\n');
      if (block.type === 'actions')
        return block.buttons
          .map((b) => [b.label, b.confirm?.title, b.confirm?.text, b.confirm?.confirm, b.confirm?.deny].join(' | '))
          .join(' | ');
      if (block.type === 'divider') return '';
      if (block.type === 'image') return block.image.alt;
      return block.text;
    }),
  ].join('\n');

/** English sentences of these commands that must not reach a Danish reader. */
const ENGLISH = [
  /\btransfers?\b/,
  /\bPage \d/,
  /\bnewest first\b/,
  /\bRetry\b/,
  /\bCancel\b/,
  /\bSwitch (on|off)\b/,
  /\bconnections?\b/,
  /\bUsage:/,
  /\bis not a\b/,
  /\bthe latest\b/i,
  /\bnext\b/,
];
const expectNoEnglish = (text: string) => {
  // Command words and usage lines stay English on purpose: drop them before looking.
  const prose = text.replace(/`[^`]*`/g, '').replace(/\/iex [^\n.]*/g, '');
  for (const english of ENGLISH)
    expect([english.source, prose]).not.toEqual([english.source, expect.stringMatching(english)]);
};

async function danishTenant() {
  const { models } = harness.store;
  const tenant = await linkedSlackTenant(models);
  const danish = (caller: Caller): Caller => ({ ...caller, locale: 'da' });
  const english = (caller: Caller): Caller => ({ ...caller, locale: 'en-US' });
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);
  const failed = (i: number, minutes: number, fields: Record<string, unknown> = {}) => ({
    tenantId: tenant.tenantId,
    transferId: `ord-${i}`,
    reference: `#${1000 + i}`,
    connectionId: 'orders',
    entity: 'order',
    operation: 'create',
    status: 'failed',
    attempts: 1,
    error: VAT,
    startedAt: ago(minutes + 1),
    createdAt: ago(minutes + 1),
    updatedAt: ago(minutes),
    stages: [{ name: 'posted to e-conomic', status: 'failed', message: VAT.message, at: ago(minutes) }],
    ...fields,
  });
  await storeTransfers(models, [
    failed(1, 10),
    failed(2, 20),
    failed(3, 30),
    failed(4, 40, { transferId: 'stock-4', reference: undefined, connectionId: 'stock', entity: 'stock' }),
  ] as unknown as TransferFixture[]);
  await models.DataConnection.updateOne(
    { tenantId: tenant.tenantId, connectionId: 'products' },
    { $set: { mode: 'schedule', cron: '0 6 * * 1-5' } },
  );
  return {
    ...tenant,
    da: { admin: danish(tenant.admin), viewer: danish(tenant.viewer) },
    en: { admin: english(tenant.admin) },
  };
}

describe('a Danish reader and an English reader of the same tenant', () => {
  let tenant: Awaited<ReturnType<typeof danishTenant>>;
  let core: CoreUnderTest['core'];
  beforeAll(async () => {
    tenant = await danishTenant();
    core = withPlainSpaces(harness.core);
  });

  test('/iex log failed: Danish words, plurals and dates; English for the English reader', async () => {
    const da = await core.handleCommand(tenant.da.admin, 'log failed');
    const text = allText(da);
    expect(text).toContain('Log — fejlede overførsler');
    expect(text).toContain('Filter: fejlet');
    expect(text).toContain('1. *#1001* · Shopify > e-conomic · ordre oprettet · ❌ fejlet `economic.vat_zone_unknown`');
    expect(text).toContain('· 12.50');
    expect(text).toContain('Side 1 af 1 · 4 overførsler · nyeste først');
    expect(text).toContain('Prøv disse 4 igen');
    expect(da.fallback).toBe('Log: 4 overførsler (fejlet), side 1 af 1');
    expectNoEnglish(text);

    const one = await core.handleCommand(tenant.da.admin, 'log failed --entity stock');
    expect(one.fallback).toBe('Log: 1 overførsel (fejlet · lager), side 1 af 1');

    const en = await core.handleCommand(tenant.en.admin, 'log failed');
    expect(allText(en)).toContain('Page 1 of 1 · 4 transfers · newest first');
    expect(allText(en)).toContain('1. *#1001* · Shopify > e-conomic · order create · ❌ failed');
    expect(en.fallback).toBe('Log: 4 transfers (failed), page 1 of 1');
  });

  test('one transfer in Danish: its fields, its Retry button and confirmation', async () => {
    const da = await core.handleCommand(tenant.da.admin, 'log #1002');
    const text = allText(da);
    expect(text).toContain('Overførsel #1002');
    expect(text).toContain('Status: ❌ fejlet');
    expect(text).toContain('Hvad: ordre oprettet');
    expect(text).toContain('*Fejl* `economic.vat_zone_unknown`: Unknown VAT zone for DE');
    expect(text).toContain('Prøv igen | Prøv #1002 igen? | Motoren kører overførslen på Shopify > e-conomic igen');
    expect(text).toContain('Annullér');
    expect(text).toContain('*Oprindelige data*: intet registreret.');
    expect(text).toContain('· posted to e-conomic · fejlet — Unknown VAT zone for DE');
    expectNoEnglish(text.replace('Unknown VAT zone for DE', ''));
  });

  test('/iex retry failed asks in Danish with plurals: 3 ordreoverførsler, 1 lageroverførsel', async () => {
    const orders = await core.handleCommand(tenant.da.admin, 'retry failed --entity order');
    expect(orders.fallback).toBe('Prøv 3 fejlede ordreoverførsler på Shopify > e-conomic igen?');
    expect(allText(orders)).toContain('Prøv 3 igen');
    expect(allText(orders)).toContain('Annullér');
    expectNoEnglish(allText(orders));

    const stock = await core.handleCommand(tenant.da.admin, 'retry failed --entity stock');
    expect(stock.fallback).toBe('Prøv 1 fejlet lageroverførsel på Shopify > e-conomic igen?');

    const en = await core.handleCommand(tenant.en.admin, 'retry failed --entity stock');
    expect(en.fallback).toBe('Retry 1 failed stock transfer of Shopify > e-conomic?');

    const none = await core.handleCommand(tenant.da.admin, 'retry held');
    expect(none.fallback).toBe('Ingen tilbageholdte overførsler passer: intet at prøve igen.');

    // What blocks a retry is worded in the reader's language too.
    await harness.store.models.DataConnection.updateOne(
      { tenantId: tenant.tenantId, connectionId: 'stock' },
      { $set: { active: false } },
    );
    try {
      const blocked = await core.handleCommand(tenant.da.admin, 'retry failed --entity stock');
      expect(allText(blocked)).toContain(
        '1 fejlet lageroverførsel på Shopify > e-conomic passer, men ingen af dem kan køre nu:\n• 1 overførsel: Forbindelsen Shopify > e-conomic er slået fra (Forbindelser).',
      );
      const blockedEn = await core.handleCommand(tenant.en.admin, 'retry failed --entity stock');
      expect(allText(blockedEn)).toContain(
        '• 1 transfer: The connection Shopify > e-conomic is deactivated (Connections).',
      );
    } finally {
      await harness.store.models.DataConnection.updateOne(
        { tenantId: tenant.tenantId, connectionId: 'stock' },
        { $set: { active: true } },
      );
    }

    const refused = await core.handleCommand(tenant.da.viewer, 'retry failed');
    expect(refused.fallback).toBe('Kun administratorer kan gøre dette; du er læser.');
  });

  test('a bad argument is explained in Danish, with the usage kept as it is typed', async () => {
    const time = await core.handleCommand(tenant.da.admin, 'log failed --since igår');
    expect(time.fallback).toMatch(
      /^--since: "igår" er ikke et tidspunkt; brug 30m, 2h, 3d, 1w, 13:05, 2026-11-27 eller 2026-11-27T13:05\. Brug: \/iex log /,
    );
    const page = await core.handleCommand(tenant.da.admin, 'log --page nul');
    expect(page.fallback).toMatch(/^--page: skal være et sidenummer\. Brug: \/iex log /);
    const entity = await core.handleCommand(tenant.da.admin, 'log --entity kunder');
    expect(entity.fallback).toMatch(/^--entity: skal være en af order, product, stock\. Brug: /);
    const cron = await core.handleCommand(tenant.da.admin, 'jobs schedule products hver morgen');
    expect(cron.fallback).toMatch(/^`hver morgen` er ikke en plan\. Angiv fem cron-felter/);
  });

  test('/iex jobs: the schedule in Danish words, the plain-text fallback in the tenant’s time zone', async () => {
    const da = await core.handleCommand(tenant.da.admin, 'jobs');
    const text = allText(da);
    expect(text).toContain('Kørselsindstillinger (job)');
    expect(text).toContain('*Shopify > e-conomic* · produkt · på hverdage kl. 06.00 (Europe/Copenhagen)');
    expect(text).toContain('Seneste kørsel: ikke endnu · Næste kørsel: 2. dec. 06.00');
    // 06:00 in Copenhagen is 05:00 UTC: the fallback says the zone's time, not a UTC stamp.
    expect(da.fallback).toContain('Shopify > e-conomic produkt: næste 2. dec. 06.00 (Europe/Copenhagen)');
    expect(da.fallback).toContain('Shopify > e-conomic ordre: hændelsesstyret');
    expect(da.fallback).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expectNoEnglish(text);

    const en = await core.handleCommand(tenant.en.admin, 'jobs');
    expect(en.fallback).toContain('Shopify > e-conomic product: next 2 Dec 06:00 (Europe/Copenhagen)');
    expect(allText(en)).toContain('on weekdays at 06:00 (Europe/Copenhagen)');
  });

  test('/iex connections: switches and their confirmation in Danish', async () => {
    const da = await core.handleCommand(tenant.da.admin, 'connections');
    const text = allText(da);
    expect(text).toContain('Forbindelser');
    expect(text).toContain('*Shopify > e-conomic* · ordre · via webhook (hændelsesstyret) · til');
    expect(text).toContain(
      'Slå Shopify > e-conomic (ordre) fra | Slå forbindelsen fra? | Shopify > e-conomic (ordre) holder op med at overføre.',
    );
    expect(da.fallback).toContain('Shopify > e-conomic ordre: til');
    expectNoEnglish(text);
  });

  test('/iex help and /iex help log in Danish: names and options stay English words', async () => {
    const list = allText(await core.handleCommand(tenant.da.viewer, 'help'));
    expect(list).toContain('Styr din integration herfra.');
    expect(list).toContain('— De seneste overførsler med filtre ("jeg mangler en ordre")');
    expect(list).toContain('— Prøv en fejlet eller tilbageholdt overførsel igen');
    const log = allText(await core.handleCommand(tenant.da.viewer, 'help log'));
    expect(log).toContain('Hvem må: alle');
    expect(log).toContain('• `--since VALUE` — Fra dette tidspunkt: 30m, 2h, 3d, 13:05 eller 2026-11-27');
    expect(log).toContain('`/iex log failed --since 2h` — hvad der fejlede de sidste to timer');
    const retry = allText(await core.handleCommand(tenant.da.viewer, 'help retry'));
    expect(retry).toContain('Hvem må: administratorer og ejeren');
  });
});
