import { renderChart } from '../../src/services/charts/render-chart';

/**
 * Vega-Lite patches Set.prototype.toJSON when loaded; left in place, discord.js (loaded after the
 * charts by the service) failed to load and every Set serialised as "Set(…)".
 */
describe('the charts leave the built-ins as they found them', () => {
  it('lets discord.js load after them, keeps Set serialising as JSON does, and still draws', async () => {
    expect(() => require('discord.js')).not.toThrow();
    expect(JSON.stringify({ ids: new Set(['a']) })).toBe('{"ids":{}}');
    const chart = await renderChart({
      width: 100,
      height: 50,
      data: { values: [{ day: '1', n: 2 }] },
      mark: 'bar',
      encoding: { x: { field: 'day', type: 'ordinal' }, y: { field: 'n', type: 'quantitative' } },
    });
    expect(chart.png.subarray(1, 4).toString()).toBe('PNG');
    expect(Object.hasOwn(Set.prototype, 'toJSON')).toBe(false);
  });
});
