import { z } from 'zod';
import { nextPeriod, periodName } from '../../domain/period-bounds';
import { findPlan, formatDkk, formatOrders, PLANS, planChangeKind, type Plan } from '../../domain/plans';
import { encodeAction } from '../actions';
import { defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import { pageControls } from '../paging';
import type { InvoiceView, SubscriptionView } from '../ports/billing';
import {
  actions,
  bar,
  button,
  context,
  divider,
  fields,
  header,
  reply,
  text,
  type Block,
  type Button,
  type Reply,
} from '../reply';

const INVOICES_PER_PAGE = 10;

const NO_SUBSCRIPTION = 'This integration has no subscription yet. Ask your IEX contact to set one up.';

const planName = (code: string) => findPlan(code)?.name ?? code;
const monthly = (priceOre: number) => `${formatDkk(priceOre)} a month excl. VAT`;
/** "1 December 2026": the day a period begins, as people read it. */
const firstDayOf = (period: string) => `1 ${periodName(period)}`;

function invoiceLines(invoices: InvoiceView[]): string {
  return invoices
    .map(
      (invoice) =>
        `• \`${invoice.number}\` · ${invoice.day} · ${formatDkk(invoice.totalOre)} incl. VAT — ${invoice.description}`,
    )
    .join('\n');
}

function autoTopUpText({ autoTopUp, topUps }: SubscriptionView): string {
  if (!autoTopUp.enabled)
    return '*Automatic top-up:* off — when the orders run out, new orders are held until someone tops up.';
  return (
    `*Automatic top-up:* on — when the orders run out, ${formatOrders(autoTopUp.packOrders)} are added for ` +
    `${formatDkk(autoTopUp.packPriceOre)} excl. VAT, at most ${autoTopUp.maxPerPeriod} times a period (${topUps.automatic} so far).`
  );
}

function autoTopUpButton(view: SubscriptionView): Button {
  if (view.autoTopUp.enabled) {
    return button('Automatic top-up off', encodeAction('subscription.autotopup', { on: 0 }), {
      style: 'danger',
      confirm: {
        title: 'Switch automatic top-up off?',
        text: 'When the orders of a period run out, new orders are held until someone tops up with `/iex topup`.',
        confirm: 'Switch off',
        deny: 'Cancel',
      },
    });
  }
  const over = view.used > view.allowance;
  return button('Automatic top-up on', encodeAction('subscription.autotopup', { on: 1 }), {
    ...(over
      ? {
          confirm: {
            title: 'Switch automatic top-up on?',
            text: `This period is ${formatOrders(view.used - view.allowance)} over its allowance: packs of ${formatOrders(view.autoTopUp.packOrders)} are bought at once, and invoiced.`,
            confirm: 'Switch on and buy',
            deny: 'Cancel',
          },
        }
      : {}),
  });
}

/** The Subscription section as blocks. */
export function subscriptionBlocks(view: SubscriptionView): Block[] {
  const { plan, used, allowance, topUps } = view;
  const over = used - allowance;
  const blocks: Block[] = [
    header(`Subscription — ${plan.name}`),
    fields([
      ['Plan', `*${plan.name}* · ${plan.priceOre === undefined ? 'custom agreement' : monthly(plan.priceOre)}`],
      ['Included orders', `${formatOrders(view.includedOrders)} a month`],
      [`Used in ${periodName(view.period)}`, formatOrders(used)],
      [
        'Top-ups this period',
        topUps.count === 0
          ? 'none'
          : `${topUps.count} · ${formatOrders(topUps.orders)}${topUps.automatic ? ` (${topUps.automatic} automatic)` : ''}`,
      ],
      ['Remaining', over > 0 ? `none — ${formatOrders(over)} over` : formatOrders(allowance - used)],
    ]),
    text(
      `*Orders used:* ${used.toLocaleString('en-US')} of ${allowance.toLocaleString('en-US')}  ${bar(used, allowance)}`,
    ),
  ];
  if (view.pendingPlan) {
    blocks.push(
      text(
        `Changes to *${view.pendingPlan.name}* on ${firstDayOf(view.pendingPlan.period)}, when the next period begins.`,
      ),
    );
  }
  blocks.push(text(autoTopUpText(view)), divider(), text('*Billing details*'));
  const billing: Array<[string, string]> = [
    ['Company', view.billing.company],
    ['VAT number', view.billing.vatNumber],
    ['Invoice e-mail', view.billing.email],
    ['Address', view.billing.address],
  ].filter((entry): entry is [string, string] => Boolean(entry[1]));
  blocks.push(
    billing.length ? fields(billing) : context('No billing details on file.'),
    divider(),
    text('*Latest invoices*'),
  );
  blocks.push(view.invoices.length ? text(invoiceLines(view.invoices)) : context('No invoices yet.'));
  const buttons: Button[] = [
    button('Top up', encodeAction('topup.packs', { replace: 1 }), { style: 'primary' }),
    button('Upgrade plan', encodeAction('subscription.plans')),
    autoTopUpButton(view),
  ];
  if (view.invoiceCount > view.invoices.length) {
    buttons.push(button(`All invoices (${view.invoiceCount})`, encodeAction('subscription.invoices', { page: 1 })));
  }
  blocks.push(actions(...buttons));
  return blocks;
}

async function currentSubscription(ctx: CommandContext): Promise<SubscriptionView> {
  const view = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
  if (!view) throw new UserError('not_found', NO_SUBSCRIPTION);
  return view;
}

/** The section, after a one-line summary of what just changed when there is one. */
async function subscriptionReply(
  ctx: CommandContext,
  options: { summary?: string; replaceOriginal?: boolean } = {},
): Promise<Reply> {
  const view = await currentSubscription(ctx);
  const status = `${view.plan.name}: ${view.used}/${view.allowance} orders used in ${view.period}`;
  const blocks = subscriptionBlocks(view);
  return reply(options.summary ?? status, options.summary ? [text(options.summary), ...blocks] : blocks, {
    replaceOriginal: options.replaceOriginal ?? false,
  });
}

function planButton(view: SubscriptionView, plan: Plan): Button {
  const current = { code: view.plan.code, includedOrders: view.includedOrders };
  const kind = planChangeKind(current, plan);
  const action = encodeAction('subscription.plan', { code: plan.code });
  if (kind === 'same') return button(`Keep ${plan.name}`, action);
  if (kind === 'upgrade') {
    return button(`Upgrade to ${plan.name}`, action, {
      style: 'primary',
      confirm: {
        title: `Upgrade to ${plan.name}?`,
        text: `From now on, this period included: ${formatOrders(plan.includedOrders)} a month for ${monthly(plan.priceOre)}.`,
        confirm: 'Upgrade',
        deny: 'Cancel',
      },
    });
  }
  return button(`Downgrade to ${plan.name}`, action, {
    confirm: {
      title: `Downgrade to ${plan.name}?`,
      text: `From ${firstDayOf(nextPeriod(view.period))}: ${formatOrders(plan.includedOrders)} a month for ${monthly(plan.priceOre)}. This period keeps its ${formatOrders(view.includedOrders)}.`,
      confirm: 'Downgrade',
      deny: 'Cancel',
    },
  });
}

function plansReply(view: SubscriptionView): Reply {
  const lines = PLANS.map(
    (plan) =>
      `• *${plan.name}* — ${formatOrders(plan.includedOrders)} a month · ${monthly(plan.priceOre)}${plan.code === view.plan.code ? '  _(your plan)_' : ''}`,
  );
  const choices = PLANS.filter((plan) => plan.code !== view.plan.code || view.pendingPlan).map((plan) =>
    planButton(view, plan),
  );
  const blocks: Block[] = [
    header('Change plan'),
    text(`You are on *${view.plan.name}* (${formatOrders(view.includedOrders)} a month).`),
    ...(view.pendingPlan
      ? [text(`A change to *${view.pendingPlan.name}* waits for ${firstDayOf(view.pendingPlan.period)}.`)]
      : []),
    text(lines.join('\n')),
    context(
      `An upgrade applies at once: its orders count for this period. A downgrade applies from ${firstDayOf(nextPeriod(view.period))}, when the next period begins.`,
    ),
    actions(...choices, button('Back', encodeAction('subscription.show'))),
  ];
  return reply(`Plans: ${PLANS.map((plan) => plan.name).join(', ')}`, blocks, { replaceOriginal: true });
}

export const subscriptionCommand = defineCommand({
  name: 'subscription',
  summary: 'Plan, orders used and left, top-ups, billing details and invoices; top up, upgrade, automatic top-up',
  usage: '/iex subscription',
  help: "Shows the plan and this period's orders. Buttons: *Top up* buys extra orders for this period, *Upgrade plan* changes the plan (an upgrade applies at once, a downgrade from the next period), *Automatic top-up* on or off. Changing anything needs an admin.",
  role: 'viewer',
  args: z.object({ _: z.array(z.string()).max(0, 'subscription takes no arguments') }),
  run: (ctx) => subscriptionReply(ctx),
});

const showSubscriptionAction = defineAction({
  id: 'subscription.show',
  role: 'viewer',
  values: z.object({}),
  run: (ctx) => subscriptionReply(ctx, { replaceOriginal: true }),
});

const choosePlanAction = defineAction({
  id: 'subscription.plans',
  role: 'viewer',
  values: z.object({}),
  run: async (ctx) => plansReply(await currentSubscription(ctx)),
});

const changePlanAction = defineAction({
  id: 'subscription.plan',
  role: 'admin',
  values: z.object({ code: z.string().min(1) }),
  async run(ctx, { code }) {
    const plan = findPlan(code);
    if (!plan) throw new UserError('not_found', 'That plan is no longer offered. Run `/iex subscription` again.');
    const change = await ctx.ports.billing.changePlan(ctx.tenantId, plan, ctx.caller, ctx.now);
    if (!change) throw new UserError('not_found', NO_SUBSCRIPTION);
    const record = (action: string, details: Record<string, unknown>) =>
      ctx.ports.changes.record({ tenantId: ctx.tenantId, caller: ctx.caller, action, target: plan.code, details });
    let summary: string;
    switch (change.kind) {
      case 'upgraded':
        await record('subscription.upgrade', {
          from: change.from,
          to: plan.code,
          includedOrders: plan.includedOrders,
          priceOre: plan.priceOre,
        });
        summary =
          `Upgraded from ${planName(change.from)} to *${plan.name}*: ${formatOrders(plan.includedOrders)} a month, counting from this period, for ${monthly(plan.priceOre)}.` +
          (change.releasedHold ? ' Orders held because the allowance was used up are released.' : '');
        break;
      case 'scheduled':
        await record('subscription.downgrade', {
          from: change.from,
          to: plan.code,
          includedOrders: plan.includedOrders,
          priceOre: plan.priceOre,
          effectiveAt: change.effectiveAt.toISOString(),
        });
        summary = `Your plan changes from ${planName(change.from)} to *${plan.name}* on ${firstDayOf(change.period)} (${formatOrders(plan.includedOrders)} a month, ${monthly(plan.priceOre)}). Until then you keep ${planName(change.from)}.`;
        break;
      case 'cancelled':
        await record('subscription.change.cancel', { dropped: change.dropped, current: change.current });
        summary = `The change to ${planName(change.dropped)} is cancelled: you stay on *${planName(change.current)}*.`;
        break;
      case 'unchanged':
        summary = `You are already on *${planName(change.current)}*.`;
        break;
    }
    return subscriptionReply(ctx, { summary, replaceOriginal: true });
  },
});

const autoTopUpAction = defineAction({
  id: 'subscription.autotopup',
  role: 'admin',
  values: z.object({ on: z.enum(['0', '1']) }),
  async run(ctx, { on }) {
    const enabled = on === '1';
    const before = await currentSubscription(ctx);
    if (before.autoTopUp.enabled === enabled) {
      return subscriptionReply(ctx, {
        summary: `Automatic top-up is already ${enabled ? 'on' : 'off'}.`,
        replaceOriginal: true,
      });
    }
    const result = await ctx.ports.billing.setAutoTopUp(ctx.tenantId, enabled, ctx.caller, ctx.now);
    if (!result) throw new UserError('not_found', NO_SUBSCRIPTION);
    const { packOrders, maxPerPeriod } = before.autoTopUp;
    await ctx.ports.changes.record({
      tenantId: ctx.tenantId,
      caller: ctx.caller,
      action: enabled ? 'subscription.autotopup.on' : 'subscription.autotopup.off',
      target: 'autoTopUp',
      details: { packOrders, maxPerPeriod },
    });
    const summary = enabled
      ? `Automatic top-up is on: when the orders run out, ${formatOrders(packOrders)} are added, at most ${maxPerPeriod} times a period.` +
        (result.releasedHold ? ' Orders held because the allowance was used up are released.' : '')
      : 'Automatic top-up is off: when the orders run out, new orders are held until someone tops up with `/iex topup`.';
    return subscriptionReply(ctx, { summary, replaceOriginal: true });
  },
});

const invoicesAction = defineAction({
  id: 'subscription.invoices',
  role: 'viewer',
  values: z.object({ page: z.coerce.number().int().min(1) }),
  async run(ctx, { page }) {
    const skip = (page - 1) * INVOICES_PER_PAGE;
    const { invoices, total } = await ctx.ports.billing.invoices(ctx.tenantId, { skip, limit: INVOICES_PER_PAGE });
    const pages = Math.max(1, Math.ceil(total / INVOICES_PER_PAGE));
    return reply(
      `Invoices, page ${page} of ${pages}`,
      [
        header('Invoices'),
        context('Newest first.'),
        invoices.length
          ? text(invoiceLines(invoices))
          : context(total ? 'No invoices on this page.' : 'No invoices yet.'),
        ...pageControls({ items: invoices, page, pages, total }, 'subscription.invoices'),
        actions(button('Back', encodeAction('subscription.show'))),
      ],
      { replaceOriginal: true },
    );
  },
});

export const subscriptionActions = [
  showSubscriptionAction,
  choosePlanAction,
  changePlanAction,
  autoTopUpAction,
  invoicesAction,
];
