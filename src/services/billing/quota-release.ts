import type { Actor, Command } from '../../domain/commands';
import type { EventProducer } from '../../kafka/producer';
import type { Models } from '../../store';
import { releaseHeld } from '../transfers/release-held';
import { readAllowance } from './quota-check';
import { holdInForce, recordRelease } from './quota-hold';

/**
 * After the allowance was raised by hand (a top-up, an upgrade, auto top-up switched on): when the
 * period's orders are held because it was used up (checkQuota sent `orders.hold`) and there is
 * room again, tells the engines to release them, retries the transfers held for the quota and
 * records the hold as released, so that the next overrun holds them again.
 * Without this, a shop whose engine holds its orders would wait for an order that never comes.
 *
 * @returns whether a hold was released.
 */
export async function releaseQuotaHold(
  deps: { models: Models; producer: EventProducer },
  tenantId: string,
  period: string,
  actor: Actor,
  now: Date,
): Promise<boolean> {
  const { models, producer } = deps;
  const subscription = await models.Subscription.findOne({ tenantId }, { quotaHold: 1 }).lean();
  const hold = subscription && (await holdInForce(models, tenantId, period, subscription.quotaHold));
  if (!hold) return false;
  const allowance = await readAllowance(models, tenantId, period);
  if (!allowance || allowance.used >= allowance.allowance) return false;
  const command: Command = {
    type: 'orders.release',
    // One release per allowance: a repeated call for the same raise is recognisable as the same.
    id: `orders.release:${tenantId}:${period}:${allowance.allowance}`,
    tenantId,
    issuedAt: now.toISOString(),
    actor,
    period,
    reason: `the allowance of ${period} is raised to ${allowance.allowance} orders (${allowance.used} used)`,
  };
  await producer.sendJson('commands', [{ key: tenantId, value: command }]);
  await releaseHeld(deps, { tenantId, reasons: ['quota_exceeded'] }, actor, now);
  // Last: a crash before it releases again on the next raise, which changes nothing held.
  await recordRelease(models, tenantId, period, hold, now);
  return true;
}
