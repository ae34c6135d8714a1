import { timeZoneOf } from '../domain/zoned-time';
import { issueInvoice } from '../services/billing/invoices';
import { applyDuePlanChanges } from '../services/billing/plan-change';
import { auditPurchase } from '../services/billing/purchase-audit';
import type { Logger } from '../config/logger';
import { SYSTEM_ACTOR, type Command } from '../domain/commands';
import { nextPeriod, periodStartsAt } from '../domain/period-bounds';
import { dayAndPeriod } from '../domain/periods';
import { findPlan, invoiceLine } from '../domain/plans';
import type { EventProducer } from '../kafka/producer';
import type { Models } from '../store';
import { defineJob } from './define-job';

export interface PeriodRollDeps {
  models: Pick<Models, 'Subscription' | 'Tenant' | 'Invoice' | 'AuditEntry'>;
  producer: Pick<EventProducer, 'sendJson'>;
  now(): Date;
}

export interface PeriodRollSummary {
  /** Tenants this run moved into a new period. */
  tenants: number;
  /** Plan changes (downgrades) this run applied. */
  plansChanged: number;
  /** Subscription invoices this run issued; one issued by another run or instance is not counted. */
  invoicesIssued: number;
  /** Tenants whose roll failed; the next run picks them up again. */
  failed: number;
}

/** One subscription invoice per tenant and period, whichever run or instance gets there first. */
export const planInvoiceKey = (period: string) => `plan:${period}`;

const ACTION = 'subscription.period';

/**
 * The monthly roll of the usage period. Periods are calendar months in each tenant's own time
 * zone, so it runs hourly and rolls whoever's month has begun since: applies the downgrade that
 * waited for the new period, moves `periodStart`, and issues the period's subscription invoice
 * (audited and announced on iex.commands.v1). A period missed while the service was down is
 * rolled (and invoiced) on its own, in order.
 *
 * Safe to run again and on several instances at once: the invoice of a period is an insert under a
 * unique idempotency key, and only the run whose insert wins announces it. Its audit entry is
 * derived from the invoice (billing/purchase-audit.ts), so it exists once whatever stops when.
 * A plan with no list price (a custom agreement) is invoiced elsewhere; its roll is audited and
 * announced by whichever run moves `periodStart` (the announcement's id is per period, so engines
 * can drop a repeat).
 */
export const periodRoll = defineJob<PeriodRollDeps, PeriodRollSummary>({
  name: 'period-roll',
  // Minute 5 of every hour: after local midnight in every zone, including those offset by half
  // an hour or 45 minutes, and clear of the top-of-the-hour crowd.
  schedule: '5 * * * *',
  async run(deps, { logger, signal }) {
    const at = deps.now();
    const summary: PeriodRollSummary = { tenants: 0, plansChanged: 0, invoicesIssued: 0, failed: 0 };
    const subscriptions = await deps.models.Subscription.find({}, { tenantId: 1, periodStart: 1 }).lean();
    const zones = new Map(
      (
        await deps.models.Tenant.find(
          { tenantId: { $in: subscriptions.map(({ tenantId }) => tenantId) } },
          { tenantId: 1, timezone: 1 },
        ).lean()
      ).map((tenant) => [tenant.tenantId, timeZoneOf(tenant.timezone)]),
    );
    for (const { tenantId, periodStart } of subscriptions) {
      if (signal.aborted) break;
      const timezone = timeZoneOf(zones.get(tenantId));
      try {
        const rolled = await rollTenant(deps, logger, { tenantId, periodStart, timezone }, at);
        if (rolled.periods === 0) continue;
        summary.tenants += 1;
        summary.plansChanged += rolled.plansChanged;
        summary.invoicesIssued += rolled.invoicesIssued;
      } catch (err) {
        summary.failed += 1;
        logger.error({ err, tenantId }, 'could not roll the period; the next run tries again');
      }
    }
    logger.info({ ...summary, ...(signal.aborted ? { interrupted: true } : {}) }, 'rolled usage periods');
    return summary;
  },
});

async function rollTenant(
  { models, producer }: PeriodRollDeps,
  logger: Logger,
  { tenantId, periodStart, timezone }: { tenantId: string; periodStart: Date; timezone: string },
  at: Date,
): Promise<{ periods: number; plansChanged: number; invoicesIssued: number }> {
  // `periods` counts the periods this run rolled, not those another run or instance got to first.
  const current = dayAndPeriod(at, timezone).period;
  const rolled = { periods: 0, plansChanged: 0, invoicesIssued: 0 };
  // 'YYYY-MM' strings order as the periods do.
  for (let period = dayAndPeriod(periodStart, timezone).period; period < current;) {
    period = nextPeriod(period);
    const startsAt = periodStartsAt(period, timezone);
    if ((await applyDuePlanChanges(models, startsAt, tenantId)).length > 0) rolled.plansChanged += 1;
    const subscription = await models.Subscription.findOne({ tenantId }, { plan: 1, includedOrders: 1 }).lean();
    if (!subscription) break;
    const plan = findPlan(subscription.plan);
    const rolledTo = { period, plan: subscription.plan, includedOrders: subscription.includedOrders };
    const issued = plan
      ? await issueInvoice(models, {
          tenantId,
          idempotencyKey: planInvoiceKey(period),
          lines: (t) => [
            invoiceLine(
              t.t('invoices.plan', { plan: plan.name, period, orders: plan.includedOrders }),
              1,
              plan.priceOre,
            ),
          ],
          audit: { actor: SYSTEM_ACTOR, action: ACTION, target: period, details: rolledTo },
          now: at,
        })
      : undefined;
    // Only forward: a run that lags behind another must not move the period back.
    const moved = await models.Subscription.updateOne(
      { tenantId, periodStart: { $lt: startsAt } },
      { $set: { periodStart: startsAt } },
    );
    // The period's invoice is a purchase: its audit entry comes from it, once, whichever run writes it.
    if (issued) await auditPurchase(models, issued.invoice);
    const ours = issued ? issued.created : moved.modifiedCount > 0;
    if (!ours) continue;
    rolled.periods += 1;
    if (issued) rolled.invoicesIssued += 1;
    const details = {
      ...rolledTo,
      ...(issued ? { invoiceNumber: issued.invoice.number, totalOre: issued.invoice.totalOre } : {}),
    };
    // A plan without a list price is invoiced elsewhere: the run that moved the period audits it.
    if (!issued)
      await models.AuditEntry.create({ tenantId, actor: SYSTEM_ACTOR, action: ACTION, target: period, details, at });
    const command: Command = {
      type: 'settings.changed',
      id: `${ACTION}:${tenantId}:${period}`,
      tenantId,
      issuedAt: at.toISOString(),
      actor: SYSTEM_ACTOR,
      action: ACTION,
      target: period,
      details,
    };
    await producer.sendJson('commands', [{ key: tenantId, value: command }]);
    logger.info({ tenantId, ...details }, 'rolled the period');
  }
  return rolled;
}
