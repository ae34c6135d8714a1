import { TOP_UP_ACTION } from '../../chat/alert-actions';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { findPack, TOP_UP_PACKS, VAT_PERCENT, withVat, type TopUpPack } from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
import { changed, defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import type { SubscriptionView, TopUpPurchase } from '../ports/billing';
import { actions, button, context, fields, header, reply, text, type Block, type Reply } from '../../chat/reply';
import { hasRole } from '../roles';
import { word } from '../options';
import { orders } from './subscription-section';

/** "100, 500 and 1,000" / "100, 500 og 1.000". */
const packSizes = (t: Translator) => t.list(TOP_UP_PACKS.map((pack) => t.number(pack.orders)));

/** A purchase key: decided when the confirmation is shown, carried by its Buy button. */
const PURCHASE_KEY = /^[A-Za-z0-9_-]{12}$/;
const newPurchaseKey = () => randomBytes(9).toString('base64url');

/** The pack of `orders` orders, or a user error naming the packs there are. */
export function packOf(t: Translator, count: string | number): TopUpPack {
  const pack = findPack(Number(String(count).replace(/,/g, '')));
  if (!pack) throw new UserError('bad_input', t.t('topup.noSuchPack', { orders: count, sizes: packSizes(t) }));
  return pack;
}

async function subscriptionOf(ctx: CommandContext): Promise<SubscriptionView> {
  const view = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
  if (!view) throw new UserError('not_found', ctx.t.t('topup.noSubscription'));
  return view;
}

const left = (view: SubscriptionView) => Math.max(0, view.allowance - view.used);

function packsReply(ctx: CommandContext, view: SubscriptionView, replaceOriginal: boolean): Reply {
  const { t } = ctx;
  const lines = TOP_UP_PACKS.map((pack) => {
    const { vatOre, totalOre } = withVat(pack.priceOre);
    return t.t('topup.packLine', {
      orders: orders(t, pack.orders),
      price: t.money(pack.priceOre),
      vat: t.money(vatOre),
      total: t.money(totalOre),
    });
  });
  const mayBuy = hasRole(ctx.role, 'admin');
  const blocks: Block[] = [
    header(t.t('topup.title')),
    text(
      t.t('topup.intro', {
        period: t.period(view.period),
        included: orders(t, view.includedOrders),
        left: orders(t, left(view)),
        allowance: t.number(view.allowance),
      }),
    ),
    text(lines.join('\n')),
    actions(
      ...TOP_UP_PACKS.map((pack) =>
        button(orders(t, pack.orders), encodeAction('topup.confirm', { pack: pack.orders })),
      ),
    ),
    context(mayBuy ? t.t('topup.confirmFirst') : t.t('topup.onlyAdmins', { role: ctx.role })),
  ];
  return reply(t.t('topup.packsFallback', { sizes: packSizes(t) }), blocks, { replaceOriginal });
}

function confirmationReply(t: Translator, view: SubscriptionView, pack: TopUpPack, replaceOriginal: boolean): Reply {
  const { netOre, vatOre, totalOre } = withVat(pack.priceOre);
  const what = t.t('topup.what', { orders: orders(t, pack.orders), period: t.period(view.period) });
  const blocks: Block[] = [
    header(t.t('topup.confirmTitle')),
    text(t.t('topup.confirmQuestion', { what })),
    fields([
      [t.t('topup.field.price'), t.money(netOre)],
      [t.t('topup.field.vat', { percent: VAT_PERCENT }), t.money(vatOre)],
      [t.t('topup.field.total'), `*${t.money(totalOre)}*`],
      [
        t.t('topup.field.leftAfter'),
        t.t('topup.leftOf', {
          left: t.number(left(view) + pack.orders),
          allowance: t.number(view.allowance + pack.orders),
        }),
      ],
    ]),
    actions(
      button(
        t.t('topup.buyFor', { total: t.money(totalOre) }),
        encodeAction('topup.buy', { pack: pack.orders, key: newPurchaseKey() }),
        { style: 'primary' },
      ),
      button(t.t('topup.anotherPack'), encodeAction(TOP_UP_ACTION, { replace: 1 })),
    ),
    context(t.t('topup.onceOnly')),
  ];
  return reply(t.t('topup.confirmFallback', { what, total: t.money(totalOre) }), blocks, { replaceOriginal });
}

export const topupCommand = defineCommand({
  name: 'topup',
  summary: 'topup.summary',
  usage: '/iex topup [100|500|1000]',
  help: 'topup.help',
  role: 'viewer',
  words: [
    word.integer('pack', 'topup.opt.pack', {
      // Plain numbers: a choice's name is shown as it is, in whatever language the reader has.
      choices: TOP_UP_PACKS.map((pack) => ({ name: String(pack.orders), value: pack.orders })),
    }),
  ],
  positional: z.array(z.string()).max(1, 'topup.arg.onePack'),
  async run(ctx, { _: [count] }) {
    const pack = count === undefined ? undefined : packOf(ctx.t, count);
    const view = await subscriptionOf(ctx);
    // A viewer sees the packs and why they cannot buy, rather than a Buy button that refuses.
    return pack && hasRole(ctx.role, 'admin')
      ? confirmationReply(ctx.t, view, pack, false)
      : packsReply(ctx, view, false);
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
  run: async (ctx, { pack }) => confirmationReply(ctx.t, await subscriptionOf(ctx), packOf(ctx.t, pack), true),
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
  async run(ctx, { pack: count, key }) {
    const { t } = ctx;
    const pack = packOf(t, count);
    const bought = await ctx.ports.billing.buyTopUp(ctx.tenantId, { pack, key, caller: ctx.caller, now: ctx.now });
    if (!bought) throw new UserError('not_found', t.t('topup.nothingBought'));
    const what = t.t('topup.what', { orders: orders(t, bought.orders), period: t.period(bought.period) });
    const back = actions(button(t.t('topup.subscription'), encodeAction('subscription.show')));
    if (!bought.created) {
      const summary = t.t('topup.alreadyBought', {
        what,
        invoice: bought.invoiceNumber,
        total: t.money(bought.totalOre),
      });
      return reply(summary, [text(summary), back], { replaceOriginal: true });
    }
    const after = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
    const summary = [
      t.t('topup.bought', {
        what,
        invoice: bought.invoiceNumber,
        net: t.money(bought.netOre),
        vat: t.money(bought.vatOre),
        total: t.money(bought.totalOre),
      }),
      ...(after && after.period === bought.period
        ? [t.t('topup.leftThisPeriod', { left: orders(t, left(after)), allowance: t.number(after.allowance) })]
        : []),
      ...(bought.releasedHold ? [t.t('subscription.releasedHold')] : []),
    ].join(' ');
    return changed(reply(summary, [text(summary), back], { replaceOriginal: true }), bought);
  },
});

export const topupActions = [packsAction, confirmAction, buyAction];
