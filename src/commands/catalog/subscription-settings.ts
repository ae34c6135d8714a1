import { z } from 'zod';
import { parseRecipient } from '../../domain/notifications';
import { formatOrders, MAX_AUTO_TOP_UPS_PER_PERIOD, parseVatNumber, TOP_UP_PACKS } from '../../domain/plans';
import { changed as withChange, defineAction, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
import type { AutoTopUpPolicy, BillingDetails, BillingDetailsChange } from '../ports/billing';
import type { Reply } from '../../chat/reply';
import { BILLING_USAGE, NO_SUBSCRIPTION, subscriptionReply, timesAPeriod } from './subscription-section';
import { packOf } from './topup';

// `/iex subscription autotopup` and `billing`: admin-only, each change recorded and answered with the section.

export const PACK_CHOICES = TOP_UP_PACKS.map((pack) => pack.orders).join('|');
export const AUTO_TOP_UP_USAGE = `/iex subscription autotopup on|off [--pack ${PACK_CHOICES}] [--max N]`;

function policyText(policy: AutoTopUpPolicy): string {
  return `${formatOrders(policy.packOrders)} are added, at most ${timesAPeriod(policy.maxPerPeriod)}`;
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
  const result = await ctx.ports.billing.setAutoTopUp(ctx.tenantId, change, ctx.caller, ctx.now);
  if (!result) throw new UserError('not_found', NO_SUBSCRIPTION);
  const { before, after, packsBought, releasedHold } = result;
  const changed = (Object.keys(after) as Array<keyof AutoTopUpPolicy>).filter((key) => after[key] !== before[key]);
  if (changed.length === 0) {
    const summary = after.enabled
      ? `Automatic top-up is already on: when the orders run out, ${policyText(after)}.`
      : 'Automatic top-up is already off.';
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
  let summary = after.enabled
    ? `Automatic top-up is on: when the orders run out, ${policyText(after)}.`
    : before.enabled
      ? 'Automatic top-up is off: when the orders run out, new orders are held until someone tops up with `/iex topup`.'
      : `Automatic top-up stays off; switched on, ${policyText(after)}.`;
  if (packsBought > 0) {
    summary += ` The period was over its allowance, so ${packsBought === 1 ? 'a pack was' : `${packsBought} packs were`} bought at once.`;
  }
  if (releasedHold) summary += ' Orders held because the allowance was used up are released.';
  return withChange(await subscriptionReply(ctx, { summary, replaceOriginal }), audited);
}

export function autoTopUpChange(
  state: string | undefined,
  flags: { pack?: string | undefined; max?: string | undefined },
): Partial<AutoTopUpPolicy> {
  const change: Partial<AutoTopUpPolicy> = {};
  if (state !== undefined) {
    const word = state.toLowerCase();
    if (word !== 'on' && word !== 'off')
      throw new UserError('bad_input', `\`${state}\`: say on or off. Usage: \`${AUTO_TOP_UP_USAGE}\``);
    change.enabled = word === 'on';
  }
  if (flags.pack !== undefined) change.packOrders = packOf(flags.pack).orders;
  if (flags.max !== undefined) {
    const max = /^\d{1,3}$/.test(flags.max) ? Number(flags.max) : NaN;
    if (!(max >= 0 && max <= MAX_AUTO_TOP_UPS_PER_PERIOD))
      throw new UserError(
        'bad_input',
        `--max: give a whole number from 0 to ${MAX_AUTO_TOP_UPS_PER_PERIOD} (automatic packs a period), not \`${flags.max}\`.`,
      );
    change.maxPerPeriod = max;
  }
  if (Object.keys(change).length === 0)
    throw new UserError('bad_input', `Say what to change. Usage: \`${AUTO_TOP_UP_USAGE}\``);
  return change;
}

const BILLING_LABELS: Record<keyof BillingDetails, string> = {
  company: 'company',
  vatNumber: 'VAT number',
  email: 'invoice e-mail',
  address: 'address',
};
const TEXT_LIMITS = { company: 100, address: 200 };
export function billingChange(flags: {
  company?: string | undefined;
  vat?: string | undefined;
  email?: string | undefined;
  address?: string | undefined;
}): BillingDetailsChange {
  const change: BillingDetailsChange = {};
  // An empty value ("") clears the field.
  const cleared = (value: string) => value.trim() === '';
  for (const field of ['company', 'address'] as const) {
    const value = flags[field];
    if (value === undefined) continue;
    const trimmed = value.trim().replace(/\s+/g, ' ');
    if (trimmed.length > TEXT_LIMITS[field])
      throw new UserError('bad_input', `--${field}: at most ${TEXT_LIMITS[field]} characters.`);
    change[field] = cleared(value) ? null : trimmed;
  }
  if (flags.vat !== undefined) {
    const vatNumber = cleared(flags.vat) ? null : parseVatNumber(flags.vat);
    if (vatNumber === undefined)
      throw new UserError(
        'bad_input',
        `--vat: \`${flags.vat}\` is not a VAT number; give the country prefix and 8–12 digits or letters, e.g. DK12345678.`,
      );
    change.vatNumber = vatNumber;
  }
  if (flags.email !== undefined) {
    if (cleared(flags.email)) change.email = null;
    else {
      const parsed = parseRecipient(flags.email, { platform: 'console' });
      if (!('kind' in parsed) || parsed.kind !== 'email')
        throw new UserError('bad_input', `--email: \`${flags.email}\` is not a valid e-mail address.`);
      change.email = parsed.target;
    }
  }
  if (Object.keys(change).length === 0)
    throw new UserError(
      'bad_input',
      `Give at least one of --company, --vat, --email, --address. Usage: \`${BILLING_USAGE}\``,
    );
  return change;
}

export async function changeBillingDetails(
  ctx: CommandContext,
  change: BillingDetailsChange,
): Promise<Reply | Outcome<SubscriptionSettingChange>> {
  const result = await ctx.ports.billing.setBillingDetails(ctx.tenantId, change);
  if (!result) throw new UserError('not_found', NO_SUBSCRIPTION);
  const { before, after } = result;
  const changed = (Object.keys(BILLING_LABELS) as Array<keyof BillingDetails>).filter(
    (field) => before[field] !== after[field],
  );
  if (changed.length === 0) return subscriptionReply(ctx, { summary: 'The billing details were already so.' });
  const audited: SubscriptionSettingChange = {
    kind: 'billing',
    details: { changed, ...Object.fromEntries(changed.map((field) => [field, after[field] ?? null])) },
  };
  const said = changed.map((field) =>
    after[field] === undefined ? `${BILLING_LABELS[field]} cleared` : `${BILLING_LABELS[field]} ${after[field]}`,
  );
  return withChange(await subscriptionReply(ctx, { summary: `Billing details changed: ${said.join('; ')}.` }), audited);
}

export const autoTopUpAction = defineAction({
  id: 'subscription.autotopup',
  role: 'admin',
  values: z.object({ on: z.enum(['0', '1']) }),
  effects: subscriptionSettingEffects,
  run: (ctx, { on }) => changeAutoTopUp(ctx, { enabled: on === '1' }, true),
});
