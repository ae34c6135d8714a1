import { applyDuePlanChanges } from '../../src/services/billing/plan-change';
import { buyTopUp } from '../../src/services/billing/top-up';
import { notifyActions, notifyCommand } from '../../src/commands/catalog/notify';
import { subscriptionActions, subscriptionCommand } from '../../src/commands/catalog/subscription';
import { topupActions, topupCommand } from '../../src/commands/catalog/topup';
import type { CommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Reply } from '../../src/chat/reply';
import { quotaGroupKey } from '../../src/domain/alerts';
import { SYSTEM_ACTOR, type Command } from '../../src/domain/commands';
import type { Naming } from '../../src/kafka/topics';
import type { Store } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { startCommandCore, withPlainSpaces, type CoreUnderTest } from '../support/command-core';
import { readJson, testKafka } from '../support/kafka';
import { storeUsage } from '../support/transfers';

/** Mid-November in Copenhagen: the period is 2026-11, the next one begins 2026-12-01 00:00 CET. */
const NOW = new Date('2026-11-20T10:00:00.000Z');
const PERIOD = '2026-11';

let naming: Naming;
let store: Store;
let core: CommandCore;
let harness: CoreUnderTest;

/** Everything a person reads in a reply, as one string. */
function shown(answer: Reply): string {
  return answer.blocks
    .map((block) => {
      if (block.type === 'fields') return block.fields.map(({ label, value }) => `${label}: ${value}`).join('\n');
      if (block.type === 'actions') return block.buttons.map((button) => `[${button.label}]`).join(' ');
      if (block.type === 'divider') return '---';
      if (block.type === 'image') return block.image.alt;
      return block.text;
    })
    .join('\n');
}

function buttonAction(answer: Reply, label: RegExp): string {
  const found = answer.blocks
    .flatMap((block) => (block.type === 'actions' ? block.buttons : []))
    .find((button) => label.test(button.label));
  if (!found?.action) throw new Error(`no button ${label} in:\n${shown(answer)}`);
  return found.action;
}

/** A tenant bound to its own Slack workspace, with an admin, a viewer and this period's usage. */
async function boundTenant(
  workspaceId: string,
  options: { used?: number; includedOrders?: number; autoTopUp?: boolean } = {},
) {
  const { models } = store;
  const { tenantId } = await createTestTenant(models, {
    includedOrders: options.includedOrders ?? 500,
    autoTopUp: { enabled: options.autoTopUp ?? true },
  });
  await models.Binding.create({ platform: 'slack', workspaceId, channelId: '', tenantId });
  await models.Member.create([
    { tenantId, platform: 'slack', platformUserId: 'U-ADMIN', role: 'admin' },
    { tenantId, platform: 'slack', platformUserId: 'U-VIEWER', role: 'viewer' },
  ]);
  await storeUsage(models, { tenantId, period: PERIOD, ordersUsed: options.used ?? 123 });
  const caller = (userId: string): Caller => ({
    platform: 'slack',
    userId,
    workspaceId,
    channelId: 'C0ALERTS01',
    displayName: userId,
  });
  return { tenantId, admin: caller('U-ADMIN'), viewer: caller('U-VIEWER') };
}

const commandsOf = (tenantId: string, count: number) =>
  readJson<Command>(testKafka(), naming.topic('commands'), tenantId, count);

beforeAll(async () => {
  harness = await startCommandCore('billing-notify-test', {
    // This section's commands only, so the test does not depend on the rest of the catalogue.
    commands: [subscriptionCommand, topupCommand, notifyCommand],
    actions: [...subscriptionActions, ...topupActions, ...notifyActions],
    clock: () => NOW,
  });
  ({ store, naming, core } = harness);
  core = withPlainSpaces(harness.core);
});

afterAll(() => harness?.stop());

