import { createHash } from 'node:crypto';
import type { ChartImage, UsageChartRequest } from '../../commands/ports/charts';
import { translator } from '../../i18n';
import type { Models } from '../../store';
import { usageAltText } from './alt-text';
import { ChartCache } from './chart-cache';
import { renderChart } from './render-chart';
import { usageSpec } from './usage-spec';
import { currentPeriodOf, readUsageSeries } from './usage-series';

export interface UsageChartsOptions {
  /** How many rendered charts are kept (each some 50–170 kB: the PNG and its SVG). */
  cacheSize?: number;
}

export interface UsageCharts {
  usageChart(request: UsageChartRequest): Promise<ChartImage>;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Usage charts, rendered once per tenant, period, entity, language, theme and size until the usage
 * behind them changes. The usage is read on every request (a few reads by `_id`); the key carries
 * a hash of what was read, so new usage, a top-up or a plan change makes a new key and the old
 * picture ages out of the bounded cache. The tenant id is part of the key as well as of every
 * read: a picture is only ever found again for the tenant it was drawn for.
 */
export function createUsageCharts(
  models: Pick<Models, 'Usage' | 'TransferView' | 'Tenant' | 'Subscription' | 'TopUp'>,
  { cacheSize = 100 }: UsageChartsOptions = {},
): UsageCharts {
  const cache = new ChartCache<Promise<ChartImage>>(cacheSize);
  return {
    async usageChart({ tenantId, period, entity, language, theme = 'light', size = 'full', now }) {
      if (period !== undefined && !PERIOD.test(period)) throw new Error(`not a period (YYYY-MM): ${period}`);
      const shown = period ?? (await currentPeriodOf(models, tenantId, now));
      const series = await readUsageSeries(models, tenantId, shown);
      const fingerprint = createHash('sha256').update(JSON.stringify(series)).digest('base64url');
      const key = [tenantId, shown, entity ?? 'all', language, theme, size, fingerprint]
        .map(encodeURIComponent)
        .join('|');
      const found = cache.get(key);
      if (found) return found;
      const t = translator(language);
      const rendering = renderChart(usageSpec(series, t, { entity, theme, size })).then(
        ({ png, svg, width, height }) => ({
          png,
          svg,
          width,
          height,
          alt: usageAltText(series, t, entity),
          fileName: `usage-${shown}${entity ? `-${entity}` : ''}.png`,
        }),
      );
      cache.set(key, rendering);
      // A failed render is not kept: the next request tries again.
      rendering.catch(() => cache.forget(key, rendering));
      return rendering;
    },
  };
}
