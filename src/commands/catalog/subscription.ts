import { z } from 'zod';
import { daysInPeriod, daysLeftInPeriod, nextPeriod } from '../../domain/period-bounds';
import {
  findPlan,
  MAX_AUTO_TOP_UPS_PER_PERIOD,
  PLANS,
  planChangeKind,
  TOP_UP_PACKS,
  upgradeCharge,
  withVat,
  type Plan,
  type PlanChange,
} from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
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
  noSubscription,
  orders,
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
function upgradeCost(t: Translator, view: SubscriptionView, plan: Plan): string | undefined {
  const from = findPlan(view.plan.code);
  const amountOre = from && upgradeCharge(from, plan, daysLeftInPeriod(view.day), daysInPeriod(view.period));
  if (!amountOre) return undefined;
  const { totalOre } = withVat(amountOre);
  return t.t('subscription.upgradeCost', {
    days: daysLeftInPeriod(view.day),
    period: t.period(view.period),
    net: t.money(amountOre),
    total: t.money(totalOre),
  });
}

function planButton(t: Translator, view: SubscriptionView, plan: Plan): Button {
  const current = { code: view.plan.code, includedOrders: view.includedOrders };
  const kind = planChangeKind(current, plan);
  const action = encodeAction('subscription.plan', { code: plan.code });
  const terms = { orders: orders(t, plan.includedOrders), monthly: monthly(t, plan.priceOre) };
  if (kind === 'same') return button(t.t('subscription.button.keep', { plan: plan.name }), action);
  if (kind === 'upgrade') {
    const cost = upgradeCost(t, view, plan);
    return button(t.t('subscription.button.upgradeTo', { plan: plan.name }), action, {
      style: 'primary',
      confirm: {
        title: t.t('subscription.confirm.upgrade.title', { plan: plan.name }),
        text: [t.t('subscription.confirm.upgrade.text', terms), ...(cost ? [cost] : [])].join(' '),
        confirm: t.t('subscription.confirm.upgrade.confirm'),
        deny: t.t('common.cancel'),
      },
    });
  }
  return button(t.t('subscription.button.downgradeTo', { plan: plan.name }), action, {
    confirm: {
      title: t.t('subscription.confirm.downgrade.title', { plan: plan.name }),
      text: t.t('subscription.confirm.downgrade.text', {
        ...terms,
        day: firstDayOf(t, nextPeriod(view.period)),
        current: orders(t, view.includedOrders),
      }),
      confirm: t.t('subscription.confirm.downgrade.confirm'),
      deny: t.t('common.cancel'),
    },
  });
}

function plansReply(t: Translator, view: SubscriptionView): Reply {
  const lines = PLANS.map((plan) => {
    const line = t.t('subscription.planLine', {
      plan: plan.name,
      orders: orders(t, plan.includedOrders),
      monthly: monthly(t, plan.priceOre),
    });
    return plan.code === view.plan.code ? t.t('subscription.yourPlan', { line }) : line;
  });
  const choices = PLANS.filter((plan) => plan.code !== view.plan.code || view.pendingPlan).map((plan) =>
    planButton(t, view, plan),
  );
  const blocks: Block[] = [
    header(t.t('subscription.plansTitle')),
    text(t.t('subscription.youAreOn', { plan: view.plan.name, orders: orders(t, view.includedOrders) })),
    ...(view.pendingPlan
      ? [
          text(
            t.t('subscription.changeWaits', {
              plan: view.pendingPlan.name,
              day: firstDayOf(t, view.pendingPlan.period),
            }),
          ),
        ]
      : []),
    text(lines.join('\n')),
    context(t.t('subscription.plansHint', { day: firstDayOf(t, nextPeriod(view.period)) })),
    actions(...choices, button(t.t('subscription.back'), encodeAction('subscription.show'))),
  ];
  return reply(t.t('subscription.plansFallback', { plans: PLANS.map((plan) => plan.name).join(', ') }), blocks, {
    replaceOriginal: true,
  });
}

/** A flag's value; a bare `--pack` (no value) is refused with this. */
const flagValue = z.string({ error: 'subscription.arg.needsValue' }).optional();
// Plain numbers: a choice's name is shown as it is, in whatever language the reader has.
const packChoices = TOP_UP_PACKS.map((pack) => ({ name: String(pack.orders), value: pack.orders }));