describe('/iex subscription', () => {
  it('shows the plan, the orders used of the allowance with a bar, top-ups and the latest invoices', async () => {
    const { tenantId, viewer } = await boundTenant('T-SUB');
    await store.models.Subscription.updateOne(
      { tenantId },
      { $set: { billing: { company: 'Shop ApS', vatNumber: 'DK12345678' } } },
    );
    const bought = await buyTopUp(store.models, {
      tenantId,
      period: PERIOD,
      orders: 100,
      priceOre: 14_900,
      auto: true,
      idempotencyKey: `auto:${PERIOD}:1`,
      actor: SYSTEM_ACTOR,
      now: new Date('2026-11-03T09:00:00.000Z'),
    });

    const answer = await core.handleCommand(viewer, 'subscription');
    const screen = shown(answer);
    expect(answer.visibility).toBe('ephemeral');
    expect(screen).toContain('Subscription — Standard');
    expect(screen).toContain('Plan: *Standard* · DKK 499.00 a month excl. VAT');
    expect(screen).toContain('Included orders: 500 orders a month');
    expect(screen).toContain('Used in November 2026: 123 orders');
    expect(screen).toContain('Top-ups this period: 1 · 100 orders (1 automatic)');
    expect(screen).toContain('Remaining: 477 orders');
    expect(screen).toContain('*Orders used:* 123 of 600  ▓▓░░░░░░░░ 20 %');
    expect(screen).toContain('Company: Shop ApS');
    expect(screen).toContain(`\`${bought.invoiceNumber}\` · 3 Nov 2026 · DKK 186.25 incl. VAT`);
    expect(screen).toContain('*Automatic top-up:* on');
    expect(screen).toMatch(/\[Top up\] \[Upgrade plan\] \[Automatic top-up off\]/);
  });
});

describe('/iex topup', () => {
  it('buys once when the confirmed Buy button is clicked twice', async () => {
    const { tenantId, admin } = await boundTenant('T-BUY');

    const confirmation = await core.handleCommand(admin, 'topup 500');
    expect(shown(confirmation)).toContain('Buy *500 orders for November 2026*?');
    expect(shown(confirmation)).toContain('Price: DKK 599.00\nVAT 25 %: DKK 149.75\nTotal: *DKK 748.75*');
    const buy = buttonAction(confirmation, /^Buy for DKK 748\.75$/);
    expect(buy).toMatch(/^topup\.buy\?pack=500&key=[A-Za-z0-9_-]{12}$/);

    // Two clicks of one button are two interactions carrying the same encoded action.
    const first = await core.handleAction(admin, buy, 'click-1');
    const second = await core.handleAction(admin, buy, 'click-2');

    const { models } = store;
    const topUps = await models.TopUp.find({ tenantId }).lean();
    const invoices = await models.Invoice.find({ tenantId }).lean();
    expect(topUps).toHaveLength(1);
    expect(topUps[0]).toMatchObject({ period: PERIOD, orders: 500, priceOre: 59_900, auto: false });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      netOre: 59_900,
      vatOre: 14_975,
      totalOre: 74_875,
      number: topUps[0]!.invoiceNumber,
    });
    const audit = await models.AuditEntry.find({ tenantId, action: 'topup.buy' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { platform: 'slack', userId: 'U-ADMIN' }, target: PERIOD });

    expect(first.fallback).toBe(
      `Bought 500 orders for November 2026: invoice \`${invoices[0]!.number}\`, DKK 599.00 + VAT DKK 149.75 = DKK 748.75. 877 orders left of 1,000 this period.`,
    );
    expect(first.replaceOriginal).toBe(true);
    expect(second.fallback).toBe(
      `Already bought: 500 orders for November 2026 on invoice \`${invoices[0]!.number}\` (DKK 748.75 incl. VAT). Nothing was charged again.`,
    );
    const [announced] = await commandsOf(tenantId, 1);
    expect(announced).toMatchObject({
      type: 'settings.changed',
      action: 'topup.buy',
      target: PERIOD,
      details: { orders: 500, totalOre: 74_875 },
    });

    // The same button clicked twice at once still buys once.
    const again = buttonAction(await core.handleAction(admin, 'topup.confirm?pack=100'), /^Buy for/);
    const replies = await Promise.all([core.handleAction(admin, again), core.handleAction(admin, again)]);
    expect(replies.filter((answer) => answer.fallback.startsWith('Bought'))).toHaveLength(1);
    expect(await models.TopUp.countDocuments({ tenantId })).toBe(2);
    expect(await models.Invoice.countDocuments({ tenantId })).toBe(2);
  });

  it('refuses a viewer with the reason and buys nothing', async () => {
    const { tenantId, viewer } = await boundTenant('T-VIEW');
    const packs = await core.handleCommand(viewer, 'topup 100');
    expect(shown(packs)).toContain('Only admins and the owner can buy; you are a viewer.');
    expect(shown(packs)).toContain('• *100 orders* — DKK 149.00 + VAT DKK 37.25 = *DKK 186.25*');

    // From a quota alert, which the whole channel shares, the choice comes as a reply of its own.
    expect((await core.handleAction(viewer, 'topup.packs')).replaceOriginal).toBeUndefined();
    const fromSubscription = buttonAction(await core.handleCommand(viewer, 'subscription'), /^Top up$/);
    expect((await core.handleAction(viewer, fromSubscription)).replaceOriginal).toBe(true);

    expect((await core.handleAction(viewer, 'topup.confirm?pack=100')).fallback).toBe(
      'Only admins can do this; you are a viewer.',
    );
    const refused = await core.handleAction(viewer, 'topup.buy?pack=100&key=abcdefghijkl');
    expect(refused).toMatchObject({ fallback: 'Only admins can do this; you are a viewer.', visibility: 'ephemeral' });
    expect(await store.models.TopUp.countDocuments({ tenantId })).toBe(0);
    expect(await store.models.Invoice.countDocuments({ tenantId })).toBe(0);
  });

  it('explains a pack that does not exist', async () => {
    const { admin } = await boundTenant('T-PACK');
    expect((await core.handleCommand(admin, 'topup 250')).fallback).toBe(
      'There is no pack of 250 orders; the packs are 100, 500 and 1,000 orders.',
    );
  });

  it('releases orders held for the quota once a top-up makes room', async () => {
    const { tenantId, admin } = await boundTenant('T-HELD', { used: 560, autoTopUp: false });
    // checkQuota held this period's orders (its `exceeded` alert state is what says so).
    await store.models.AlertState.create({
      tenantId,
      groupKey: quotaGroupKey(tenantId, PERIOD, 'exceeded'),
      lastSentAt: NOW,
      count: 1,
    });
    const buy = buttonAction(await core.handleCommand(admin, 'topup 100'), /^Buy for/);
    const bought = await core.handleAction(admin, buy);
    expect(bought.fallback).toContain(
      '40 orders left of 600 this period. Orders held because the allowance was used up are released.',
    );
    const commands = await commandsOf(tenantId, 2);
    expect(commands.find((command) => command.type === 'orders.release')).toMatchObject({
      period: PERIOD,
      actor: { userId: 'U-ADMIN' },
    });
  });
});

