import path from 'node:path';
import type { CommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Block, Button, Reply } from '../../src/chat/reply';
import type { Command } from '../../src/domain/commands';
import { MAX_AUTO_TOP_UPS_PER_PERIOD, TOP_UP_PACKS, VAT_PERCENT } from '../../src/domain/plans';
import { MESSAGES } from '../../src/i18n';
import type { Naming } from '../../src/kafka/topics';
import type { Store } from '../../src/store';
import { linkedSlackTenant, startCommandCore, withPlainSpaces, type CoreUnderTest } from '../support/command-core';
import { expectGolden } from '../support/golden';
import { readJson, testKafka } from '../support/kafka';
import { storeTransfers, storeUsage } from '../support/transfers';

/**
 * /iex settings, systems, subscription, topup and notify in Danish and English (#14): Danish money,
 * plurals, refusals and dates; `/iex settings language da|en` switches what a person without a
 * language of their own reads, audited and announced, and confirms in the new language.
 */

/** Mid-November in Copenhagen: the period is 2026-11. */
const NOW = new Date('2026-11-20T10:00:00.000Z');
const PERIOD = '2026-11';
const goldenDir = path.resolve(__dirname, '../fixtures/replies');

let store: Store;
let naming: Naming;
let core: CommandCore;
let harness: CoreUnderTest;

beforeAll(async () => {
  harness = await startCommandCore('settings-billing-languages', { clock: () => NOW });
  ({ store, naming } = harness);
  // Amounts keep their parts together with no-break spaces; the assertions write plain ones.
  core = withPlainSpaces(harness.core);
});

afterAll(() => harness?.stop());

/** A tenant whose language is Danish, with an owner, an admin and a viewer, and `used` orders this period. */
async function danishTenant(used = 1) {
  const linked = await linkedSlackTenant(store.models);
  await store.models.Tenant.updateOne({ tenantId: linked.tenantId }, { $set: { language: 'da' } });
  await storeUsage(store.models, { tenantId: linked.tenantId, period: PERIOD, ordersUsed: used });
  return linked;
}

const withLocale = (caller: Caller, locale: string): Caller => ({ ...caller, locale });

/** Everything a person reads in a reply, confirmations included. */
function shown(answer: Reply): string {
  return answer.blocks
    .map((block: Block) => {
      if (block.type === 'fields') return block.fields.map(({ label, value }) => `${label}: ${value}`).join('\n');
      if (block.type === 'actions')
        return block.buttons
          .map(
            (button) => `[${button.label}]${button.confirm ? ` (${button.confirm.title} ${button.confirm.text})` : ''}`,
          )
          .join(' ');
      if (block.type === 'divider') return '---';
      if (block.type === 'image') return block.image.alt;
      return block.text;
    })
    .join('\n');
}

const buttons = (answer: Reply): Button[] =>
  answer.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));

/**
 * A reply as a golden file: its texts, with the tenant's random id and the purchase key made fixed.
 * The language it is marked with (for the platforms' own words) is left out: the texts show it.
 */
function golden(answer: Reply, tenantId: string): unknown {
  const { language: _language, ...texts } = answer as Reply & { language?: string };
  return JSON.parse(
    JSON.stringify(texts)
      .replaceAll(tenantId, 'TENANT')
      .replace(/key=[A-Za-z0-9_-]{12}/g, 'key=KEY'),
  );
}

