import type { Entity } from '../../domain/events';
import type { Language } from '../../i18n';

/** A usage chart rendered for one tenant: the same picture as PNG (chat, mail) and SVG (the view page). */
export interface ChartImage {
  png: Buffer;
  svg: string;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
  /** States the numbers the chart shows, in the reader's language (screen readers, text-only clients). */
  alt: string;
  /** e.g. `usage-2026-12.png`: what the platforms name the uploaded file. */
  fileName: string;
  /** A signed, expiring link to the PNG when PUBLIC_URL is set (Slack image blocks); absent otherwise. */
  url?: string;
}

export interface UsageChartRequest {
  tenantId: string;
  /** `YYYY-MM`; the current period when absent. The chart shows it and the period before. */
  period?: string;
  /** One entity full size; all three stacked side by side when absent. */
  entity?: Entity;
  language: Language;
  theme?: 'light' | 'dark';
  /** `small` fits beside the Home text; `full` is `/iex usage`. */
  size?: 'small' | 'full';
  now: Date;
}

/** Usage charts of the Home section ("forbrugshistorik"): orders, products and stock per day. */
export interface ChartsPort {
  usageChart(request: UsageChartRequest): Promise<ChartImage>;
}