describe('plan changes', () => {
  it('upgrades at once and schedules a downgrade for the next period', async () => {
    const { tenantId, admin, viewer } = await boundTenant('T-PLAN');
    const { models } = store;

    const choice = await core.handleAction(viewer, 'subscription.plans');
    expect(shown(choice)).toMatch(
      /\[Downgrade to Starter\] \[Upgrade to Business\] \[Upgrade to Enterprise\] \[Back\]/,
    );
    const upgrade = buttonAction(choice, /^Upgrade to Business$/);
    expect((await core.handleAction(viewer, upgrade)).fallback).toBe('Only admins can do this; you are a viewer.');

    const upgraded = await core.handleAction(admin, upgrade);
    // 20 November: 11 of 30 days left, today included; (1,299 − 499) × 11 / 30 = 293.33.
    const [invoice] = await models.Invoice.find({ tenantId }).lean();
    expect(upgraded.fallback).toBe(
      'Upgraded from Standard to *Business*: 2,000 orders a month, counting from this period, for DKK 1,299.00 a month excl. VAT.' +
        ` Invoice \`${invoice!.number}\`: Upgrade Standard → Business, 11 of 30 days of 2026-11, DKK 293.33 + VAT DKK 73.33 = DKK 366.66.`,
    );
    expect(shown(upgraded)).toContain('*Orders used:* 123 of 2,000');
    expect(await models.Subscription.findOne({ tenantId }).lean()).toMatchObject({
      plan: 'business',
      includedOrders: 2_000,
    });

    const downgraded = await core.handleAction(admin, 'subscription.plan?code=starter');
    expect(downgraded.fallback).toBe(
      'Your plan changes from Business to *Starter* on 1 December 2026 (100 orders a month, DKK 199.00 a month excl. VAT). Until then you keep Business.',
    );
    expect(shown(downgraded)).toContain('*Orders used:* 123 of 2,000');
    const pending = await models.Subscription.findOne({ tenantId }).lean();
    expect(pending).toMatchObject({ plan: 'business', includedOrders: 2_000, pendingPlan: { plan: 'starter' } });
    // Midnight in Copenhagen (CET, UTC+1) on the 1st.
    expect(pending?.pendingPlan?.effectiveAt.toISOString()).toBe('2026-11-30T23:00:00.000Z');

    const audit = await models.AuditEntry.find({ tenantId }).lean();
    expect(audit.map(({ action }) => action).sort()).toEqual(['subscription.downgrade', 'subscription.upgrade']);

    // The period roll applies it; not a moment before.
    expect(await applyDuePlanChanges(models, new Date('2026-11-30T22:59:59.000Z'), tenantId)).toEqual([]);
    expect(await applyDuePlanChanges(models, new Date('2026-11-30T23:00:00.000Z'), tenantId)).toEqual([tenantId]);
    expect(await models.Subscription.findOne({ tenantId }).lean()).toMatchObject({
      plan: 'starter',
      includedOrders: 100,
    });
  });

  it('switches automatic top-up off and on, buying at once what the period is over by', async () => {
    const { tenantId, admin } = await boundTenant('T-AUTO', { used: 530 });
    const off = await core.handleAction(admin, 'subscription.autotopup?on=0');
    expect(off.fallback).toMatch(/^Automatic top-up is off/);
    expect(shown(off)).toContain('[Automatic top-up on]');
    expect(await store.models.Subscription.findOne({ tenantId }).lean()).toMatchObject({
      autoTopUp: { enabled: false },
    });

    const on = await core.handleAction(admin, 'subscription.autotopup?on=1');
    expect(on.fallback).toBe(
      'Automatic top-up is on: when the orders run out, 100 orders are added, at most 5 times a period. The period was over its allowance, so a pack was bought at once.',
    );
    const topUps = await store.models.TopUp.find({ tenantId }).lean();
    expect(topUps).toMatchObject([{ orders: 100, auto: true, period: PERIOD }]);
    expect(shown(on)).toContain('Top-ups this period: 1 · 100 orders (1 automatic)');
    const audit = await store.models.AuditEntry.find({ tenantId }).lean();
    expect(audit.map(({ action }) => action).sort()).toEqual([
      'subscription.autotopup.off',
      'subscription.autotopup.on',
      'topup.auto',
    ]);
  });
});

