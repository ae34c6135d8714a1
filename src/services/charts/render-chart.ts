import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { FONT } from './chart-theme';
import { compileVegaLite } from './vega-lite-compile';

export interface RenderedChart {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
}

/**
 * A Vega-Lite spec drawn by Vega itself, headless (no browser, no canvas: the 'none' renderer
 * lays out and `toSVG` serialises), then rasterised by resvg with the system's DejaVu fonts.
 */
export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const runtime = vega.parse(compileVegaLite(spec));
  const view = new vega.View(runtime, { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const image = new Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: FONT },
      background: undefined,
    }).render();
    const png = image.asPng();
    return { svg, png, width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}
