import { checkQuota, readAllowance } from '../../src/services/billing/quota-check';
import type { CommandCore } from '../../src/commands/core';
import type { Reply } from '../../src/chat/reply';
import { renderText, replyButtons } from '../../src/chat/render-text';
import { exceededGroupKey } from '../../src/services/billing/quota-hold';
import type { Command } from '../../src/domain/commands';
import type { EventProducer } from '../../src/kafka/producer';
import type { Naming } from '../../src/kafka/topics';
import type { Store } from '../../src/store';
import { linkedSlackTenant, startCommandCore, withPlainSpaces, type CoreUnderTest } from '../support/command-core';
import { readJson, testKafka } from '../support/kafka';
import { captureLogger } from '../support/test-env';
import { storeUsage } from '../support/transfers';
import { usageDocId } from '../../src/store';

/**
 * The Subscription section's purchases and settings from chat, through the whole command core on
 * the real store and broker: upgrades (invoiced at once, prorated), automatic top-up policy,
 * billing details and single invoices.
 */

/** 20 November in Copenhagen: 11 of the 30 days of 2026-11 are left, today included. */
const NOW = new Date('2026-11-20T10:00:00.000Z');
const PERIOD = '2026-11';

let naming: Naming;
let store: Store;
let producer: EventProducer;
let core: CommandCore;
let harness: CoreUnderTest;
const { logger } = captureLogger();

const shown = (answer: Reply) => renderText(answer);

function buttonAction(answer: Reply, label: RegExp): string {
  const found = replyButtons(answer).find((button) => label.test(button.label));
  if (!found?.action) throw new Error(`no button ${label} in:\n${shown(answer)}`);
  return found.action;
}

/** A linked tenant with `used` orders this period and its automatic top-up as given. */
async function tenant(options: { used?: number; autoTopUp?: boolean } = {}) {
  const linked = await linkedSlackTenant(store.models);
  const { tenantId } = linked;
  await storeUsage(store.models, { tenantId, period: PERIOD, ordersUsed: options.used ?? 123 });
  if (options.autoTopUp === false) {
    await store.models.Subscription.updateOne({ tenantId }, { $set: { 'autoTopUp.enabled': false } });
  }
  return linked;
}

const announced = (tenantId: string, count: number) =>
  readJson<Command>(testKafka(), naming.topic('commands'), tenantId, count);

beforeAll(async () => {
  harness = await startCommandCore('subscription-test', { clock: () => NOW });
  ({ store, producer, naming, core } = harness);
  core = withPlainSpaces(harness.core);
});

afterAll(() => harness?.stop());

