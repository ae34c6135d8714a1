import { TOP_UP_ACTION } from '../../chat/alert-actions';
import { periodName } from '../../domain/period-bounds';
import { formatDkk, formatOrders } from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
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

export const NO_SUBSCRIPTION = 'This integration has no subscription yet. Ask your IEX contact to set one up.';

export const monthly = (priceOre: number) => `${formatDkk(priceOre)} a month excl. VAT`;
/** "1 December 2026": the day a period begins, as people read it. */
export const firstDayOf = (period: string) => `1 ${periodName(period)}`;

function autoTopUpText({ autoTopUp, topUps }: SubscriptionView): string {
  if (!autoTopUp.enabled)
    return (
      '*Automatic top-up:* off — when the orders run out, new orders are held until someone tops up. ' +
      `Switched on, it adds ${formatOrders(autoTopUp.packOrders)} at a time, at most ${timesAPeriod(autoTopUp.maxPerPeriod)}.`
    );
  return (
    `*Automatic top-up:* on — when the orders run out, ${formatOrders(autoTopUp.packOrders)} are added for ` +
    `${formatDkk(autoTopUp.packPriceOre)} excl. VAT, at most ${timesAPeriod(autoTopUp.maxPerPeriod)} (${topUps.automatic} so far).`
  );
}

export const timesAPeriod = (count: number) => (count === 1 ? 'once a period' : `${count} times a period`);

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
    context(`Change them: \`${BILLING_USAGE}\``),
    divider(),
    text('*Latest invoices*'),
  );
  blocks.push(view.invoices.length ? text(invoiceLines(view.invoices)) : context('No invoices yet.'));
  if (view.invoices.length) blocks.push(context(`One in full: \`${INVOICE_USAGE}\``));
  const buttons: Button[] = [
    button('Top up', encodeAction(TOP_UP_ACTION, { replace: 1 }), { style: 'primary' }),
    button('Upgrade plan', encodeAction('subscription.plans')),
    autoTopUpButton(view),
  ];
  if (view.invoiceCount > view.invoices.length) {
    buttons.push(button(`All invoices (${view.invoiceCount})`, encodeAction('subscription.invoices', { page: 1 })));
  }
  blocks.push(actions(...buttons));
  return blocks;
}

export async function currentSubscription(ctx: CommandContext): Promise<SubscriptionView> {
  const view = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
  if (!view) throw new UserError('not_found', NO_SUBSCRIPTION);
  return view;
}

/** The section, after a one-line summary of what just changed when there is one. */
export async function subscriptionReply(
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