describe('/iex settings in Danish', () => {
  it('shows the integration, modules, language and members in Danish, with plurals', async () => {
    const { tenantId, owner } = await danishTenant();
    const answer = await core.handleCommand(owner, 'settings');
    const screen = shown(answer);
    expect(screen).toContain('*Integration:* slået til');
    expect(screen).toContain('*Moduler:* ordrer til · produkter til · lager til');
    expect(screen).toContain('*Sprog:* dansk');
    expect(screen).toContain('• <@UOWNER1> — ejer\n• <@UADMIN1> — administrator\n• <@UVIEWER1> — læser');
    expect(answer.fallback).toBe(
      `Shop ${tenantId}: integration slået til; ordrer til, produkter til, lager til; 3 medlemmer; sprog dansk`,
    );
    expectGolden(goldenDir, 'settings.da', golden(answer, tenantId));
    expectGolden(
      goldenDir,
      'settings.en',
      golden(await core.handleCommand(withLocale(owner, 'en-GB'), 'settings'), tenantId),
    );

    // One member left: "1 medlem", not "1 medlemmer".
    await core.handleCommand(owner, 'settings remove <@UVIEWER1>');
    const removed = await core.handleCommand(owner, 'settings remove <@UADMIN1>');
    expect(removed.fallback).toBe(
      '<@UOWNER1> fjernede <@UADMIN1> fra medlemmerne. Vedkommende kan stadig se alt, som alle her kan.',
    );
    expect((await core.handleCommand(owner, 'settings')).fallback).toContain('; 1 medlem;');
    expect((await core.handleCommand(withLocale(owner, 'en'), 'settings')).fallback).toContain('; 1 member;');
  });

  it('counts held transfers with Danish plurals and says what a switch holds', async () => {
    const { tenantId, admin } = await danishTenant();
    const off = await core.handleAction(admin, 'settings.integration?on=0');
    expect(off.fallback).toBe(
      '<@UADMIN1> slog integrationen fra: motorerne har fået besked om ikke at overføre noget, før den er slået til igen, og det, Shopify sender imens, holdes tilbage.',
    );
    const held = (transferId: string) =>
      storeTransfers(store.models, [
        {
          tenantId,
          transferId,
          connectionId: 'orders',
          status: 'held',
          hold: { reason: 'integration_off', message: 'off' },
        },
      ]);
    await held('held-1');
    expect(shown(await core.handleCommand(admin, 'settings'))).toContain(
      '*Integration: slået fra* — motorerne har besked på ikke at overføre noget. 1 overførsel er tilbageholdt, til den er slået til igen.',
    );
    await held('held-2');
    const settings = await core.handleCommand(admin, 'settings');
    expect(shown(settings)).toContain('2 overførsler er tilbageholdt, til den er slået til igen.');
    const activate = buttons(settings).find((button) => button.label === 'Slå integrationen til');
    expect(activate?.action).toBe('settings.integration?on=1');
    const on = await core.handleAction(admin, activate!.action!);
    expect(on.fallback).toBe('<@UADMIN1> slog integrationen til. 2 tilbageholdte overførsler blev sendt igen.');
  });

  it('refuses a viewer in Danish', async () => {
    const { viewer } = await danishTenant();
    expect((await core.handleCommand(viewer, 'settings language en')).fallback).toBe(
      'Kun administratorer kan skifte sproget; du er læser.',
    );
    expect((await core.handleAction(viewer, 'settings.module?module=orders&on=0')).fallback).toBe(
      'Kun administratorer kan gøre dette; du er læser.',
    );
  });
});

describe('/iex settings language', () => {
  it('switches the tenant language, audited and announced, and confirms in the new language', async () => {
    const { tenantId, admin, viewer } = await danishTenant();
    const { AuditEntry, Tenant } = store.models;

    expect((await core.handleCommand(viewer, 'settings')).fallback).toContain('sprog dansk');

    const set = await core.handleCommand(admin, 'settings language en');
    expect(set.fallback).toBe(
      '<@UADMIN1> set the language to English: alerts, mails and answers come in English from now on, except answers to people whose chat app says their own language.',
    );
    expect(set.visibility).toBe('in_channel');
    expect((await Tenant.findOne({ tenantId }).lean())?.language).toBe('en');
    expect(await AuditEntry.find({ tenantId, action: 'language.change' }).lean()).toEqual([
      expect.objectContaining({
        action: 'language.change',
        target: 'en',
        actor: expect.objectContaining({ platform: 'slack', userId: 'UADMIN1' }),
        details: expect.objectContaining({ previous: 'da' }),
      }),
    ]);
    const [announced] = await readJson<Command>(testKafka(), naming.topic('commands'), tenantId, 1);
    expect(announced).toMatchObject({ type: 'settings.changed', action: 'language.change', target: 'en' });

    // A reply to someone whose chat says no language now comes in English.
    const english = await core.handleCommand(viewer, 'settings');
    expect(shown(english)).toContain('*Language:* English');
    expect(english.blocks[0]).toEqual({ type: 'header', text: `Shop ${tenantId} — Settings` });
    // Someone whose chat says Danish still reads Danish.
    expect(shown(await core.handleCommand(withLocale(viewer, 'da-DK'), 'settings'))).toContain('*Sprog:* engelsk');

    // The same language again changes nothing and records nothing.
    expect((await core.handleCommand(admin, 'settings language EN')).fallback).toBe('The language is already English.');
    // Another value is refused in the reader's language.
    expect((await core.handleCommand(withLocale(admin, 'da'), 'settings language fr')).fallback).toBe(
      '`fr` er ikke et sprog, IEX taler: skriv `da` (dansk) eller `en` (engelsk), f.eks. `/iex settings language da`.',
    );
    expect((await core.handleCommand(admin, 'settings language')).fallback).toBe(
      'Give the language: `/iex settings language da` (Danish) or `/iex settings language en` (English).',
    );
    expect(await AuditEntry.countDocuments({ tenantId, action: 'language.change' })).toBe(1);

    // Back to Danish from an English-speaking admin: the confirmation speaks the new language.
    const back = await core.handleCommand(withLocale(admin, 'en-US'), 'settings language da');
    expect(back.fallback).toBe(
      '<@UADMIN1> skiftede sproget til dansk: advarsler, mails og svar kommer nu på dansk — undtagen svar til personer, hvis chat-app oplyser deres eget sprog.',
    );
    expect((await core.handleCommand(viewer, 'settings')).fallback).toContain('sprog dansk');
  });
});