describe('an upgrade', () => {
  it('raises the allowance at once and invoices the price difference for the days left, once', async () => {
    const { tenantId, admin } = await tenant();
    const { models } = store;
    expect((await readAllowance(models, tenantId, PERIOD))?.allowance).toBe(500);
    expect(shown(await core.handleCommand(admin, 'subscription'))).toContain('Remaining: 377 orders');

    const plans = await core.handleAction(admin, 'subscription.plans');
    const upgrade = replyButtons(plans).find((button) => button.label === 'Upgrade to Business')!;
    // The confirmation says what will be charged before anything is.
    expect(upgrade.confirm?.text).toContain(
      'Charged now for the 11 days left of November 2026: DKK 293.33 + VAT = DKK 366.66.',
    );

    const upgraded = await core.handleAction(admin, upgrade.action!);
    expect((await readAllowance(models, tenantId, PERIOD))?.allowance).toBe(2_000);
    expect(shown(upgraded)).toContain('Remaining: 1,877 orders');

    const invoices = await models.Invoice.find({ tenantId }).lean();
    expect(invoices).toHaveLength(1);
    const invoice = invoices[0]!;
    // (1,299.00 − 499.00) × 11 / 30 = 293.333… → 293.33; VAT 73.3325 → 73.33.
    expect(invoice).toMatchObject({
      idempotencyKey: `upgrade:${PERIOD}:standard:business`,
      lines: [
        {
          description: 'Upgrade Standard → Business, 11 of 30 days of 2026-11',
          quantity: 1,
          unitPriceOre: 29_333,
          amountOre: 29_333,
        },
      ],
      netOre: 29_333,
      vatOre: 7_333,
      totalOre: 36_666,
    });
    expect(upgraded.fallback).toContain(
      `Invoice \`${invoice.number}\`: Upgrade Standard → Business, 11 of 30 days of 2026-11, DKK 293.33 + VAT DKK 73.33 = DKK 366.66.`,
    );

    const audit = await models.AuditEntry.find({ tenantId, action: 'subscription.upgrade' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: { platform: 'slack', userId: 'UADMIN1' },
      details: { from: 'standard', to: 'business', invoiceNumber: invoice.number, totalOre: 36_666 },
    });
    const [command] = await announced(tenantId, 1);
    expect(command).toMatchObject({
      type: 'settings.changed',
      action: 'subscription.upgrade',
      target: 'business',
      details: { invoiceNumber: invoice.number, totalOre: 36_666 },
    });

    // The same button again: already on the plan, nothing charged.
    expect((await core.handleAction(admin, upgrade.action!)).fallback).toMatch(/^You are already on \*Business\*/);
    expect(await models.Invoice.countDocuments({ tenantId })).toBe(1);
  });

  it('clicked twice at once issues one invoice and records one upgrade', async () => {
    const { tenantId, admin } = await tenant();
    const { models } = store;
    const replies = await Promise.all([
      core.handleAction(admin, 'subscription.plan?code=enterprise'),
      core.handleAction(admin, 'subscription.plan?code=enterprise'),
    ]);
    expect(await models.Invoice.countDocuments({ tenantId })).toBe(1);
    expect(await models.AuditEntry.countDocuments({ tenantId, action: 'subscription.upgrade' })).toBe(1);
    expect(replies.filter((answer) => answer.fallback.startsWith('Upgraded'))).toHaveLength(1);
    // (4,499 − 499) × 11 / 30 = 1,466.666… → 1,466.67.
    const invoice = (await models.Invoice.findOne({ tenantId }).lean())!;
    expect(invoice).toMatchObject({ netOre: 146_667, vatOre: 36_667, totalOre: 183_334 });
    expect((await readAllowance(models, tenantId, PERIOD))?.includedOrders).toBe(10_000);
  });
});

describe('/iex subscription invoice', () => {
  it('shows one invoice with its lines, net, VAT and total; another tenant’s number is not found', async () => {
    const a = await tenant();
    const b = await tenant();
    await core.handleAction(a.admin, 'subscription.plan?code=business');
    const invoice = (await store.models.Invoice.findOne({ tenantId: a.tenantId }).lean())!;

    const answer = await core.handleCommand(a.viewer, `subscription invoice ${invoice.number.toLowerCase()}`);
    expect(answer.fallback).toBe(
      `Invoice ${invoice.number} of 20 Nov 2026: DKK 366.66 incl. VAT — Upgrade Standard → Business, 11 of 30 days of 2026-11`,
    );
    const screen = shown(answer);
    expect(screen).toContain(`Number: \`${invoice.number}\`\nDate: 20 November 2026`);
    expect(screen).toContain('• Upgrade Standard → Business, 11 of 30 days of 2026-11\n   1 × DKK 293.33 = DKK 293.33');
    expect(screen).toContain('Net: DKK 293.33\nVAT 25 %: DKK 73.33\nTotal: DKK 366.66');

    expect((await core.handleCommand(b.admin, `subscription invoice ${invoice.number}`)).fallback).toBe(
      `There is no invoice \`${invoice.number}\` for this integration. \`/iex subscription invoices\` lists them.`,
    );
    expect((await core.handleCommand(a.viewer, 'subscription invoice')).fallback).toBe(
      'Which invoice? Usage: `/iex subscription invoice NUMBER`',
    );
    const list = await core.handleCommand(a.viewer, 'subscription invoices');
    expect(shown(list)).toContain(`\`${invoice.number}\` · 20 Nov 2026 · DKK 366.66 incl. VAT`);
  });
});

