import { z } from 'zod';
import { daysInPeriod, daysLeftInPeriod, nextPeriod, periodName } from '../../domain/period-bounds';
import {
  findPlan,
  formatDkk,
  formatOrders,
  MAX_AUTO_TOP_UPS_PER_PERIOD,
  PLANS,
  planChangeKind,
  TOP_UP_PACKS,
  upgradeLine,
  VAT_PERCENT,
  withVat,
  type Plan,
  type PlanChange,
} from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
import { changed, defineAction, defineCommand } from '../define';
import { UserError } from '../errors';
import type { SubscriptionView } from '../ports/billing';
import { actions, button, context, header, reply, text, type Block, type Button, type Reply } from '../../chat/reply';
import { flag, word } from '../options';
import { INVOICE_USAGE, invoicesAction, invoicesReply, showInvoice } from './subscription-invoices';
import {
  BILLING_USAGE,
  currentSubscription,
  firstDayOf,
  monthly,
  NO_SUBSCRIPTION,
  subscriptionReply,
} from './subscription-section';
import {
  AUTO_TOP_UP_USAGE,
  autoTopUpAction,
  autoTopUpChange,
  billingChange,
  changeAutoTopUp,
  changeBillingDetails,
  subscriptionSettingEffects,
  PACK_CHOICES,
} from './subscription-settings';

// `/iex subscription` itself and the plan change; its settings and invoices have modules of their own.

const USAGE = `/iex subscription [autotopup on|off --pack ${PACK_CHOICES} --max N | billing --company "…" --vat … --email … --address "…" | invoice NUMBER | invoices]`;

const planName = (code: string) => findPlan(code)?.name ?? code;

/** What upgrading to `plan` today costs: the price difference for the days left, today included. */
function upgradeCost(view: SubscriptionView, plan: Plan): string | undefined {
  const from = findPlan(view.plan.code);
  const line = from && upgradeLine(from, plan, view.period, daysLeftInPeriod(view.day), daysInPeriod(view.period));
  if (!line) return undefined;
  const { totalOre } = withVat(line.amountOre);
  const days = daysLeftInPeriod(view.day);
  return `Charged now for the ${days} ${days === 1 ? 'day' : 'days'} left of ${periodName(view.period)}: ${formatDkk(line.amountOre)} + VAT = ${formatDkk(totalOre)}.`;
}