describe('/iex systems in Danish', () => {
  it('says in Danish what disconnecting does, and names the systems when one is not found', async () => {
    const { viewer } = await danishTenant();
    const shopify = await core.handleCommand(viewer, 'systems shopify');
    const disconnect = buttons(shopify).find((button) => button.label === 'Afbryd Shopify');
    expect(disconnect?.confirm).toEqual({
      title: 'Afbryd Shopify?',
      text: 'Motorerne får besked om at stoppe udvekslingen af data med Shopify, og dets planlagte kørsler springes over, til du forbinder det igen. Det, Shopify sender imens, holdes tilbage — gemt, ikke tabt. En motor, der bliver ved med at overføre fra det, udløser en advarsel.',
      confirm: 'Afbryd',
      deny: 'Annullér',
    });
    expect(shown(shopify)).toContain('Rolle: kilde (data kommer herfra)');
    expect((await core.handleCommand(viewer, 'systems nope')).fallback).toBe(
      'Der er intet system "nope". Systemerne er: Shopify (`shopify`), e-conomic (`e-conomic`).',
    );
  });

  it('refuses to remove a system still in use, counting its connections with a Danish plural', async () => {
    const { tenantId, admin } = await danishTenant();
    const refused = await core.handleAction(admin, 'systems.remove?id=e-conomic');
    expect(refused.fallback).toBe(
      '*e-conomic* bruges stadig af 3 aktive forbindelser. Slå dem fra først, og fjern så e-conomic.',
    );
    await store.models.DataConnection.updateMany(
      { tenantId, connectionId: { $in: ['products', 'stock'] } },
      { $set: { active: false } },
    );
    const one = await core.handleAction(admin, 'systems.remove?id=e-conomic');
    expect(one.fallback).toBe(
      '*e-conomic* bruges stadig af 1 aktiv forbindelse. Slå den fra først, og fjern så e-conomic.',
    );
    expect(buttons(one).map((button) => button.action)).toEqual(['connection.toggle?id=orders&on=0']);
    expect(buttons(one)[0]?.label).not.toMatch(/Switch/);
  });
});

describe('/iex subscription and /iex topup in Danish', () => {
  it('shows money as Danish kroner, orders with Danish plurals and the period by its Danish name', async () => {
    const { tenantId, viewer, admin } = await danishTenant(1);
    const answer = await core.handleCommand(viewer, 'subscription');
    const screen = shown(answer);
    expect(screen).toContain('Abonnement: *Standard* · 499,00 kr. om måneden ekskl. moms');
    expect(screen).toContain('Brugt i november 2026: 1 ordre');
    expect(screen).toContain('Tilbage: 499 ordrer');
    expect(screen).toContain('[Køb ekstra ordrer] [Skift abonnement] [Slå automatisk køb fra]');
    expect(answer.fallback).toBe('Standard: 1 af 500 ordrer brugt i november 2026');
    expectGolden(goldenDir, 'subscription.da', golden(answer, tenantId));
    expectGolden(
      goldenDir,
      'subscription.en',
      golden(await core.handleCommand(withLocale(viewer, 'en'), 'subscription'), tenantId),
    );

    const plans = shown(await core.handleAction(admin, 'subscription.plans'));
    expect(plans).toContain('• *Business* — 2.000 ordrer om måneden · 1.299,00 kr. om måneden ekskl. moms');
    expect(plans).toContain(
      'Opkræves nu for de 11 dage, der er tilbage af november 2026: 293,33 kr. + moms = 366,66 kr.',
    );

    const confirmation = await core.handleCommand(admin, 'topup 1000');
    expect(shown(confirmation)).toContain('Køb *1.000 ordrer til november 2026*?');
    expect(shown(confirmation)).toContain('Pris: 999,00 kr.\nMoms 25 %: 249,75 kr.\nI alt: *1.248,75 kr.*');
    expect(buttons(confirmation)[0]?.label).toBe('Køb for 1.248,75 kr.');
    expectGolden(goldenDir, 'topup-confirm.da', golden(confirmation, tenantId));

    // A viewer sees the packs and, in Danish, why they cannot buy.
    const packs = shown(await core.handleCommand(viewer, 'topup 500'));
    expect(packs).toContain('• *100 ordrer* — 149,00 kr. + moms 37,25 kr. = *186,25 kr.*');
    expect(packs).toContain('Kun administratorer og ejeren kan købe; du er læser.');
    expect((await core.handleCommand(admin, 'topup 250')).fallback).toBe(
      'Der er ingen pakke med 250 ordrer; pakkerne er på 100, 500 og 1.000 ordrer.',
    );
    expect((await core.handleCommand(viewer, 'subscription autotopup off')).fallback).toBe(
      'Kun administratorer kan ændre det automatiske køb af ekstra ordrer; du er læser.',
    );
  });

  it('buys with a Danish confirmation and counts automatic packs with a plural', async () => {
    const { admin } = await danishTenant(1);
    const confirmation = await core.handleCommand(admin, 'topup 100');
    const bought = await core.handleAction(admin, buttons(confirmation)[0]!.action!);
    expect(bought.fallback).toMatch(
      /^Købt 100 ordrer til november 2026: faktura `IEX-[0-9A-Z-]+`, 149,00 kr\. \+ moms 37,25 kr\. = 186,25 kr\. 599 ordrer tilbage af 600 i denne periode\.$/,
    );
    const policy = await core.handleCommand(admin, 'subscription autotopup on --pack 500 --max 1');
    expect(policy.fallback).toBe(
      'Automatisk køb af ekstra ordrer er slået til: når ordrerne slipper op, tilføjes 500 ordrer, højst én gang pr. periode.',
    );
    const invoices = shown(await core.handleCommand(admin, 'subscription invoices'));
    expect(invoices).toMatch(/• `IEX-[0-9A-Z-]+` · 20\. nov\. 2026 · 186,25 kr\. inkl\. moms — /);
  });
});