describe('/iex subscription autotopup', () => {
  it('sets the pack and the most packs a period, buys at once within them, and the pipeline keeps to them', async () => {
    // 1,900 used of 500: 1,400 over, which takes three packs of 500.
    const { tenantId, admin, viewer } = await tenant({ used: 1_900, autoTopUp: false });
    const { models } = store;

    expect((await core.handleCommand(viewer, 'subscription autotopup on')).fallback).toBe(
      'Only admins can change automatic top-up; you are a viewer.',
    );
    expect((await core.handleCommand(admin, 'subscription autotopup on --pack 250')).fallback).toBe(
      'There is no pack of 250 orders; the packs are 100, 500 and 1,000 orders.',
    );
    expect((await core.handleCommand(admin, 'subscription autotopup on --max 51')).fallback).toBe(
      '--max: give a whole number from 0 to 50 (automatic packs a period), not `51`.',
    );
    expect((await core.handleCommand(admin, 'subscription autotopup on --max -1')).fallback).toMatch(/^--max: /);
    expect((await core.handleCommand(admin, 'subscription autotopup on --max')).fallback).toMatch(
      /^--max: needs a value\. Usage: /,
    );
    expect((await core.handleCommand(admin, 'subscription autotopup maybe')).fallback).toBe(
      '`maybe`: say on or off. Usage: `/iex subscription autotopup on|off [--pack 100|500|1000] [--max N]`',
    );
    expect((await core.handleCommand(admin, 'subscription autotopup')).fallback).toBe(
      'Say what to change. Usage: `/iex subscription autotopup on|off [--pack 100|500|1000] [--max N]`',
    );
    expect((await core.handleCommand(admin, 'subscription autotopup on --every 2')).fallback).toMatch(
      /^unknown option --every\. Usage: /,
    );
    expect((await core.handleCommand(admin, 'subscription --pack 500')).fallback).toMatch(
      /^--pack does not go with this\. Usage: /,
    );
    expect(await models.TopUp.countDocuments({ tenantId })).toBe(0);

    const on = await core.handleCommand(admin, 'subscription autotopup on --pack 500 --max 2');
    expect(on.fallback).toBe(
      'Automatic top-up is on: when the orders run out, 500 orders are added, at most 2 times a period. The period was over its allowance, so 2 packs were bought at once.',
    );
    expect(await models.Subscription.findOne({ tenantId }).lean()).toMatchObject({
      autoTopUp: { enabled: true, packOrders: 500, maxPerPeriod: 2 },
    });
    const topUps = await models.TopUp.find({ tenantId }).sort({ idempotencyKey: 1 }).lean();
    expect(topUps.map(({ orders, auto, priceOre }) => ({ orders, auto, priceOre }))).toEqual([
      { orders: 500, auto: true, priceOre: 59_900 },
      { orders: 500, auto: true, priceOre: 59_900 },
    ]);
    expect(shown(on)).toContain(
      'Automatic top-up: on — when the orders run out, 500 orders are added for DKK 599.00 excl. VAT, at most 2 times a period (2 so far).',
    );
    expect(shown(on)).toContain('Remaining: none — 400 orders over');

    // Raising the limit buys the third pack; the same again changes nothing and records nothing.
    const raised = await core.handleCommand(admin, 'subscription autotopup --max 3');
    expect(raised.fallback).toMatch(
      /at most 3 times a period\. The period was over its allowance, so a pack was bought/,
    );
    expect((await core.handleCommand(admin, 'subscription autotopup on --max 3')).fallback).toBe(
      'Automatic top-up is already on: when the orders run out, 500 orders are added, at most 3 times a period.',
    );
    expect((await readAllowance(models, tenantId, PERIOD))?.allowance).toBe(2_000);

    // The transfer pipeline's check keeps to the limit: 2,100 used, no fourth pack, orders held.
    await models.Usage.updateOne({ _id: usageDocId(tenantId, PERIOD, 0) }, { $set: { ordersUsed: 2_100 } });
    await checkQuota({ models, producer, logger }, tenantId, PERIOD, NOW);
    expect(await models.TopUp.countDocuments({ tenantId })).toBe(3);
    expect(
      await models.AlertState.exists({ tenantId, groupKey: exceededGroupKey(tenantId, PERIOD, 2_000) }),
    ).toBeTruthy();

    const audit = await models.AuditEntry.find({ tenantId, action: /^subscription\.autotopup/ })
      .sort({ at: 1 })
      .lean();
    expect(audit.map(({ action }) => action)).toEqual(['subscription.autotopup.on', 'subscription.autotopup.policy']);
    expect(audit[0]).toMatchObject({
      details: { enabled: true, packOrders: 500, maxPerPeriod: 2, changed: ['enabled', 'packOrders', 'maxPerPeriod'] },
    });
    const commands = await announced(tenantId, 3);
    expect(commands.filter((command) => command.type === 'settings.changed')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'subscription.autotopup.on',
          details: expect.objectContaining({ packOrders: 500 }),
        }),
        expect.objectContaining({
          action: 'subscription.autotopup.policy',
          details: expect.objectContaining({ maxPerPeriod: 3 }),
        }),
      ]),
    );

    // The button keeps working.
    const off = await core.handleAction(admin, buttonAction(raised, /^Automatic top-up off$/));
    expect(off.fallback).toMatch(/^Automatic top-up is off/);
    expect(shown(off)).toContain(
      'Automatic top-up: off — when the orders run out, new orders are held until someone tops up. Switched on, it adds 500 orders at a time, at most 3 times a period.',
    );
  });
});

