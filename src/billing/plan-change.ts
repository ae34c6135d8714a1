import { nextPeriod, periodStartsAt } from '../domain/period-bounds';
import { dayAndPeriod } from '../domain/periods';
import { findPlan, planChangeKind, type Plan, type PlanChange } from '../domain/plans';
import { DEFAULT_TIMEZONE, type Models } from '../store';

type PlanModels = Pick<Models, 'Subscription' | 'Tenant'>;

/**
 * Moves a subscription to another plan. An upgrade applies at once: its included orders count for
 * the current period. A downgrade waits for the next period (`pendingPlan`), so this period keeps
 * what it was promised. Choosing the current plan while a change waits drops that change.
 * Undefined when the tenant has no subscription.
 */
export async function changePlan(
  models: PlanModels,
  tenantId: string,
  plan: Plan,
  now: Date,
): Promise<PlanChange | undefined> {
  const subscription = await models.Subscription.findOne({ tenantId }).lean();
  if (!subscription) return undefined;
  const kind = planChangeKind({ code: subscription.plan, includedOrders: subscription.includedOrders }, plan);
  if (kind === 'same') {
    if (!subscription.pendingPlan) return { kind: 'unchanged', current: subscription.plan };
    await models.Subscription.updateOne({ tenantId }, { $unset: { pendingPlan: 1 } });
    return { kind: 'cancelled', dropped: subscription.pendingPlan.plan, current: subscription.plan };
  }
  if (kind === 'upgrade') {
    await models.Subscription.updateOne(
      { tenantId },
      { $set: { plan: plan.code, includedOrders: plan.includedOrders }, $unset: { pendingPlan: 1 } },
    );
    return { kind: 'upgraded', from: subscription.plan, to: plan };
  }
  const tenant = await models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean();
  const timezone = tenant?.timezone ?? DEFAULT_TIMEZONE;
  const period = nextPeriod(dayAndPeriod(now, timezone).period);
  const effectiveAt = periodStartsAt(period, timezone);
  await models.Subscription.updateOne({ tenantId }, { $set: { pendingPlan: { plan: plan.code, effectiveAt } } });
  return { kind: 'scheduled', from: subscription.plan, to: plan, period, effectiveAt };
}

/**
 * Applies plan changes whose period has begun (one tenant, or every tenant for a period-roll
 * job). Safe to repeat: an applied change is no longer pending. A pending plan that left the
 * catalogue is dropped rather than applied with unknown terms.
 *
 * @returns the tenants whose plan changed.
 */
export async function applyDuePlanChanges(
  models: Pick<Models, 'Subscription'>,
  now: Date,
  tenantId?: string,
): Promise<string[]> {
  const due = await models.Subscription.find(
    { ...(tenantId ? { tenantId } : {}), 'pendingPlan.effectiveAt': { $lte: now } },
    { tenantId: 1, pendingPlan: 1 },
  ).lean();
  const changed: string[] = [];
  for (const subscription of due) {
    const pending = subscription.pendingPlan;
    if (!pending) continue;
    const plan = findPlan(pending.plan);
    // Matching the pending plan too: a change made meanwhile (an upgrade) is not overwritten.
    const filter = { tenantId: subscription.tenantId, 'pendingPlan.plan': pending.plan };
    if (!plan) {
      await models.Subscription.updateOne(filter, { $unset: { pendingPlan: 1 } });
      continue;
    }
    const result = await models.Subscription.updateOne(filter, {
      $set: { plan: plan.code, includedOrders: plan.includedOrders, periodStart: pending.effectiveAt },
      $unset: { pendingPlan: 1 },
    });
    if (result.modifiedCount > 0) changed.push(subscription.tenantId);
  }
  return changed;
}
