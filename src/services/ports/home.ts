import { timeZoneOf } from '../../domain/zoned-time';
import { readAllowance } from '../billing/quota-check';
import type { EntityCounts, HomePort } from '../../commands/ports/home';
import { ENTITIES } from '../../domain/events';
import { dayAndPeriod } from '../../domain/periods';
import { readUsage } from '../../store/usage-counter';
import type { AdapterDeps } from './deps';
import { readTransferList } from '../../store/transfer-views';
import { connectionLabels, switchesOf } from './labels';

const zero = (): EntityCounts =>
  Object.fromEntries(ENTITIES.map((entity) => [entity, { created: 0, updated: 0, failed: 0 }])) as EntityCounts;

function previousPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

export function createHomePort({ models }: AdapterDeps): HomePort {
  return {
    async home(tenantId, now) {
      const tenant = await models.Tenant.findOne({ tenantId }).lean();
      if (!tenant) throw new Error(`tenant ${tenantId} is bound but does not exist`);
      const timezone = timeZoneOf(tenant.timezone);
      const { period } = dayAndPeriod(now, timezone);
      const last = previousPeriod(period);
      const [current, previous, allowance, views, labels] = await Promise.all([
        readUsage(models, tenantId, period),
        readUsage(models, tenantId, last),
        readAllowance(models, tenantId, period),
        Promise.all([readTransferList(models, tenantId, 'failed', 5), readTransferList(models, tenantId, 'held', 0)]),
        connectionLabels(models, tenantId),
      ]);
      const [{ items: failures, total: failingNow }, { total: heldCount }] = views;
      const byDay = new Map([...previous.days, ...current.days].map(({ day, ...counts }) => [day, counts]));
      const history = Array.from({ length: 7 }, (_, index) => {
        const { day } = dayAndPeriod(new Date(now.getTime() - (6 - index) * 24 * 60 * 60 * 1000), timezone);
        return { day, ...(byDay.get(day) ?? zero()) };
      });
      return {
        tenantName: tenant.name,
        ...switchesOf(tenant),
        period,
        previousPeriod: last,
        current: current.counters,
        previous: previous.counters,
        history,
        ...(allowance
          ? {
              quota: {
                includedOrders: allowance.includedOrders,
                topUpOrders: allowance.topUpOrders,
                allowance: allowance.allowance,
                used: allowance.used,
              },
            }
          : {}),
        recentFailures: failures.map((transfer) => ({
          transferId: transfer.transferId,
          ...(transfer.reference ? { reference: transfer.reference } : {}),
          connectionLabel: labels.get(transfer.connectionId) ?? transfer.connectionId,
          errorCode: transfer.error?.code ?? 'unknown',
          errorMessage: transfer.error?.message ?? '',
          at: transfer.finishedAt ?? transfer.updatedAt,
        })),
        failingNow,
        heldCount,
      };
    },
  };
}