describe('/iex notify in Danish', () => {
  it('adds a recipient with a Danish confirmation and explains a bad address in Danish', async () => {
    const { admin } = await danishTenant();
    expect((await core.handleCommand(admin, 'notify add transfer.failed ops@shop')).fallback).toBe(
      '`ops@shop` er ikke en gyldig e-mailadresse. Brug: `/iex notify [add|remove TRIGGER #channel|email|here]`',
    );
    const added = await core.handleCommand(admin, 'notify add transfer.failed finance@shop.dk');
    expect(added.fallback).toBe(
      '<@UADMIN1> tilføjede finance@shop.dk til *transfer.failed*: der gives besked, når overførsler fejler (én besked pr. slags fejl, opdateret med antallet).',
    );
    const list = shown(await core.handleCommand(admin, 'notify'));
    expect(list).toContain('*transfer.failed* — når overførsler fejler');
    expect(list).toContain('[Fjern finance@shop.dk · transfer.failed]');
    expect((await core.handleCommand(admin, 'notify add nothing here')).fallback).toBe(
      'Der er ingen udløser `nothing`. Udløserne er `transfer.failed`, `quota.threshold`, `topup.auto`, `digest`, `job.missed`.',
    );
  });
});

describe('the texts of these commands', () => {
  it('keep confirmation dialogs within what Slack shows (300 characters) in both languages', async () => {
    const { admin } = await danishTenant(700);
    const inputs: Array<[string, 'command' | 'action']> = [
      ['settings', 'command'],
      ['systems shopify', 'command'],
      ['systems e-conomic', 'command'],
      ['subscription', 'command'],
      ['subscription.plans', 'action'],
    ];
    const tooLong: string[] = [];
    let dialogs = 0;
    for (const locale of ['da', 'en']) {
      for (const [input, kind] of inputs) {
        const caller = withLocale(admin, locale);
        const answer =
          kind === 'command' ? await core.handleCommand(caller, input) : await core.handleAction(caller, input);
        for (const { confirm } of buttons(answer)) {
          if (!confirm) continue;
          dialogs += 1;
          if (confirm.text.length > 300) tooLong.push(`${locale} ${input}: ${confirm.text.length}: ${confirm.text}`);
        }
      }
    }
    expect(tooLong).toEqual([]);
    // Deactivate, three modules, two systems × (disconnect, remove), automatic top-up, three plans: twice.
    expect(dialogs).toBeGreaterThanOrEqual(2 * 12);
  });

  it('say in their help what the code allows: packs, the most automatic packs and VAT', () => {
    for (const language of ['da', 'en'] as const) {
      const help = MESSAGES[language]['subscription.help'];
      expect(help).toContain(`--pack ${TOP_UP_PACKS.map((pack) => pack.orders).join('|')}`);
      expect(help).toContain(`(0–${MAX_AUTO_TOP_UPS_PER_PERIOD})`);
      expect(help).toMatch(new RegExp(`${VAT_PERCENT} %`));
    }
  });
});
