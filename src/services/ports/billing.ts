import { timeZoneOf } from '../../domain/zoned-time';
import { applyDuePlanChanges, changePlan } from '../billing/plan-change';
import { checkQuota, readAllowance } from '../billing/quota-check';
import { releaseQuotaHold } from '../billing/quota-release';
import { buyTopUp } from '../billing/top-up';
import type {
  AutoTopUpPolicy,
  BillingDetails,
  BillingPort,
  InvoiceDetail,
  InvoiceView,
} from '../../commands/ports/billing';
import type { Caller } from '../../commands/ports/tenancy';
import type { Actor } from '../../domain/commands';
import { dayAndPeriod } from '../../domain/periods';
import { DEFAULT_AUTO_TOP_UP_PACK, DEFAULT_AUTO_TOP_UPS_PER_PERIOD, findPlan, packPriceOre } from '../../domain/plans';
import { type Invoice, type Subscription } from '../../store/models';
import type { AdapterDeps } from './deps';

const LATEST_INVOICES = 5;

const actorOf = (caller: Caller): Actor => ({ platform: caller.platform, userId: caller.userId });

const BILLING_FIELDS = ['company', 'vatNumber', 'email', 'address'] as const;

function policyOf(subscription: Pick<Subscription, 'autoTopUp'>): AutoTopUpPolicy {
  return {
    enabled: subscription.autoTopUp?.enabled ?? true,
    packOrders: subscription.autoTopUp?.packOrders ?? DEFAULT_AUTO_TOP_UP_PACK,
    maxPerPeriod: subscription.autoTopUp?.maxPerPeriod ?? DEFAULT_AUTO_TOP_UPS_PER_PERIOD,
  };
}

function billingOf(subscription: Pick<Subscription, 'billing'>): BillingDetails {
  const billing = subscription.billing ?? {};
  return Object.fromEntries(BILLING_FIELDS.flatMap((field) => (billing[field] ? [[field, billing[field]]] : [])));
}

