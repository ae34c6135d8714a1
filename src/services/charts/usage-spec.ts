import type { TopLevelSpec } from 'vega-lite';
import { USAGE_OUTCOMES } from '../../domain/closed-lists';
import { ENTITIES, type Entity } from '../../domain/events';
import type { Translator } from '../../i18n';
import {
  FONT,
  LINE_COLOUR,
  OUTCOME_COLOURS,
  PANEL_SIZES,
  THEMES,
  TOP_UP_COLOUR,
  type ChartSize,
  type ChartTheme,
} from './chart-theme';
import type { UsageSeries } from './usage-series';

export interface UsageSpecOptions {
  entity?: Entity;
  theme: ChartTheme;
  size: ChartSize;
}

/** '1. dec.' / '1 Dec': a day of the chart's axis, in the reader's language. */
export function dayLabel(t: Translator, day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(t.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, date)),
  );
}

/** 'december 2026' / 'December 2026'. */
export function periodLabel(t: Translator, period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(t.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** Numbers on the axes as the language writes them: 1.234 in Danish, 1,234 in English. */
const NUMBER_LOCALES = {
  da: { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' kr.'] as [string, string] },
  en: { decimal: '.', thousands: ',', grouping: [3], currency: ['DKK ', ''] as [string, string] },
} as const;

/** The days whose labels the x axis shows: a weekly label only where one entity has the width. */
const LABELLED_DAYS: Readonly<Record<ChartSize, ReadonlySet<string>>> = {
  small: new Set(['01', '15']),
  full: new Set(['01', '08', '15', '22']),
};

/**
 * The Vega-Lite spec of a usage chart: for each entity, created / updated / failed stacked per
 * day over the period before and the period. The orders panel adds, on its own right-hand axis,
 * the orders counted so far in each period (a running sum of created orders, restarting on the
 * 1st) against a rule at the plan's included orders, and marks each top-up on that line with the
 * orders it added — so one reads off when the month's orders passed the plan and what was bought.
 */
export function usageSpec(series: UsageSeries, t: Translator, { entity, theme, size }: UsageSpecOptions): TopLevelSpec {
  const colours = THEMES[theme];
  const labels = series.days.map(({ day }) => dayLabel(t, day));
  const shownLabels = series.days
    .filter(({ day }) => LABELLED_DAYS[entity ? size : 'small'].has(day.slice(8)))
    .map(({ day }) => dayLabel(t, day));
  const outcomes = USAGE_OUTCOMES.map((outcome) => t.t(`charts.outcome.${outcome}`));
  const entities = entity ? [entity] : [...ENTITIES];
  const panel = entity ? PANEL_SIZES[size].one : PANEL_SIZES[size].each;
  const small = size === 'small';

  const x = {
    field: 'label',
    type: 'ordinal' as const,
    // Every day of both periods, in order, whether or not it has usage.
    scale: { domain: labels, paddingInner: 0.15, paddingOuter: 0.1 },
    axis: {
      values: shownLabels,
      labelAngle: 0,
      title: small ? null : t.t('charts.axis.day'),
      ticks: false,
      // The labelled days are chosen to fit; hiding some would leave a month unnamed.
      labelOverlap: false,
      minExtent: small ? 18 : 36,
      maxExtent: small ? 18 : 36,
    },
  };

  const panelSpec = (which: Entity) => {
    // Days without usage draw nothing: leaving them out keeps the SVG small.
    const bars = series.days.flatMap(({ day, counts }) =>
      USAGE_OUTCOMES.flatMap((outcome, rank) =>
        counts[which][outcome] > 0
          ? [
              {
                label: dayLabel(t, day),
                outcome: outcomes[rank],
                rank,
                value: counts[which][outcome],
                description: `${dayLabel(t, day)}: ${outcomes[rank]} ${t.number(counts[which][outcome])}`,
              },
            ]
          : [],
      ),
    );
    const barLayer = {
      data: { values: bars },
      mark: { type: 'bar' as const, strokeWidth: 0 },
      encoding: {
        x,
        y: {
          field: 'value',
          type: 'quantitative' as const,
          stack: 'zero' as const,
          axis: {
            title: small ? null : t.t('charts.axis.perDay'),
            format: ',d',
            tickMinStep: 1,
            minExtent: 44,
            maxExtent: 44,
          },
        },
        color: {
          field: 'outcome',
          type: 'nominal' as const,
          scale: { domain: outcomes, range: USAGE_OUTCOMES.map((outcome) => OUTCOME_COLOURS[outcome]) },
          legend: { title: null, orient: 'top' as const, direction: 'horizontal' as const },
        },
        order: { field: 'rank', type: 'quantitative' as const },
        description: { field: 'description' },
        tooltip: [
          { field: 'label', title: t.t('charts.axis.day') },
          { field: 'outcome' },
          { field: 'value', format: ',d' },
        ],
      },
    };
    const title = t.t(`common.entities.${which}`);
    if (which !== 'order' || series.includedOrders === undefined) {
      return { title, width: panel.width, height: panel.height, layer: [barLayer] };
    }
    const running = new Map<string, number>();
    const cumulative = series.days.map(({ day, period, counts }) => {
      const sum = (running.get(period) ?? 0) + counts.order.created;
      running.set(period, sum);
      return { label: dayLabel(t, day), period, cumulative: sum };
    });
    const atDay = new Map(cumulative.map((row, index) => [series.days[index]!.day, row.cumulative]));
    const topUps = series.topUps.map((topUp) => ({
      label: dayLabel(t, topUp.day),
      cumulative: atDay.get(topUp.day) ?? 0,
      text: t.t('charts.topUp', { count: t.number(topUp.orders) }),
    }));
    const rightAxis = {
      orient: 'right' as const,
      title: small ? null : t.t('charts.axis.cumulative'),
      format: ',d',
      grid: false,
      minExtent: 52,
      maxExtent: 52,
    };
    const lineLayers = [
      {
        data: { values: cumulative },
        mark: {
          type: 'line' as const,
          color: LINE_COLOUR,
          strokeWidth: small ? 1.5 : 2.5,
          interpolate: 'step-after' as const,
        },
        encoding: {
          x,
          y: { field: 'cumulative', type: 'quantitative' as const, axis: rightAxis },
          detail: { field: 'period', type: 'nominal' as const },
        },
      },
      {
        data: {
          values: [
            {
              included: series.includedOrders,
              text: t.t('charts.line.included', { count: t.number(series.includedOrders) }),
            },
          ],
        },
        layer: [
          {
            mark: { type: 'rule' as const, color: colours.text, strokeDash: [6, 4], strokeWidth: 1.5 },
            encoding: { y: { field: 'included', type: 'quantitative' as const } },
          },
          {
            mark: {
              type: 'text' as const,
              align: 'left' as const,
              baseline: 'bottom' as const,
              dx: 4,
              dy: -2,
              x: 0,
              color: colours.text,
              fontSize: small ? 9 : 12,
            },
            encoding: { y: { field: 'included', type: 'quantitative' as const }, text: { field: 'text' } },
          },
        ],
      },
      ...(topUps.length
        ? [
            {
              data: { values: topUps },
              layer: [
                {
                  mark: {
                    type: 'point' as const,
                    shape: 'triangle-up',
                    filled: true,
                    size: small ? 60 : 140,
                    color: TOP_UP_COLOUR,
                    opacity: 1,
                  },
                  encoding: { x, y: { field: 'cumulative', type: 'quantitative' as const } },
                },
                {
                  mark: {
                    type: 'text' as const,
                    dy: small ? -9 : -14,
                    color: colours.text,
                    fontWeight: 'bold' as const,
                    fontSize: small ? 9 : 12,
                  },
                  encoding: { x, y: { field: 'cumulative', type: 'quantitative' as const }, text: { field: 'text' } },
                },
              ],
            },
          ]
        : []),
    ];
    return {
      title,
      width: panel.width,
      height: panel.height,
      layer: [barLayer, { layer: lineLayers }],
      resolve: { scale: { y: 'independent' as const } },
    };
  };

  const heading = t.t(entity ? 'charts.title' : 'charts.title.all', {
    entity: entity ? t.t(`common.entities.${entity}`) : '',
    previous: periodLabel(t, series.previousPeriod),
    current: periodLabel(t, series.period),
  });
  const config = {
    locale: { number: { ...NUMBER_LOCALES[t.language], grouping: [3] } },
    font: FONT,
    background: colours.background,
    padding: small ? 8 : 16,
    view: { stroke: null },
    axis: {
      labelColor: colours.text,
      titleColor: colours.text,
      gridColor: colours.grid,
      domainColor: colours.domain,
      tickColor: colours.domain,
      labelFontSize: small ? 9 : 12,
      titleFontSize: small ? 10 : 13,
    },
    legend: {
      labelColor: colours.text,
      titleColor: colours.text,
      labelFontSize: small ? 10 : 13,
      symbolType: 'square',
    },
    title: { color: colours.text, subtitleColor: colours.text, fontSize: small ? 12 : 18, anchor: 'start' as const },
    header: { labelColor: colours.text, titleColor: colours.text },
    concat: { spacing: small ? 12 : 24 },
  };
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: heading,
    config,
    autosize: { type: 'pad' as const, contains: 'padding' as const },
  };
  const panels = entities.map(panelSpec);
  const only = panels.length === 1 ? panels[0] : undefined;
  if (only) {
    const { title, ...rest } = only;
    void title;
    return { ...base, ...rest, autosize: { type: 'fit', contains: 'padding' } } as TopLevelSpec;
  }
  return { ...base, hconcat: panels, resolve: { scale: { color: 'shared' } } } as TopLevelSpec;
}
