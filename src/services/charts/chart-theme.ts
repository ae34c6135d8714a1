import type { UsageOutcome } from '../../domain/closed-lists';

export type ChartTheme = 'light' | 'dark';
export type ChartSize = 'small' | 'full';

/**
 * Okabe–Ito colours: created, updated and failed differ in hue AND lightness (blue, sky blue,
 * vermillion), so people with red–green colour blindness tell them apart, and no pair is red/green.
 */
export const OUTCOME_COLOURS: Readonly<Record<UsageOutcome, string>> = {
  created: '#0072B2',
  updated: '#56B4E9',
  failed: '#D55E00',
};

/** The cumulative orders line (bluish green) and the top-up marks (reddish purple), Okabe–Ito too. */
export const LINE_COLOUR = '#009E73';
export const TOP_UP_COLOUR = '#CC79A7';

export interface ThemeColours {
  background: string;
  text: string;
  grid: string;
  domain: string;
}

/**
 * Opaque backgrounds in both: a chart posted in chat is read on the platform's light or dark
 * theme, and a transparent picture with dark text vanishes on a dark one.
 */
export const THEMES: Readonly<Record<ChartTheme, ThemeColours>> = {
  light: { background: '#ffffff', text: '#1f2328', grid: '#d8dee4', domain: '#6e7781' },
  dark: { background: '#1e1f22', text: '#e6edf3', grid: '#3d444d', domain: '#8b949e' },
};

/**
 * `one`: the whole picture of one entity, exactly (Vega's 'fit' sizes the plot to leave room for
 * axes, title and legend). `each`: the plot of each of the three panels side by side; that picture
 * adds the fixed-size axes, title and legend around them, since Vega cannot fit a concatenation.
 */
export const PANEL_SIZES: Readonly<
  Record<ChartSize, { one: { width: number; height: number }; each: { width: number; height: number } }>
> = {
  small: { one: { width: 720, height: 280 }, each: { width: 230, height: 150 } },
  full: { one: { width: 1280, height: 560 }, each: { width: 400, height: 300 } },
};

export const FONT = 'DejaVu Sans';