function planButton(view: SubscriptionView, plan: Plan): Button {
  const current = { code: view.plan.code, includedOrders: view.includedOrders };
  const kind = planChangeKind(current, plan);
  const action = encodeAction('subscription.plan', { code: plan.code });
  if (kind === 'same') return button(`Keep ${plan.name}`, action);
  if (kind === 'upgrade') {
    const cost = upgradeCost(view, plan);
    return button(`Upgrade to ${plan.name}`, action, {
      style: 'primary',
      confirm: {
        title: `Upgrade to ${plan.name}?`,
        text: `From now on, this period included: ${formatOrders(plan.includedOrders)} a month for ${monthly(plan.priceOre)}.${cost ? ` ${cost}` : ''}`,
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
      `An upgrade applies at once: its orders count for this period, and the price difference for the days left of it is invoiced. A downgrade applies from ${firstDayOf(nextPeriod(view.period))}, when the next period begins.`,
    ),
    actions(...choices, button('Back', encodeAction('subscription.show'))),
  ];
  return reply(`Plans: ${PLANS.map((plan) => plan.name).join(', ')}`, blocks, { replaceOriginal: true });
}

/** A flag's value; a bare `--pack` (no value) is refused with this. */
const flagValue = z.string({ error: 'needs a value' }).optional();
const packChoices = TOP_UP_PACKS.map((pack) => ({ name: formatOrders(pack.orders), value: pack.orders }));

export const subscriptionCommand = defineCommand({
  name: 'subscription',
  summary: 'Plan, orders used and left, top-ups, billing details and invoices; top up, upgrade, automatic top-up',
  usage: USAGE,
  help: [
    "Without words, shows the plan and this period's orders. Buttons: *Top up* buys extra orders for this period, *Upgrade plan* changes the plan (an upgrade applies at once and its price difference for the rest of the period is invoiced; a downgrade applies from the next period), *Automatic top-up* on or off.",
    `• \`${AUTO_TOP_UP_USAGE}\` — what automatic top-up buys when the orders run out: which pack, and at most how many packs a period (0–${MAX_AUTO_TOP_UPS_PER_PERIOD}). E.g. \`/iex subscription autotopup on --pack 500 --max 3\`.`,
    `• \`${BILLING_USAGE}\` — the details invoices are made out to. Put a value with spaces in double quotes: \`/iex subscription billing --company "Shop ApS" --address "Storegade 1, 8000 Aarhus C" --vat DK12345678 --email finance@shop.dk\`; \`--address ""\` clears one.`,
    `• \`${INVOICE_USAGE}\` — one invoice with its lines, net amount, VAT ${VAT_PERCENT} % and total; \`/iex subscription invoices\` lists them all.`,
    'Changing anything needs an admin.',
  ].join('\n'),
  role: 'viewer',
  words: [
    word.text('action', 'Automatic top-up or billing details (admins), one invoice, or all invoices', {
      choices: ['autotopup', 'billing', 'invoice', 'invoices'],
    }),
    word.text('state', 'autotopup: on or off', { choices: ['on', 'off'] }),
    word.text('number', 'invoice: the invoice number, e.g. IEX-20261120-3AB7D8'),
  ],
  positional: z.array(z.string()).max(2, 'at most two words, e.g. `autotopup on` or `invoice NUMBER`'),
  // Lenient on purpose: which options go with which word is checked in `run`, with a better message.
  flags: {
    pack: flag.integer('autotopup: the pack it buys', { schema: flagValue, choices: packChoices }),
    max: flag.integer('autotopup: at most this many packs a period', {
      schema: flagValue,
      min: 0,
      max: MAX_AUTO_TOP_UPS_PER_PERIOD,
    }),
    company: flag.text('billing: the company invoices are made out to', { schema: flagValue }),
    vat: flag.text('billing: VAT number, e.g. DK12345678', { schema: flagValue }),
    email: flag.text('billing: the e-mail address invoices go to', { schema: flagValue }),
    address: flag.text('billing: the postal address', { schema: flagValue }),
  },
  verbs: {
    autotopup: { role: 'admin', doing: 'change automatic top-up' },
    billing: { role: 'admin', doing: 'change the billing details' },
  },
  effects: subscriptionSettingEffects,
  async run(ctx, { _: words, ...flags }) {
    const [word, value] = words;
    const given = (names: readonly string[]) =>
      Object.entries(flags)
        .filter(([name, flag]) => flag !== undefined && !names.includes(name))
        .map(([name]) => `--${name}`);
    const refuseOthers = (names: readonly string[], usage: string) => {
      const others = given(names);
      if (others.length)
        throw new UserError('bad_input', `${others.join(', ')} does not go with this. Usage: \`${usage}\``);
    };
    switch (word?.toLowerCase()) {
      case undefined:
        refuseOthers([], USAGE);
        return subscriptionReply(ctx);
      case 'autotopup':
        refuseOthers(['pack', 'max'], AUTO_TOP_UP_USAGE);
        return changeAutoTopUp(ctx, autoTopUpChange(value, flags), false);
      case 'billing':
        refuseOthers(['company', 'vat', 'email', 'address'], BILLING_USAGE);
        if (value !== undefined)
          throw new UserError(
            'bad_input',
            `\`${value}\` is not an option. Put a value with spaces in double quotes, e.g. --company "Shop ApS". Usage: \`${BILLING_USAGE}\``,
          );
        return changeBillingDetails(ctx, billingChange(flags));
      case 'invoice':
        refuseOthers([], INVOICE_USAGE);
        return showInvoice(ctx, value);
      case 'invoices':
        refuseOthers([], USAGE);
        if (value !== undefined)
          throw new UserError('bad_input', `\`invoices\` takes no more words. Usage: \`${USAGE}\``);
        return invoicesReply(ctx, 1, false);
      default:
        throw new UserError('bad_input', `\`${word}\` is not part of \`/iex subscription\`. Usage: \`${USAGE}\``);
    }
  },
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

type Upgraded = Extract<PlanChange, { kind: 'upgraded' }>;

function upgradeSummary(change: Upgraded, plan: Plan, releasedHold: boolean): string {
  const { charge } = change;
  if (charge && !charge.created) {
    return `Already upgraded to *${plan.name}* on invoice \`${charge.invoiceNumber}\` (${formatDkk(charge.totalOre)} incl. VAT). Nothing was charged again.`;
  }
  return (
    `Upgraded from ${planName(change.from)} to *${plan.name}*: ${formatOrders(plan.includedOrders)} a month, counting from this period, for ${monthly(plan.priceOre)}.` +
    (charge
      ? ` Invoice \`${charge.invoiceNumber}\`: ${charge.description}, ${formatDkk(charge.netOre)} + VAT ${formatDkk(charge.vatOre)} = ${formatDkk(charge.totalOre)}.`
      : '') +
    (releasedHold ? ' Orders held because the allowance was used up are released.' : '')
  );
}

interface PlanChanged {
  plan: Plan;
  change: PlanChange;
}

const planDetails = (from: unknown, plan: Plan) => ({
  from,
  to: plan.code,
  includedOrders: plan.includedOrders,
  priceOre: plan.priceOre,
});

/**
 * A plan change audits what it did; an upgrade with a new invoice is a purchase, whose audit entry
 * came with its invoice, so it is announced only. A second click that found the upgrade's invoice
 * already issued changed nothing new.
 */
const planEffects = {
  audit: (_values: unknown, { plan, change }: PlanChanged) => {
    const target = plan.code;
    switch (change.kind) {
      case 'upgraded':
        return change.charge
          ? undefined
          : { action: 'subscription.upgrade', target, details: planDetails(change.from, plan) };
      case 'scheduled':
        return {
          action: 'subscription.downgrade',
          target,
          details: { ...planDetails(change.from, plan), effectiveAt: change.effectiveAt.toISOString() },
        };
      case 'cancelled':
        return {
          action: 'subscription.change.cancel',
          target,
          details: { dropped: change.dropped, current: change.current },
        };
      default:
        return undefined;
    }
  },
  announce: (_values: unknown, { plan, change }: PlanChanged) => {
    if (change.kind !== 'upgraded' || !change.charge?.created) return undefined;
    const { charge } = change;
    return {
      action: 'subscription.upgrade',
      target: plan.code,
      details: {
        ...planDetails(change.from, plan),
        invoiceNumber: charge.invoiceNumber,
        netOre: charge.netOre,
        vatOre: charge.vatOre,
        totalOre: charge.totalOre,
      },
    };
  },
};

const changePlanAction = defineAction({
  id: 'subscription.plan',
  role: 'admin',
  values: z.object({ code: z.string().min(1) }),
  effects: planEffects,
  async run(ctx, { code }) {
    const plan = findPlan(code);
    if (!plan) throw new UserError('not_found', 'That plan is no longer offered. Run `/iex subscription` again.');
    const change = await ctx.ports.billing.changePlan(ctx.tenantId, plan, ctx.caller, ctx.now);
    if (!change) throw new UserError('not_found', NO_SUBSCRIPTION);
    let summary: string;
    switch (change.kind) {
      case 'upgraded':
        summary = upgradeSummary(change, plan, change.releasedHold);
        break;
      case 'scheduled':
        summary = `Your plan changes from ${planName(change.from)} to *${plan.name}* on ${firstDayOf(change.period)} (${formatOrders(plan.includedOrders)} a month, ${monthly(plan.priceOre)}). Until then you keep ${planName(change.from)}.`;
        break;
      case 'cancelled':
        summary = `The change to ${planName(change.dropped)} is cancelled: you stay on *${planName(change.current)}*.`;
        break;
      case 'unchanged':
        return subscriptionReply(ctx, {
          summary: `You are already on *${planName(change.current)}*.`,
          replaceOriginal: true,
        });
    }
    return changed(await subscriptionReply(ctx, { summary, replaceOriginal: true }), { plan, change });
  },
});

export const subscriptionActions = [
  showSubscriptionAction,
  choosePlanAction,
  changePlanAction,
  autoTopUpAction,
  invoicesAction,
];
