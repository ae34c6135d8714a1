import { TOP_UP_ACTION } from '../../chat/alert-actions';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
import type { CommandContext } from '../define';
import { UserError } from '../errors';
import type { SubscriptionView } from '../ports/billing';
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
} from '../../chat/reply';
import { INVOICE_USAGE, invoiceLines } from './subscription-invoices';

// What `/iex subscription` shows: every change to the subscription answers with it, so it stands apart.

// The section shows it under the billing details, so it lives here rather than with the parser.
export const BILLING_USAGE = '/iex subscription billing [--company "…"] [--vat DK12345678] [--email …] [--address "…"]';

export const noSubscription = (t: Translator) => t.t('subscription.none');

/** "2,000 orders" / "2.000 ordrer". */
export const orders = (t: Translator, count: number) => t.t('common.orders', { count });
/** "DKK 499.00 a month excl. VAT" / "499,00 kr. om måneden ekskl. moms". */
export const monthly = (t: Translator, priceOre: number) => t.t('subscription.monthly', { price: t.money(priceOre) });
/** "1 December 2026" / "1. december 2026": the day a period begins, as people read it. */
export const firstDayOf = (t: Translator, period: string) => t.date(new Date(`${period}-01T12:00:00Z`), 'UTC');
export const timesAPeriod = (t: Translator, count: number) => t.t('subscription.timesAPeriod', { count });

function autoTopUpText(t: Translator, { autoTopUp, topUps }: SubscriptionView): string {
  const values = { pack: orders(t, autoTopUp.packOrders), times: timesAPeriod(t, autoTopUp.maxPerPeriod) };
  return autoTopUp.enabled
    ? t.t('subscription.autoTopUpOn', { ...values, price: t.money(autoTopUp.packPriceOre), bought: topUps.automatic })
    : t.t('subscription.autoTopUpOff', values);
}

function autoTopUpButton(t: Translator, view: SubscriptionView): Button {
  if (view.autoTopUp.enabled) {
    return button(t.t('subscription.button.autoOff'), encodeAction('subscription.autotopup', { on: 0 }), {
      style: 'danger',
      confirm: {
        title: t.t('subscription.confirm.autoOff.title'),
        text: t.t('subscription.confirm.autoOff.text'),
        confirm: t.t('subscription.confirm.autoOff.confirm'),
        deny: t.t('common.cancel'),
      },
    });
  }
  const over = view.used > view.allowance;
  return button(t.t('subscription.button.autoOn'), encodeAction('subscription.autotopup', { on: 1 }), {
    ...(over
      ? {
          confirm: {
            title: t.t('subscription.confirm.autoOn.title'),
            text: t.t('subscription.confirm.autoOn.text', {
              over: orders(t, view.used - view.allowance),
              pack: orders(t, view.autoTopUp.packOrders),
            }),
            confirm: t.t('subscription.confirm.autoOn.confirm'),
            deny: t.t('common.cancel'),
          },
        }
      : {}),
  });
}

/** The Subscription section as blocks. */
export function subscriptionBlocks(t: Translator, view: SubscriptionView): Block[] {
  const { plan, used, allowance, topUps } = view;
  const over = used - allowance;
  const topUpsText =
    topUps.count === 0
      ? t.t('subscription.topUpsNone')
      : t.t(topUps.automatic ? 'subscription.topUpsAutomatic' : 'subscription.topUps', {
          count: topUps.count,
          orders: orders(t, topUps.orders),
          automatic: topUps.automatic,
        });
  const blocks: Block[] = [
    header(t.t('subscription.title', { plan: plan.name })),
    fields([
      [
        t.t('subscription.field.plan'),
        t.t('subscription.planValue', {
          plan: plan.name,
          price: plan.priceOre === undefined ? t.t('subscription.customAgreement') : monthly(t, plan.priceOre),
        }),
      ],
      [t.t('subscription.field.included'), t.t('subscription.aMonth', { orders: orders(t, view.includedOrders) })],
      [t.t('subscription.field.used', { period: t.period(view.period) }), orders(t, used)],
      [t.t('subscription.field.topUps'), topUpsText],
      [
        t.t('subscription.field.remaining'),
        over > 0 ? t.t('subscription.remainingOver', { over: orders(t, over) }) : orders(t, allowance - used),
      ],
    ]),
    text(
      t.t('subscription.ordersUsed', {
        used: t.number(used),
        allowance: t.number(allowance),
        bar: bar(used, allowance),
      }),
    ),
  ];
  if (view.pendingPlan) {
    blocks.push(
      text(
        t.t('subscription.pendingChange', {
          plan: view.pendingPlan.name,
          day: firstDayOf(t, view.pendingPlan.period),
        }),
      ),
    );
  }
  blocks.push(text(autoTopUpText(t, view)), divider(), text(t.t('subscription.billingTitle')));
  const billing: Array<[string, string]> = [
    [t.t('subscription.billing.company'), view.billing.company],
    [t.t('subscription.billing.vatNumber'), view.billing.vatNumber],
    [t.t('subscription.billing.email'), view.billing.email],
    [t.t('subscription.billing.address'), view.billing.address],
  ].filter((entry): entry is [string, string] => Boolean(entry[1]));
  blocks.push(
    billing.length ? fields(billing) : context(t.t('subscription.noBilling')),
    context(t.t('subscription.changeBilling', { usage: BILLING_USAGE })),
    divider(),
    text(t.t('subscription.latestInvoices')),
  );
  blocks.push(view.invoices.length ? text(invoiceLines(t, view.invoices)) : context(t.t('subscription.noInvoices')));
  if (view.invoices.length) blocks.push(context(t.t('subscription.oneInFull', { usage: INVOICE_USAGE })));
  const buttons: Button[] = [
    button(t.t('subscription.button.topUp'), encodeAction(TOP_UP_ACTION, { replace: 1 }), { style: 'primary' }),
    button(t.t('subscription.button.upgrade'), encodeAction('subscription.plans')),
    autoTopUpButton(t, view),
  ];
  if (view.invoiceCount > view.invoices.length) {
    buttons.push(
      button(
        t.t('subscription.button.allInvoices', { count: view.invoiceCount }),
        encodeAction('subscription.invoices', { page: 1 }),
      ),
    );
  }
  blocks.push(actions(...buttons));
  return blocks;
}

export async function currentSubscription(ctx: CommandContext): Promise<SubscriptionView> {
  const view = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
  if (!view) throw new UserError('not_found', noSubscription(ctx.t));
  return view;
}

/** The section, after a one-line summary of what just changed when there is one. */
export async function subscriptionReply(
  ctx: CommandContext,
  options: { summary?: string; replaceOriginal?: boolean } = {},
): Promise<Reply> {
  const { t } = ctx;
  const view = await currentSubscription(ctx);
  const status = t.t('subscription.fallback', {
    plan: view.plan.name,
    used: t.number(view.used),
    allowance: t.number(view.allowance),
    period: t.period(view.period),
  });
  const blocks = subscriptionBlocks(t, view);
  return reply(options.summary ?? status, options.summary ? [text(options.summary), ...blocks] : blocks, {
    replaceOriginal: options.replaceOriginal ?? false,
  });
}