export function createBillingPort(deps: AdapterDeps): BillingPort {
  const { models } = deps;

  const timezoneOf = async (tenantId: string) =>
    timeZoneOf((await models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean())?.timezone);

  const invoiceView = (invoice: Invoice, timezone: string): InvoiceView => ({
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    day: dayAndPeriod(invoice.issuedAt, timezone).day,
    description: invoice.lines.map((line) => line.description).join('; '),
    netOre: invoice.netOre,
    vatOre: invoice.vatOre,
    totalOre: invoice.totalOre,
  });

  const invoiceDetail = (invoice: Invoice, timezone: string): InvoiceDetail => ({
    ...invoiceView(invoice, timezone),
    lines: invoice.lines.map(({ description, quantity, unitPriceOre, amountOre }) => ({
      description,
      quantity,
      unitPriceOre,
      amountOre,
    })),
  });

  const listInvoices = async (tenantId: string, timezone: string, skip: number, limit: number) => {
    const [invoices, total] = await Promise.all([
      models.Invoice.find({ tenantId }).sort({ issuedAt: -1, number: -1 }).skip(skip).limit(limit).lean(),
      models.Invoice.countDocuments({ tenantId }),
    ]);
    return { invoices: invoices.map((invoice) => invoiceView(invoice, timezone)), total };
  };

  return {
    async subscription(tenantId, now) {
      const timezone = await timezoneOf(tenantId);
      // A downgrade whose period has begun shows (and counts) as the plan it now is.
      await applyDuePlanChanges(models, now, tenantId);
      const { day, period } = dayAndPeriod(now, timezone);
      const [subscription, allowance, topUps, latest] = await Promise.all([
        models.Subscription.findOne({ tenantId }).lean(),
        readAllowance(models, tenantId, period),
        models.TopUp.find({ tenantId, period }, { orders: 1, auto: 1 }).lean(),
        listInvoices(tenantId, timezone, 0, LATEST_INVOICES),
      ]);
      if (!subscription || !allowance) return undefined;
      const plan = findPlan(subscription.plan);
      const pending = subscription.pendingPlan;
      const policy = policyOf(subscription);
      return {
        period,
        day,
        plan: {
          code: subscription.plan,
          name: plan?.name ?? subscription.plan,
          ...(plan ? { priceOre: plan.priceOre } : {}),
        },
        includedOrders: allowance.includedOrders,
        used: allowance.used,
        topUps: {
          count: topUps.length,
          orders: allowance.topUpOrders,
          automatic: topUps.filter((topUp) => topUp.auto).length,
        },
        allowance: allowance.allowance,
        autoTopUp: { ...policy, packPriceOre: packPriceOre(policy.packOrders) },
        billing: billingOf(subscription),
        ...(pending
          ? {
              pendingPlan: {
                code: pending.plan,
                name: findPlan(pending.plan)?.name ?? pending.plan,
                period: dayAndPeriod(pending.effectiveAt, timezone).period,
                effectiveAt: pending.effectiveAt,
              },
            }
          : {}),
        invoices: latest.invoices,
        invoiceCount: latest.total,
      };
    },

    async invoices(tenantId, { skip, limit }) {
      return listInvoices(tenantId, await timezoneOf(tenantId), skip, limit);
    },

    async changePlan(tenantId, plan, caller, now) {
      // A downgrade whose period has begun is the plan to change from.
      await applyDuePlanChanges(models, now, tenantId);
      const change = await changePlan(models, tenantId, plan, now, {
        actor: actorOf(caller),
        ...(caller.displayName ? { by: caller.displayName } : {}),
      });
      if (change?.kind !== 'upgraded') return change && { ...change, releasedHold: false };
      const { period } = dayAndPeriod(now, await timezoneOf(tenantId));
      return { ...change, releasedHold: await releaseQuotaHold(deps, tenantId, period, actorOf(caller), now) };
    },

    async setAutoTopUp(tenantId, change, caller, now) {
      const subscription = await models.Subscription.findOne({ tenantId }, { autoTopUp: 1 }).lean();
      if (!subscription) return undefined;
      const before = policyOf(subscription);
      const after = { ...before, ...change };
      const unchanged = (Object.keys(after) as Array<keyof AutoTopUpPolicy>).every((key) => after[key] === before[key]);
      if (unchanged) return { before, after, packsBought: 0, releasedHold: false };
      await models.Subscription.updateOne({ tenantId }, { $set: { autoTopUp: after } });
      if (!after.enabled) return { before, after, packsBought: 0, releasedHold: false };
      // Orders beyond the allowance were held while it was off or at its limit: buy for them now
      // rather than on the next transfer, which may never come while the engine holds the orders.
      const { period } = dayAndPeriod(now, await timezoneOf(tenantId));
      const autoPacks = () => models.TopUp.countDocuments({ tenantId, period, auto: true });
      const packsBefore = await autoPacks();
      await checkQuota(deps, tenantId, period, now);
      return {
        before,
        after,
        packsBought: (await autoPacks()) - packsBefore,
        releasedHold: await releaseQuotaHold(deps, tenantId, period, actorOf(caller), now),
      };
    },

    async setBillingDetails(tenantId, change) {
      const subscription = await models.Subscription.findOne({ tenantId }, { billing: 1 }).lean();
      if (!subscription) return undefined;
      const before = billingOf(subscription);
      const after = { ...before };
      const $set: Record<string, string> = {};
      const $unset: Record<string, 1> = {};
      for (const field of BILLING_FIELDS) {
        const value = change[field];
        if (value === undefined) continue;
        if (value === null || value === '') {
          $unset[`billing.${field}`] = 1;
          delete after[field];
        } else {
          $set[`billing.${field}`] = value;
          after[field] = value;
        }
      }
      const update = {
        ...(Object.keys($set).length ? { $set } : {}),
        ...(Object.keys($unset).length ? { $unset } : {}),
      };
      if (Object.keys(update).length) await models.Subscription.updateOne({ tenantId }, update);
      return { before, after };
    },

    async invoice(tenantId, number) {
      const invoice = await models.Invoice.findOne({ tenantId, number }).lean();
      return invoice ? invoiceDetail(invoice, await timezoneOf(tenantId)) : undefined;
    },

    async buyTopUp(tenantId, { pack, key, caller, now }) {
      if (!(await models.Subscription.exists({ tenantId }))) return undefined;
      const idempotencyKey = `chat:${key}`;
      const { period } = dayAndPeriod(now, await timezoneOf(tenantId));
      const bought = await buyTopUp(models, {
        tenantId,
        period,
        orders: pack.orders,
        priceOre: pack.priceOre,
        auto: false,
        idempotencyKey,
        actor: actorOf(caller),
        ...(caller.displayName ? { by: caller.displayName } : {}),
        now,
      });
      // The earlier purchase of a repeated key may belong to another period (a click across midnight).
      const [topUp, invoice] = await Promise.all([
        models.TopUp.findOne({ tenantId, idempotencyKey }, { period: 1, orders: 1 }).lean(),
        models.Invoice.findOne(
          { tenantId, number: bought.invoiceNumber },
          { netOre: 1, vatOre: 1, totalOre: 1 },
        ).lean(),
      ]);
      if (!invoice)
        throw new Error(`invoice ${bought.invoiceNumber} of ${tenantId} is missing right after the purchase`);
      const boughtPeriod = topUp?.period ?? period;
      return {
        created: bought.created,
        period: boughtPeriod,
        orders: topUp?.orders ?? bought.orders,
        invoiceNumber: bought.invoiceNumber,
        netOre: invoice.netOre,
        vatOre: invoice.vatOre,
        totalOre: invoice.totalOre,
        releasedHold: bought.created
          ? await releaseQuotaHold(deps, tenantId, boughtPeriod, actorOf(caller), now)
          : false,
      };
    },
  };
}