describe('/iex notify', () => {
  it('adds, lists and removes recipients, reading channel mentions and e-mail addresses', async () => {
    const { tenantId, admin, viewer } = await boundTenant('T-NOTIFY');

    const added = await core.handleCommand(admin, 'notify add transfer.failed <#C0SHOPALERT|shop-alerts>');
    expect(added).toMatchObject({ visibility: 'in_channel' });
    expect(added.fallback).toBe(
      '<@U-ADMIN> added <#C0SHOPALERT> to *transfer.failed*: it is notified when transfers fail (one message per kind of failure, updated with the count).',
    );
    expect((await core.handleCommand(admin, 'notify add quota.threshold here')).fallback).toContain(
      'added <#C0ALERTS01> to *quota.threshold*',
    );
    expect(
      (await core.handleCommand(admin, 'notify add quota.threshold <mailto:Finance@Shop.dk|Finance@Shop.dk>')).fallback,
    ).toContain('added finance@shop.dk to *quota.threshold*');
    expect((await core.handleCommand(admin, 'notify add digest <#112233445566778899>')).fallback).toContain(
      'added Discord channel `112233445566778899` to *digest*',
    );
    expect((await core.handleCommand(admin, 'notify add transfer.failed C0SHOPALERT')).fallback).toBe(
      '<#C0SHOPALERT> already gets *transfer.failed* notifications.',
    );

    expect((await core.handleCommand(admin, 'notify add quota.threshold finance@')).fallback).toBe(
      '`finance@` is not a valid e-mail address. Usage: `/iex notify [add|remove TRIGGER #channel|email|here]`',
    );
    expect((await core.handleCommand(admin, 'notify add failures #shop-alerts')).fallback).toBe(
      'There is no trigger `failures`. The triggers are `transfer.failed`, `quota.threshold`, `topup.auto`, `digest`, `job.missed`.',
    );
    expect((await core.handleCommand(viewer, 'notify add digest here')).fallback).toBe(
      'Only admins can change who gets notified; you are a viewer.',
    );

    const rules = await store.models.NotificationRule.find({ tenantId }).lean();
    expect(rules.map(({ trigger, recipient }) => `${trigger} ${recipient?.kind}:${recipient?.target}`).sort()).toEqual([
      'digest discord:112233445566778899',
      'quota.threshold email:finance@shop.dk',
      'quota.threshold slack:C0ALERTS01',
      'transfer.failed slack:C0SHOPALERT',
    ]);

    const list = await core.handleCommand(viewer, 'notify');
    const screen = shown(list);
    expect(list.visibility).toBe('ephemeral');
    expect(screen).toContain('*transfer.failed* — when transfers fail');
    expect(screen).toContain('• <#C0SHOPALERT>');
    expect(screen).toContain(
      '*quota.threshold* — when the orders used reach a warning level of the allowance, or run out\n• finance@shop.dk\n• <#C0ALERTS01>',
    );
    expect(screen).toContain('• Discord channel `112233445566778899`');
    expect(screen).toContain('Nobody gets: topup.auto, job.missed.');
    expect(screen).toContain('[Remove #C0SHOPALERT · transfer.failed]');

    const remove = buttonAction(list, /^Remove finance@shop\.dk · quota\.threshold$/);
    expect((await core.handleAction(viewer, remove)).fallback).toBe('Only admins can do this; you are a viewer.');
    const removed = await core.handleAction(admin, remove);
    expect(removed.fallback).toBe(
      'finance@shop.dk no longer gets *quota.threshold* notifications. To add it back: `/iex notify add quota.threshold finance@shop.dk`',
    );
    expect(removed.replaceOriginal).toBe(true);
    expect(shown(removed)).not.toContain('• finance@shop.dk');
    expect((await core.handleAction(admin, remove)).fallback).toBe('That recipient was already removed.');

    const byCommand = await core.handleCommand(admin, 'notify remove digest 112233445566778899');
    expect(byCommand).toMatchObject({ visibility: 'in_channel' });
    expect(byCommand.fallback).toBe(
      '<@U-ADMIN> removed Discord channel `112233445566778899` from *digest*: it is no longer notified.',
    );
    expect((await core.handleCommand(admin, 'notify remove digest 112233445566778899')).fallback).toMatch(
      /does not get \*digest\*/,
    );

    expect(await store.models.NotificationRule.countDocuments({ tenantId })).toBe(2);
    const audit = await store.models.AuditEntry.find({ tenantId }).lean();
    expect(audit.map(({ action }) => action).sort()).toEqual([
      'notify.add',
      'notify.add',
      'notify.add',
      'notify.add',
      'notify.remove',
      'notify.remove',
    ]);
    const email = audit
      .filter((entry) => entry.details?.target === 'finance@shop.dk')
      .sort((x, y) => x.action.localeCompare(y.action));
    expect(email).toMatchObject([
      { action: 'notify.add', target: 'quota.threshold', details: { kind: 'email' } },
      { action: 'notify.remove', target: 'quota.threshold', details: { kind: 'email' } },
    ]);
  });

  it('pages a long list of recipients', async () => {
    const { admin } = await boundTenant('T-PAGES');
    for (const n of [1, 2, 3, 4, 5, 6, 7])
      await core.handleCommand(admin, `notify add transfer.failed ops${n}@shop.dk`);
    const first = await core.handleCommand(admin, 'notify');
    expect(shown(first)).toContain('Page 1 of 2 · 7 in all');
    expect(shown(first)).not.toContain('ops6@shop.dk');
    const second = await core.handleAction(admin, buttonAction(first, /^Next$/));
    expect(shown(second)).toContain('• ops6@shop.dk\n• ops7@shop.dk');
    expect(second.replaceOriginal).toBe(true);
  });
});

