import { timeZoneOf } from '../../domain/zoned-time';
import { daysInPeriod, daysLeftInPeriod, nextPeriod, periodStartsAt } from '../../domain/period-bounds';
import { dayAndPeriod } from '../../domain/periods';
import {
  findPlan,
  planChangeKind,
  upgradeCharge,
  invoiceLine,
  type Plan,
  type PlanChange,
  type UpgradeCharge,
} from '../../domain/plans';
import { type Models } from '../../store';
import type { Actor } from '../../domain/commands';
import { issueInvoice } from './invoices';
import { auditPurchase, type IssuedInvoice } from './purchase-audit';

type PlanModels = Pick<Models, 'Subscription' | 'Tenant' | 'Invoice' | 'AuditEntry'>;

/** Who changes the plan, for the audit entry of a charged upgrade. */
export interface PlanChanger {
  actor: Actor;
  /** The person's name as chat shows it. */
  by?: string;
}

/** One upgrade invoice per period and pair of plans, however often the upgrade is clicked or replayed. */
export const upgradeInvoiceKey = (period: string, from: string, to: string) => `upgrade:${period}:${from}:${to}`;

/**
 * Moves a subscription to another plan. An upgrade applies at once: its included orders count for
 * the current period, and the price difference for the days left (today included) is invoiced. A
 * downgrade waits for the next period (`pendingPlan`), so this period keeps what it was promised.
 * Choosing the current plan while a change waits drops that change. Undefined when the tenant has
 * no subscription.
 *
 * A charged upgrade is a purchase: its audit entry ('subscription.upgrade') comes from its invoice,
 * written here once the plan changed, or by the reconciliation (purchase-audit.ts). The caller
 * audits what is not a purchase: a downgrade, and an upgrade with nothing to charge.
 */
export async function changePlan(
  models: PlanModels,
  tenantId: string,
  plan: Plan,
  now: Date,
  changer: PlanChanger,
): Promise<PlanChange | undefined> {
  const subscription = await models.Subscription.findOne({ tenantId }).lean();
  if (!subscription) return undefined;
  const kind = planChangeKind({ code: subscription.plan, includedOrders: subscription.includedOrders }, plan);
  if (kind === 'same') {
    if (!subscription.pendingPlan) return { kind: 'unchanged', current: subscription.plan };
    await models.Subscription.updateOne({ tenantId }, { $unset: { pendingPlan: 1 } });
    return { kind: 'cancelled', dropped: subscription.pendingPlan.plan, current: subscription.plan };
  }
  const tenant = await models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean();
  const timezone = timeZoneOf(tenant?.timezone);
  const { day, period } = dayAndPeriod(now, timezone);
  if (kind === 'upgrade') {
    // Invoiced before the plan changes: a crash in between leaves a paid upgrade that the retry
    // completes without charging again, never an upgrade that was not paid for.
    const charged = await chargeUpgrade(models, tenantId, subscription.plan, plan, day, now, changer);
    await models.Subscription.updateOne(
      { tenantId },
      { $set: { plan: plan.code, includedOrders: plan.includedOrders }, $unset: { pendingPlan: 1 } },
    );
    if (charged) await auditPurchase(models, charged.invoice);
    const charge = charged?.charge;
    return { kind: 'upgraded', from: subscription.plan, to: plan, ...(charge ? { charge } : {}) };
  }
  const next = nextPeriod(period);
  const effectiveAt = periodStartsAt(next, timezone);
  await models.Subscription.updateOne({ tenantId }, { $set: { pendingPlan: { plan: plan.code, effectiveAt } } });
  return { kind: 'scheduled', from: subscription.plan, to: plan, period: next, effectiveAt };
}

async function chargeUpgrade(
  models: Pick<Models, 'Invoice' | 'Tenant'>,
  tenantId: string,
  fromCode: string,
  to: Plan,
  day: string,
  now: Date,
  changer: PlanChanger,
): Promise<{ charge: UpgradeCharge; invoice: IssuedInvoice } | undefined> {
  const from = findPlan(fromCode);
  const period = day.slice(0, 7);
  const [daysLeft, days] = [daysLeftInPeriod(day), daysInPeriod(period)];
  const amountOre = from && upgradeCharge(from, to, daysLeft, days);
  if (!from || !amountOre) return undefined;
  const { invoice, created } = await issueInvoice(models, {
    tenantId,
    idempotencyKey: upgradeInvoiceKey(period, fromCode, to.code),
    lines: (t) => [
      invoiceLine(t.t('invoices.upgrade', { from: from.name, to: to.name, daysLeft, days, period }), 1, amountOre),
    ],
    audit: {
      actor: changer.actor,
      action: 'subscription.upgrade',
      target: to.code,
      details: {
        from: fromCode,
        to: to.code,
        includedOrders: to.includedOrders,
        priceOre: to.priceOre,
        ...(changer.by ? { by: changer.by } : {}),
      },
    },
    now,
  });
  return {
    invoice,
    charge: {
      invoiceNumber: invoice.number,
      description: invoice.lines.map((entry) => entry.description).join('; '),
      netOre: invoice.netOre,
      vatOre: invoice.vatOre,
      totalOre: invoice.totalOre,
      created,
    },
  };
}

/**
 * Applies plan changes whose period has begun (one tenant, or every tenant). Safe to repeat: an
 * applied change is no longer pending. A pending plan that left the catalogue is dropped rather
 * than applied with unknown terms. The period itself (`periodStart`, its invoice) is the period
 * roll's (jobs/period-roll.ts): applying a change early, when someone looks at the subscription,
 * must not make the roll skip the period.
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
      $set: { plan: plan.code, includedOrders: plan.includedOrders },
      $unset: { pendingPlan: 1 },
    });
    if (result.modifiedCount > 0) changed.push(subscription.tenantId);
  }
  return changed;
}
