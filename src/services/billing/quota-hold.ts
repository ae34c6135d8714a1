import { quotaGroupKey } from '../../domain/alerts';
import type { Models } from '../../store';
import type { Subscription } from '../../store/models';

/**
 * Whether a period's orders are held because its allowance was used up, kept on the subscription
 * (`quotaHold`). One hold per allowance: after a raise released the orders, an overrun of the new
 * allowance holds them again, with an alert of its own.
 */

/** The alert group of the overrun of one allowance: one message per overrun. */
export const exceededGroupKey = (tenantId: string, period: string, allowance: number) =>
  quotaGroupKey(tenantId, period, `exceeded-${allowance}`);

/** What an earlier version called the one overrun alert it raised per period. */
const legacyExceededGroupKey = (tenantId: string, period: string) => quotaGroupKey(tenantId, period, 'exceeded');

export interface HoldInForce {
  /** The allowance that was used up; undefined for a hold an earlier version made. */
  allowance: number | undefined;
}

/** The hold in force on the period's orders, given the subscription's `quotaHold`. */
export async function holdInForce(
  models: Pick<Models, 'AlertState'>,
  tenantId: string,
  period: string,
  quotaHold: Subscription['quotaHold'],
): Promise<HoldInForce | undefined> {
  if (quotaHold?.period === period) {
    return quotaHold.releasedAt ? undefined : { allowance: quotaHold.allowance ?? undefined };
  }
  // Held by an earlier version, which kept only its alert state: held until a raise releases it.
  const legacy = await models.AlertState.exists({ tenantId, groupKey: legacyExceededGroupKey(tenantId, period) });
  return legacy ? { allowance: undefined } : undefined;
}

/**
 * Records that the period's orders are held since `allowance` was used up. A check that read an
 * older allowance (another partition's recorder, at the same time) does not replace a hold of a
 * higher one.
 */
export async function recordHold(
  models: Pick<Models, 'Subscription'>,
  tenantId: string,
  period: string,
  allowance: number,
  now: Date,
): Promise<void> {
  await models.Subscription.updateOne(
    {
      tenantId,
      $or: [
        { quotaHold: { $exists: false } },
        { 'quotaHold.period': { $ne: period } },
        { 'quotaHold.allowance': { $lt: allowance } },
      ],
    },
    { $set: { quotaHold: { period, allowance, heldAt: now } } },
  );
}

/** Records that the hold is released; a hold made meanwhile (of a higher allowance) stays. */
export async function recordRelease(
  models: Pick<Models, 'Subscription'>,
  tenantId: string,
  period: string,
  hold: HoldInForce,
  now: Date,
): Promise<void> {
  if (hold.allowance === undefined) {
    await models.Subscription.updateOne(
      { tenantId, $or: [{ quotaHold: { $exists: false } }, { 'quotaHold.period': { $ne: period } }] },
      { $set: { quotaHold: { period, heldAt: now, releasedAt: now } } },
    );
    return;
  }
  await models.Subscription.updateOne(
    { tenantId, 'quotaHold.period': period, 'quotaHold.allowance': hold.allowance },
    { $set: { 'quotaHold.releasedAt': now } },
  );
}
