import type { ChartsPort } from '../../commands/ports/charts';
import { createUsageCharts, type UsageChartsOptions } from '../charts/usage-chart';
import type { AdapterDeps } from './deps';

/** The command core's charts: usage charts over the store (src/services/charts). */
export function createChartsPort({ models }: AdapterDeps, options?: UsageChartsOptions): ChartsPort {
  return createUsageCharts(models, options);
}
