import { DEFAULT_QUOTA_THRESHOLDS } from '../../domain/closed-lists';
import type { Logger } from '../../config/logger';
import { quotaGroupKey, type AlertEvent } from '../../domain/alerts';
import { SYSTEM_ACTOR, type Command } from '../../domain/commands';
import { DEFAULT_AUTO_TOP_UP_PACK, DEFAULT_AUTO_TOP_UPS_PER_PERIOD, packPriceOre } from '../../domain/plans';
import { planAutoTopUp, thresholdsReached } from '../../domain/quota';
import type { EventProducer } from '../../kafka/producer';
import { isDuplicateKeyError, readUsage, type Models } from '../../store';
import { applyDuePlanChanges } from './plan-change';
import { exceededGroupKey, holdInForce, recordHold } from './quota-hold';
import { buyTopUp } from './top-up';

export interface QuotaCheckDeps {
  models: Models;
  producer: EventProducer;
  logger: Logger;
}

export interface Allowance {
  includedOrders: number;
  topUpOrders: number;
  allowance: number;
  used: number;
}

/** The period's allowance (included orders + top-ups) and what is used of it. */
export async function readAllowance(models: Models, tenantId: string, period: string): Promise<Allowance | undefined> {
  const [subscription, topUps, usage] = await Promise.all([
    models.Subscription.findOne({ tenantId }).lean(),
    models.TopUp.find({ tenantId, period }, { orders: 1 }).lean(),
    readUsage(models, tenantId, period),
  ]);
  if (!subscription) return undefined;
  const topUpOrders = topUps.reduce((sum, { orders }) => sum + orders, 0);
  return {
    includedOrders: subscription.includedOrders,
    topUpOrders,
    allowance: subscription.includedOrders + topUpOrders,
    used: usage.ordersUsed,
  };
}

/**
 * Raises each warning threshold's alert once a period, tops up automatically on overuse (the
 * default), and when that is off or used up, says orders are held and tells engines to hold them:
 * once per allowance used up, so an overrun after a raise released the orders holds them again.
 *
 * "Once" holds under redelivery: an alert is sent while its group has no state yet, and its
 * state is recorded after sending; a crash in between sends it again with the same id, which
 * notifiers recognise. A top-up is bought once per pack number (buyTopUp's idempotency key).
 */