describe('tenant isolation', () => {
  it("never shows or changes another tenant's subscription, invoices or recipients", async () => {
    const a = await boundTenant('T-ISO-A');
    const b = await boundTenant('T-ISO-B', { used: 7, includedOrders: 100 });
    await store.models.Subscription.updateOne({ tenantId: b.tenantId }, { $set: { plan: 'starter' } });
    const bought = await core.handleAction(
      a.admin,
      buttonAction(await core.handleCommand(a.admin, 'topup 100'), /^Buy for/),
    );
    const invoice = (await store.models.Invoice.findOne({ tenantId: a.tenantId }).lean())!.number;
    expect(bought.fallback).toContain(invoice);
    await core.handleCommand(a.admin, 'notify add transfer.failed a-ops@shop.dk');
    const ruleA = (await store.models.NotificationRule.findOne({ tenantId: a.tenantId }).lean())!;

    const subscriptionB = shown(await core.handleCommand(b.viewer, 'subscription'));
    expect(subscriptionB).toContain('Subscription — Starter');
    expect(subscriptionB).toContain('*Orders used:* 7 of 100');
    expect(subscriptionB).not.toContain(invoice);
    expect(subscriptionB).toContain('No invoices yet.');
    expect(shown(await core.handleCommand(b.viewer, 'notify'))).not.toContain('a-ops@shop.dk');

    // B's admin replaying A's Remove button removes nothing of A's.
    const replayed = await core.handleAction(b.admin, `notify.remove?id=${ruleA._id.toString()}&page=1`);
    expect(replayed.fallback).toBe('That recipient was already removed.');
    expect(await store.models.NotificationRule.countDocuments({ tenantId: a.tenantId })).toBe(1);
    expect(await store.models.Invoice.countDocuments({ tenantId: b.tenantId })).toBe(0);
  });
});