describe('/iex subscription billing', () => {
  it('validates and stores the billing details; values with spaces go in double quotes', async () => {
    const { tenantId, admin, viewer } = await tenant();
    const { models } = store;
    const usage = 'Usage: `/iex subscription billing [--company "…"] [--vat DK12345678] [--email …] [--address "…"]`';

    expect((await core.handleCommand(viewer, 'subscription billing --company x')).fallback).toBe(
      'Only admins can change the billing details; you are a viewer.',
    );
    expect((await core.handleCommand(admin, 'subscription billing')).fallback).toBe(
      `Give at least one of --company, --vat, --email, --address. ${usage}`,
    );
    expect((await core.handleCommand(admin, 'subscription billing --vat 12345678')).fallback).toBe(
      '--vat: `12345678` is not a VAT number; give the country prefix and 8–12 digits or letters, e.g. DK12345678.',
    );
    expect((await core.handleCommand(admin, 'subscription billing --email finance@')).fallback).toBe(
      '--email: `finance@` is not a valid e-mail address.',
    );
    expect((await core.handleCommand(admin, 'subscription billing --company Shop ApS')).fallback).toBe(
      `\`ApS\` is not an option. Put a value with spaces in double quotes, e.g. --company "Shop ApS". ${usage}`,
    );
    expect((await core.handleCommand(admin, 'subscription billing --pack 100')).fallback).toBe(
      `--pack does not go with this. ${usage}`,
    );

    const changed = await core.handleCommand(
      admin,
      'subscription billing --company "Shop ApS" --vat "dk 1234 5678" --email <mailto:Finance@Shop.dk|Finance@Shop.dk> --address "Storegade 1, 8000 Aarhus C"',
    );
    expect(changed.fallback).toBe(
      'Billing details changed: company Shop ApS; VAT number DK12345678; invoice e-mail finance@shop.dk; address Storegade 1, 8000 Aarhus C.',
    );
    expect(shown(changed)).toContain(
      'Company: Shop ApS\nVAT number: DK12345678\nInvoice e-mail: finance@shop.dk\nAddress: Storegade 1, 8000 Aarhus C',
    );
    expect((await models.Subscription.findOne({ tenantId }).lean())?.billing).toEqual({
      company: 'Shop ApS',
      vatNumber: 'DK12345678',
      email: 'finance@shop.dk',
      address: 'Storegade 1, 8000 Aarhus C',
    });

    const cleared = await core.handleCommand(admin, 'subscription billing --address "" --company "Shop ApS"');
    expect(cleared.fallback).toBe('Billing details changed: address cleared.');
    expect((await models.Subscription.findOne({ tenantId }).lean())?.billing?.address).toBeUndefined();
    expect((await core.handleCommand(admin, 'subscription billing --vat DK12345678')).fallback).toBe(
      'The billing details were already so.',
    );

    const audit = await models.AuditEntry.find({ tenantId, action: 'subscription.billing' }).sort({ at: 1 }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      actor: { userId: 'UADMIN1' },
      details: { changed: ['company', 'vatNumber', 'email', 'address'], vatNumber: 'DK12345678' },
    });
    expect(audit[1]).toMatchObject({ details: { changed: ['address'], address: null } });
    const commands = await announced(tenantId, 2);
    expect(commands.map(({ type, ...rest }) => `${type} ${'action' in rest ? rest.action : ''}`)).toEqual([
      'settings.changed subscription.billing',
      'settings.changed subscription.billing',
    ]);
  });
});