export async function checkQuota(
  deps: QuotaCheckDeps,
  tenantId: string,
  period: string,
  now = new Date(),
): Promise<void> {
  const { models, producer } = deps;
  const [read, tenant, subscription, autoPacks] = await Promise.all([
    readAllowance(models, tenantId, period),
    models.Tenant.findOne({ tenantId }, { quotaThresholds: 1 }).lean(),
    models.Subscription.findOne({ tenantId }, { autoTopUp: 1, pendingPlan: 1, quotaHold: 1 }).lean(),
    models.TopUp.countDocuments({ tenantId, period, auto: true }),
  ]);
  if (!read || !subscription) return;
  // A downgrade counts from the first order of its period, not from the hourly period roll.
  const due = subscription.pendingPlan && subscription.pendingPlan.effectiveAt <= now;
  if (due) await applyDuePlanChanges(models, now, tenantId);
  const allowance = due ? await readAllowance(models, tenantId, period) : read;
  if (!allowance) return;

  const occurredAt = now.toISOString();
  const alerts: AlertEvent[] = [];
  const commands: Command[] = [];
  const notYetSent = async (groupKey: string) => !(await models.AlertState.exists({ tenantId, groupKey }));

  const thresholds = tenant?.quotaThresholds?.length ? tenant.quotaThresholds : DEFAULT_QUOTA_THRESHOLDS;
  for (const threshold of thresholdsReached(allowance.used, allowance.allowance, thresholds)) {
    const groupKey = quotaGroupKey(tenantId, period, `threshold-${threshold}`);
    if (await notYetSent(groupKey)) {
      alerts.push({
        kind: 'quota.threshold',
        id: groupKey,
        tenantId,
        groupKey,
        occurredAt,
        period,
        threshold,
        used: allowance.used,
        allowance: allowance.allowance,
      });
    }
  }

  const packOrders = subscription.autoTopUp?.packOrders ?? DEFAULT_AUTO_TOP_UP_PACK;
  const plan = planAutoTopUp({
    used: allowance.used,
    allowance: allowance.allowance,
    enabled: subscription.autoTopUp?.enabled ?? true,
    packOrders,
    autoPacksSoFar: autoPacks,
    maxPerPeriod: subscription.autoTopUp?.maxPerPeriod ?? DEFAULT_AUTO_TOP_UPS_PER_PERIOD,
  });
  const priceOre = packPriceOre(packOrders);
  let raised = allowance.allowance;
  for (const packNumber of plan.buy) {
    const bought = await buyTopUp(models, {
      tenantId,
      period,
      orders: packOrders,
      priceOre,
      auto: true,
      idempotencyKey: `auto:${period}:${packNumber}`,
      actor: SYSTEM_ACTOR,
      now,
    });
    raised += packOrders;
    const groupKey = quotaGroupKey(tenantId, period, `topup-${packNumber}`);
    if (bought.created || (await notYetSent(groupKey))) {
      alerts.push({
        kind: 'quota.topup',
        id: groupKey,
        tenantId,
        groupKey,
        occurredAt,
        period,
        used: allowance.used,
        allowance: raised,
        orders: packOrders,
        invoiceNumber: bought.invoiceNumber,
        totalOre: bought.totalOre,
      });
    }
  }

  // One hold and one alert per allowance used up: once a raise released the orders, an overrun of
  // the raised allowance holds them again and says so in a message of its own.
  let held: number | undefined;
  if (plan.exceeded) {
    const groupKey = exceededGroupKey(tenantId, period, raised);
    const hold = await holdInForce(models, tenantId, period, subscription.quotaHold);
    // A hold an earlier version made is in force until a raise releases it: it has its alert.
    const legacyHold = hold !== undefined && hold.allowance === undefined;
    if (!legacyHold && (await notYetSent(groupKey))) {
      held = raised;
      alerts.push({
        kind: 'quota.exceeded',
        id: groupKey,
        tenantId,
        groupKey,
        occurredAt,
        period,
        used: allowance.used,
        allowance: raised,
      });
      commands.push({
        type: 'orders.hold',
        id: `orders.hold:${tenantId}:${period}:${raised}`,
        tenantId,
        issuedAt: occurredAt,
        actor: SYSTEM_ACTOR,
        period,
        reason: `the ${raised} orders of ${period} are used up and automatic top-up is off or at its limit`,
      });
    }
  }

  if (alerts.length === 0 && commands.length === 0) return;
  await producer.sendJson(
    'commands',
    commands.map((command) => ({ key: tenantId, value: command })),
  );
  await producer.sendJson(
    'alerts',
    alerts.map((alert) => ({ key: tenantId, value: alert })),
  );
  // After sending, before the alert is marked sent: a crash in between sends both again.
  if (held !== undefined) await recordHold(models, tenantId, period, held, now);
  await recordSent(models, alerts, now);
  deps.logger.info(
    { tenantId, period, alerts: alerts.map(({ kind }) => kind), commands: commands.length },
    'quota check raised alerts',
  );
}

/** Marks alert groups as sent; a group another instance recorded first is left as it is. */
async function recordSent(models: Models, alerts: AlertEvent[], now: Date): Promise<void> {
  if (alerts.length === 0) return;
  await models.AlertState.bulkWrite(
    alerts.map(({ tenantId, groupKey }) => ({
      updateOne: {
        filter: { tenantId, groupKey },
        update: { $setOnInsert: { tenantId, groupKey, lastSentAt: now, count: 1 } },
        upsert: true,
      },
    })),
    { ordered: false },
  ).catch((error: unknown) => {
    // Two writers upserting one group at once: one of them wins, which is all we need.
    if (!isDuplicateKeyError(error)) throw error;
  });
}
