import { z } from 'zod';
import { parseRecipient } from '../../domain/notifications';
import { MAX_AUTO_TOP_UPS_PER_PERIOD, parseVatNumber, TOP_UP_PACKS } from '../../domain/plans';
import type { Translator } from '../../i18n';
import { changed as withChange, defineAction, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
import type { AutoTopUpPolicy, BillingDetails, BillingDetailsChange } from '../ports/billing';
import type { Reply } from '../../chat/reply';
import { BILLING_USAGE, noSubscription, orders, subscriptionReply, timesAPeriod } from './subscription-section';
import { packOf } from './topup';

// `/iex subscription autotopup` and `billing`: admin-only, each change recorded and answered with the section.

export const PACK_CHOICES = TOP_UP_PACKS.map((pack) => pack.orders).join('|');
export const AUTO_TOP_UP_USAGE = `/iex subscription autotopup on|off [--pack ${PACK_CHOICES}] [--max N]`;

function policyText(t: Translator, policy: AutoTopUpPolicy): string {
  return t.t('subscription.policy', {
    pack: orders(t, policy.packOrders),
    times: timesAPeriod(t, policy.maxPerPeriod),
  });
}

/** A change of the subscription's settings, as it is audited and announced. */
export type SubscriptionSettingChange =
  | { kind: 'autotopup'; action: string; details: Record<string, unknown> }
  | { kind: 'billing'; details: Record<string, unknown> };

/** What `/iex subscription autotopup|billing` and the automatic top-up button audit. */
export const subscriptionSettingEffects = {
  audit: (_args: unknown, change: SubscriptionSettingChange) =>
    change.kind === 'autotopup'
      ? { action: change.action, target: 'autoTopUp', details: change.details }
      : { action: 'subscription.billing', target: 'billing', details: change.details },
};

/** Changes the policy (button or command) and says what it did; an unchanged policy is no change. */
export async function changeAutoTopUp(
  ctx: CommandContext,
  change: Partial<AutoTopUpPolicy>,
  replaceOriginal: boolean,
): Promise<Reply | Outcome<SubscriptionSettingChange>> {
  const { t } = ctx;
  const result = await ctx.ports.billing.setAutoTopUp(ctx.tenantId, change, ctx.caller, ctx.now);
  if (!result) throw new UserError('not_found', noSubscription(t));
  const { before, after, packsBought, releasedHold } = result;
  const changed = (Object.keys(after) as Array<keyof AutoTopUpPolicy>).filter((key) => after[key] !== before[key]);
  if (changed.length === 0) {
    const summary = after.enabled
      ? t.t('subscription.autoAlreadyOn', { policy: policyText(t, after) })
      : t.t('subscription.autoAlreadyOff');
    return subscriptionReply(ctx, { summary, replaceOriginal });
  }
  const action =
    before.enabled === after.enabled
      ? 'subscription.autotopup.policy'
      : after.enabled
        ? 'subscription.autotopup.on'
        : 'subscription.autotopup.off';
  const audited: SubscriptionSettingChange = {
    kind: 'autotopup',
    action,
    details: { ...after, changed, before, ...(packsBought ? { packsBought } : {}) },
  };
  const sentences = [
    after.enabled
      ? t.t('subscription.autoNowOn', { policy: policyText(t, after) })
      : before.enabled
        ? t.t('subscription.autoNowOff')
        : t.t('subscription.autoStaysOff', { policy: policyText(t, after) }),
    ...(packsBought > 0 ? [t.t('subscription.packsBought', { count: packsBought })] : []),
    ...(releasedHold ? [t.t('subscription.releasedHold')] : []),
  ];
  return withChange(await subscriptionReply(ctx, { summary: sentences.join(' '), replaceOriginal }), audited);
}

export function autoTopUpChange(
  t: Translator,
  state: string | undefined,
  flags: { pack?: string | undefined; max?: string | undefined },
): Partial<AutoTopUpPolicy> {
  const change: Partial<AutoTopUpPolicy> = {};
  if (state !== undefined) {
    const word = state.toLowerCase();
    if (word !== 'on' && word !== 'off')
      throw new UserError('bad_input', t.t('subscription.sayOnOff', { state, usage: AUTO_TOP_UP_USAGE }));
    change.enabled = word === 'on';
  }
  if (flags.pack !== undefined) change.packOrders = packOf(t, flags.pack).orders;
  if (flags.max !== undefined) {
    const max = /^\d{1,3}$/.test(flags.max) ? Number(flags.max) : NaN;
    if (!(max >= 0 && max <= MAX_AUTO_TOP_UPS_PER_PERIOD))
      throw new UserError(
        'bad_input',
        t.t('subscription.badMax', { max: MAX_AUTO_TOP_UPS_PER_PERIOD, value: flags.max }),
      );
    change.maxPerPeriod = max;
  }
  if (Object.keys(change).length === 0)
    throw new UserError('bad_input', t.t('subscription.sayWhat', { usage: AUTO_TOP_UP_USAGE }));
  return change;
}

const BILLING_FIELDS: ReadonlyArray<keyof BillingDetails> = ['company', 'vatNumber', 'email', 'address'];
const TEXT_LIMITS = { company: 100, address: 200 };
export function billingChange(
  t: Translator,
  flags: {
    company?: string | undefined;
    vat?: string | undefined;
    email?: string | undefined;
    address?: string | undefined;
  },
): BillingDetailsChange {
  const change: BillingDetailsChange = {};
  // An empty value ("") clears the field.
  const cleared = (value: string) => value.trim() === '';
  for (const field of ['company', 'address'] as const) {
    const value = flags[field];
    if (value === undefined) continue;
    const trimmed = value.trim().replace(/\s+/g, ' ');
    if (trimmed.length > TEXT_LIMITS[field])
      throw new UserError('bad_input', t.t('subscription.tooLong', { field, max: TEXT_LIMITS[field] }));
    change[field] = cleared(value) ? null : trimmed;
  }
  if (flags.vat !== undefined) {
    const vatNumber = cleared(flags.vat) ? null : parseVatNumber(flags.vat);
    if (vatNumber === undefined) throw new UserError('bad_input', t.t('subscription.badVat', { value: flags.vat }));
    change.vatNumber = vatNumber;
  }
  if (flags.email !== undefined) {
    if (cleared(flags.email)) change.email = null;
    else {
      const parsed = parseRecipient(flags.email, { platform: 'console' });
      if (!('kind' in parsed) || parsed.kind !== 'email')
        throw new UserError('bad_input', t.t('subscription.badEmail', { value: flags.email }));
      change.email = parsed.target;
    }
  }
  if (Object.keys(change).length === 0)
    throw new UserError('bad_input', t.t('subscription.giveOne', { usage: BILLING_USAGE }));
  return change;
}

export async function changeBillingDetails(
  ctx: CommandContext,
  change: BillingDetailsChange,
): Promise<Reply | Outcome<SubscriptionSettingChange>> {
  const { t } = ctx;
  const result = await ctx.ports.billing.setBillingDetails(ctx.tenantId, change);
  if (!result) throw new UserError('not_found', noSubscription(t));
  const { before, after } = result;
  const changed = BILLING_FIELDS.filter((field) => before[field] !== after[field]);
  if (changed.length === 0) return subscriptionReply(ctx, { summary: t.t('subscription.billingAlready') });
  const audited: SubscriptionSettingChange = {
    kind: 'billing',
    details: { changed, ...Object.fromEntries(changed.map((field) => [field, after[field] ?? null])) },
  };
  const said = changed.map((field) => {
    const name = t.t(`subscription.field.${field}`);
    const value = after[field];
    return value === undefined
      ? t.t('subscription.billingCleared', { field: name })
      : t.t('subscription.billingSet', { field: name, value });
  });
  return withChange(
    await subscriptionReply(ctx, { summary: t.t('subscription.billingChanged', { changes: said.join('; ') }) }),
    audited,
  );
}

export const autoTopUpAction = defineAction({
  id: 'subscription.autotopup',
  role: 'admin',
  values: z.object({ on: z.enum(['0', '1']) }),
  effects: subscriptionSettingEffects,
  run: (ctx, { on }) => changeAutoTopUp(ctx, { enabled: on === '1' }, true),
});