export const subscriptionCommand = defineCommand({
  name: 'subscription',
  summary: 'subscription.summary',
  usage: USAGE,
  help: 'subscription.help',
  role: 'viewer',
  words: [
    word.text('action', 'subscription.opt.action', {
      choices: ['autotopup', 'billing', 'invoice', 'invoices'],
    }),
    word.text('state', 'subscription.opt.state', { choices: ['on', 'off'] }),
    word.text('number', 'subscription.opt.number'),
  ],
  positional: z.array(z.string()).max(2, 'subscription.arg.twoWords'),
  // Lenient on purpose: which options go with which word is checked in `run`, with a better message.
  flags: {
    pack: flag.integer('subscription.opt.pack', { schema: flagValue, choices: packChoices }),
    max: flag.integer('subscription.opt.max', {
      schema: flagValue,
      min: 0,
      max: MAX_AUTO_TOP_UPS_PER_PERIOD,
    }),
    company: flag.text('subscription.opt.company', { schema: flagValue }),
    vat: flag.text('subscription.opt.vat', { schema: flagValue }),
    email: flag.text('subscription.opt.email', { schema: flagValue }),
    address: flag.text('subscription.opt.address', { schema: flagValue }),
  },
  verbs: {
    autotopup: { role: 'admin', doing: 'subscription.doing.autotopup' },
    billing: { role: 'admin', doing: 'subscription.doing.billing' },
  },
  effects: subscriptionSettingEffects,
  async run(ctx, { _: words, ...flags }) {
    const { t } = ctx;
    const [word, value] = words;
    const given = (names: readonly string[]) =>
      Object.entries(flags)
        .filter(([name, flag]) => flag !== undefined && !names.includes(name))
        .map(([name]) => `--${name}`);
    const refuseOthers = (names: readonly string[], usage: string) => {
      const others = given(names);
      if (others.length)
        throw new UserError('bad_input', t.t('subscription.doesNotGo', { flags: others.join(', '), usage }));
    };
    switch (word?.toLowerCase()) {
      case undefined:
        refuseOthers([], USAGE);
        return subscriptionReply(ctx);
      case 'autotopup':
        refuseOthers(['pack', 'max'], AUTO_TOP_UP_USAGE);
        return changeAutoTopUp(ctx, autoTopUpChange(t, value, flags), false);
      case 'billing':
        refuseOthers(['company', 'vat', 'email', 'address'], BILLING_USAGE);
        if (value !== undefined)
          throw new UserError('bad_input', t.t('subscription.notAnOption', { value, usage: BILLING_USAGE }));
        return changeBillingDetails(ctx, billingChange(t, flags));
      case 'invoice':
        refuseOthers([], INVOICE_USAGE);
        return showInvoice(ctx, value);
      case 'invoices':
        refuseOthers([], USAGE);
        if (value !== undefined)
          throw new UserError('bad_input', t.t('subscription.invoicesNoWords', { usage: USAGE }));
        return invoicesReply(ctx, 1, false);
      default:
        throw new UserError('bad_input', t.t('subscription.notPart', { word: word ?? '', usage: USAGE }));
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
  run: async (ctx) => plansReply(ctx.t, await currentSubscription(ctx)),
});

type Upgraded = Extract<PlanChange, { kind: 'upgraded' }>;

function upgradeSummary(t: Translator, change: Upgraded, plan: Plan, releasedHold: boolean): string {
  const { charge } = change;
  if (charge && !charge.created) {
    return t.t('subscription.alreadyUpgraded', {
      plan: plan.name,
      invoice: charge.invoiceNumber,
      total: t.money(charge.totalOre),
    });
  }
  return [
    t.t('subscription.upgraded', {
      from: planName(change.from),
      plan: plan.name,
      orders: orders(t, plan.includedOrders),
      monthly: monthly(t, plan.priceOre),
    }),
    ...(charge
      ? [
          t.t('subscription.upgradeInvoice', {
            invoice: charge.invoiceNumber,
            description: charge.description,
            net: t.money(charge.netOre),
            vat: t.money(charge.vatOre),
            total: t.money(charge.totalOre),
          }),
        ]
      : []),
    ...(releasedHold ? [t.t('subscription.releasedHold')] : []),
  ].join(' ');
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
    const { t } = ctx;
    const plan = findPlan(code);
    if (!plan) throw new UserError('not_found', t.t('subscription.noSuchPlan'));
    const change = await ctx.ports.billing.changePlan(ctx.tenantId, plan, ctx.caller, ctx.now);
    if (!change) throw new UserError('not_found', noSubscription(t));
    let summary: string;
    switch (change.kind) {
      case 'upgraded':
        summary = upgradeSummary(t, change, plan, change.releasedHold);
        break;
      case 'scheduled':
        summary = t.t('subscription.scheduled', {
          from: planName(change.from),
          plan: plan.name,
          day: firstDayOf(t, change.period),
          orders: orders(t, plan.includedOrders),
          monthly: monthly(t, plan.priceOre),
        });
        break;
      case 'cancelled':
        summary = t.t('subscription.cancelled', {
          dropped: planName(change.dropped),
          current: planName(change.current),
        });
        break;
      case 'unchanged':
        return subscriptionReply(ctx, {
          summary: t.t('subscription.alreadyOn', { plan: planName(change.current) }),
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
