import { TOP_UP_ACTION } from '../../chat/alert-actions';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { periodName } from '../../domain/period-bounds';
import {
  findPack,
  formatDkk,
  formatOrders,
  TOP_UP_PACKS,
  VAT_PERCENT,
  withVat,
  type TopUpPack,
} from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
import { changed, defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import type { SubscriptionView, TopUpPurchase } from '../ports/billing';
import { actions, button, context, fields, header, reply, text, type Block, type Reply } from '../../chat/reply';
import { hasRole } from '../roles';
import { word } from '../options';

const PACK_SIZES = TOP_UP_PACKS.map((pack) => pack.orders.toLocaleString('en-US')).join(', ');

/** A purchase key: decided when the confirmation is shown, carried by its Buy button. */
const PURCHASE_KEY = /^[A-Za-z0-9_-]{12}$/;
const newPurchaseKey = () => randomBytes(9).toString('base64url');

/** The pack of `orders` orders, or a user error naming the packs there are. */
export function packOf(orders: string | number): TopUpPack {
  const pack = findPack(Number(String(orders).replace(/,/g, '')));
  if (!pack)
    throw new UserError('bad_input', `There is no pack of ${orders} orders; the packs are ${PACK_SIZES} orders.`);
  return pack;
}

async function subscriptionOf(ctx: CommandContext): Promise<SubscriptionView> {
  const view = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
  if (!view)
    throw new UserError(
      'not_found',
      'This integration has no subscription yet, so there is nothing to top up. Ask your IEX contact.',
    );
  return view;
}

const left = (view: SubscriptionView) => Math.max(0, view.allowance - view.used);

function packsReply(ctx: CommandContext, view: SubscriptionView, replaceOriginal: boolean): Reply {
  const lines = TOP_UP_PACKS.map((pack) => {
    const { vatOre, totalOre } = withVat(pack.priceOre);
    return `• *${formatOrders(pack.orders)}* — ${formatDkk(pack.priceOre)} + VAT ${formatDkk(vatOre)} = *${formatDkk(totalOre)}*`;
  });
  const mayBuy = hasRole(ctx.role, 'admin');
  const blocks: Block[] = [
    header('Top up orders'),
    text(
      `Extra orders for ${periodName(view.period)}, on top of the ${formatOrders(view.includedOrders)} your plan includes. ` +
        `${formatOrders(left(view))} left of ${view.allowance.toLocaleString('en-US')}.`,
    ),
    text(lines.join('\n')),
    actions(
      ...TOP_UP_PACKS.map((pack) =>
        button(formatOrders(pack.orders), encodeAction('topup.confirm', { pack: pack.orders })),
      ),
    ),
    context(
      mayBuy
        ? 'You confirm the price before anything is bought.'
        : `Only admins and the owner can buy; you are a ${ctx.role}.`,
    ),
  ];
  return reply(`Top-up packs: ${PACK_SIZES} orders`, blocks, { replaceOriginal });
}

function confirmationReply(view: SubscriptionView, pack: TopUpPack, replaceOriginal: boolean): Reply {
  const { netOre, vatOre, totalOre } = withVat(pack.priceOre);
  const what = `${formatOrders(pack.orders)} for ${periodName(view.period)}`;
  const blocks: Block[] = [
    header('Confirm the top-up'),
    text(`Buy *${what}*?`),
    fields([
      ['Price', formatDkk(netOre)],
      [`VAT ${VAT_PERCENT} %`, formatDkk(vatOre)],
      ['Total', `*${formatDkk(totalOre)}*`],
      [
        'Orders left after',
        `${(left(view) + pack.orders).toLocaleString('en-US')} of ${(view.allowance + pack.orders).toLocaleString('en-US')}`,
      ],
    ]),
    actions(
      button(
        `Buy for ${formatDkk(totalOre)}`,
        encodeAction('topup.buy', { pack: pack.orders, key: newPurchaseKey() }),
        { style: 'primary' },
      ),
      button('Choose another pack', encodeAction(TOP_UP_ACTION, { replace: 1 })),
    ),
    context('An invoice is issued at once. Clicking Buy twice buys once.'),
  ];
  return reply(`Buy ${what} for ${formatDkk(totalOre)} incl. VAT?`, blocks, { replaceOriginal });
}

export const topupCommand = defineCommand({
  name: 'topup',
  summary: 'Buy extra orders for this period: choose a pack, see the price with VAT, confirm',
  usage: '/iex topup [100|500|1000]',
  help: `Without a pack, shows the packs (${PACK_SIZES} orders) with their prices. With one, e.g. \`/iex topup 500\`, goes straight to the confirmation. Orders bought count for the current period. Buying needs an admin.`,
  role: 'viewer',
  words: [
    word.integer('pack', 'The pack to buy; leave out to see the packs and their prices', {
      choices: TOP_UP_PACKS.map((pack) => ({ name: formatOrders(pack.orders), value: pack.orders })),
    }),
  ],
  positional: z.array(z.string()).max(1, 'give at most one pack size'),
  async run(ctx, { _: [orders] }) {
    const pack = orders === undefined ? undefined : packOf(orders);
    const view = await subscriptionOf(ctx);
    // A viewer sees the packs and why they cannot buy, rather than a Buy button that refuses.
    return pack && hasRole(ctx.role, 'admin') ? confirmationReply(view, pack, false) : packsReply(ctx, view, false);
  },
});

/**
 * `replace=1` only from this bot's own answers to the caller: the Top up button of a quota alert
 * sits on a message the whole channel shares, which must stay as it is.
 */
const packsAction = defineAction({
  id: TOP_UP_ACTION,
  role: 'viewer',
  values: z.object({ replace: z.literal('1').optional() }),
  run: async (ctx, { replace }) => packsReply(ctx, await subscriptionOf(ctx), replace === '1'),
});

const confirmAction = defineAction({
  id: 'topup.confirm',
  role: 'admin',
  values: z.object({ pack: z.string() }),
  run: async (ctx, { pack }) => confirmationReply(await subscriptionOf(ctx), packOf(pack), true),
});

const buyAction = defineAction({
  id: 'topup.buy',
  role: 'admin',
  values: z.object({ pack: z.string(), key: z.string().regex(PURCHASE_KEY) }),
  effects: {
    // The purchase's audit entry came with its invoice; the engines are told here.
    announce: (_values, bought: TopUpPurchase) => ({
      action: 'topup.buy',
      target: bought.period,
      details: {
        orders: bought.orders,
        invoiceNumber: bought.invoiceNumber,
        netOre: bought.netOre,
        vatOre: bought.vatOre,
        totalOre: bought.totalOre,
      },
    }),
  },
  async run(ctx, { pack: orders, key }) {
    const pack = packOf(orders);
    const bought = await ctx.ports.billing.buyTopUp(ctx.tenantId, { pack, key, caller: ctx.caller, now: ctx.now });
    if (!bought) throw new UserError('not_found', 'This integration has no subscription, so nothing was bought.');
    const what = `${formatOrders(bought.orders)} for ${periodName(bought.period)}`;
    const invoice = `invoice \`${bought.invoiceNumber}\``;
    const back = actions(button('Subscription', encodeAction('subscription.show')));
    if (!bought.created) {
      const summary = `Already bought: ${what} on ${invoice} (${formatDkk(bought.totalOre)} incl. VAT). Nothing was charged again.`;
      return reply(summary, [text(summary), back], { replaceOriginal: true });
    }
    const after = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
    const summary =
      `Bought ${what}: ${invoice}, ${formatDkk(bought.netOre)} + VAT ${formatDkk(bought.vatOre)} = ${formatDkk(bought.totalOre)}.` +
      (after && after.period === bought.period
        ? ` ${formatOrders(left(after))} left of ${after.allowance.toLocaleString('en-US')} this period.`
        : '') +
      (bought.releasedHold ? ' Orders held because the allowance was used up are released.' : '');
    return changed(reply(summary, [text(summary), back], { replaceOriginal: true }), bought);
  },
});

export const topupActions = [packsAction, confirmAction, buyAction];
