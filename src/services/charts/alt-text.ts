import { ENTITIES, type Entity } from '../../domain/events';
import type { Translator } from '../../i18n';
import { dayLabel, periodLabel } from './usage-spec';
import type { UsageSeries } from './usage-series';

/**
 * What the chart shows, in words and numbers, for screen readers and clients that show no
 * pictures: per entity and period the created, updated and failed totals, the included orders and
 * what was counted against them, and every top-up with its day.
 */
export function usageAltText(series: UsageSeries, t: Translator, entity?: Entity): string {
  const previous = periodLabel(t, series.previousPeriod);
  const current = periodLabel(t, series.period);
  const sentences = [t.t('charts.alt.intro', { previous, current })];
  for (const which of entity ? [entity] : ENTITIES) {
    for (const period of [series.previousPeriod, series.period]) {
      const counts = series.totals[period]?.[which] ?? { created: 0, updated: 0, failed: 0 };
      sentences.push(
        t.t('charts.alt.entity', {
          entity: t.t(`common.entities.${which}`),
          period: periodLabel(t, period),
          ...counts,
        }),
      );
    }
  }
  if (!entity || entity === 'order') {
    sentences.push(
      series.includedOrders === undefined
        ? t.t('charts.alt.noPlan')
        : t.t('charts.alt.included', {
            included: series.includedOrders,
            used: series.ordersUsed[series.period] ?? 0,
            previousUsed: series.ordersUsed[series.previousPeriod] ?? 0,
            current,
            previous,
          }),
    );
    sentences.push(
      series.topUps.length
        ? t.t('charts.alt.topUps', {
            list: t.list(
              series.topUps.map(({ day, orders }) => t.t('charts.alt.topUp', { count: orders, day: dayLabel(t, day) })),
            ),
          })
        : t.t('charts.alt.noTopUps'),
    );
  }
  return sentences.join(' ');
}
