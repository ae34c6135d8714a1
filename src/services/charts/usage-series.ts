import { USAGE_OUTCOMES, type UsageOutcome } from '../../domain/closed-lists';
import { ENTITIES, type Entity } from '../../domain/events';
import { daysInPeriod } from '../../domain/period-bounds';
import { dayAndPeriod } from '../../domain/periods';
import { timeZoneOf } from '../../domain/zoned-time';
import { readUsage, type Models } from '../../store';

export type DayCounts = Record<UsageOutcome, number>;

/** One day of the chart: its counts per entity. */
export interface SeriesDay {
  /** 'YYYY-MM-DD' on the tenant's wall clock. */
  day: string;
  period: string;
  counts: Record<Entity, DayCounts>;
}

export interface SeriesTopUp {
  /** The day it was bought, within the period it raised (clamped to that period's days). */
  day: string;
  period: string;
  orders: number;
}

/** Everything a usage chart shows: the period, the one before, every day of both, the allowance. */
export interface UsageSeries {
  tenantId: string;
  period: string;
  previousPeriod: string;
  /** Every day of both periods, oldest first; days without usage count zero. */
  days: SeriesDay[];
  totals: Record<string, Record<Entity, DayCounts>>;
  /** Orders counted against the allowance, per period. */
  ordersUsed: Record<string, number>;
  /** The plan's included orders per period (the current subscription's); absent without one. */
  includedOrders?: number;
  topUps: SeriesTopUp[];
}

export function previousPeriodOf(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

const zeroCounts = (): DayCounts => ({ created: 0, updated: 0, failed: 0 });
const zeroEntities = (): Record<Entity, DayCounts> =>
  Object.fromEntries(ENTITIES.map((entity) => [entity, zeroCounts()])) as Record<Entity, DayCounts>;

function periodDays(period: string): string[] {
  return Array.from({ length: daysInPeriod(period) }, (_, index) => `${period}-${String(index + 1).padStart(2, '0')}`);
}

/** The current period of a tenant, on its wall clock. */
export async function currentPeriodOf(models: Pick<Models, 'Tenant'>, tenantId: string, now: Date): Promise<string> {
  const tenant = await models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean();
  if (!tenant) throw new Error(`tenant ${tenantId} does not exist`);
  return dayAndPeriod(now, timeZoneOf(tenant.timezone)).period;
}

/**
 * The usage of one tenant in `period` and the period before, per day. Usage is read by `_id`
 * (readUsage); the subscription and the period's top-ups are the few documents the Home section
 * reads too (readAllowance). Every read names `tenantId`, so nothing of another tenant can enter.
 */
export async function readUsageSeries(
  models: Pick<Models, 'Usage' | 'TransferView' | 'Tenant' | 'Subscription' | 'TopUp'>,
  tenantId: string,
  period: string,
): Promise<UsageSeries> {
  const previousPeriod = previousPeriodOf(period);
  const [tenant, current, previous, subscription, topUps] = await Promise.all([
    models.Tenant.findOne({ tenantId }, { timezone: 1 }).lean(),
    readUsage(models, tenantId, period),
    readUsage(models, tenantId, previousPeriod),
    models.Subscription.findOne({ tenantId }, { includedOrders: 1 }).lean(),
    models.TopUp.find({ tenantId, period: { $in: [previousPeriod, period] } }, { period: 1, orders: 1, at: 1 }).lean(),
  ]);
  const timeZone = timeZoneOf(tenant?.timezone);
  const byDay = new Map([...previous.days, ...current.days].map(({ day, ...counts }) => [day, counts]));
  const days: SeriesDay[] = [previousPeriod, period].flatMap((p) =>
    periodDays(p).map((day) => {
      const found = byDay.get(day);
      const counts = zeroEntities();
      for (const entity of ENTITIES)
        for (const outcome of USAGE_OUTCOMES) counts[entity][outcome] = found?.[entity][outcome] ?? 0;
      return { day, period: p, counts };
    }),
  );
  const totals = { [previousPeriod]: previous.counters, [period]: current.counters };
  const clampDay = (p: string, at: Date) => {
    const { day } = dayAndPeriod(at, timeZone);
    const first = `${p}-01`;
    const last = `${p}-${String(daysInPeriod(p)).padStart(2, '0')}`;
    return day < first ? first : day > last ? last : day;
  };
  return {
    tenantId,
    period,
    previousPeriod,
    days,
    totals,
    ordersUsed: { [previousPeriod]: previous.ordersUsed, [period]: current.ordersUsed },
    ...(subscription ? { includedOrders: subscription.includedOrders } : {}),
    topUps: topUps
      .map((topUp) => ({ day: clampDay(topUp.period, topUp.at), period: topUp.period, orders: topUp.orders }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.orders - b.orders),
  };
}
