import { PNG } from 'pngjs';
import type { UsageOutcome } from '../../src/domain/closed-lists';
import type { Entity } from '../../src/domain/events';
import { OUTCOME_COLOURS } from '../../src/services/charts/chart-theme';
import { createUsageCharts } from '../../src/services/charts/usage-chart';
import { applyPartitionUsage, type UsageDelta } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { useTestStore } from '../support/test-store';

const store = useTestStore('iex_usage_chart');
const NOW = new Date('2026-12-15T12:00:00Z');

let offsets = 0;
/** Counts `n` outcomes of an entity on a day, as the usage consumer does from transfer messages. */
async function count(tenantId: string, day: string, entity: Entity, outcome: UsageOutcome, n: number) {
  const deltas: UsageDelta[] = Array.from({ length: n }, () => ({
    day,
    entity,
    outcome,
    ...(entity === 'order' && outcome === 'created' ? { orders: 1 } : {}),
    offset: offsets++,
  }));
  await applyPartitionUsage(store().models, { tenantId, period: day.slice(0, 7), partition: 0, deltas });
}

/** Bars of the picture, left to right: per bar, the height in pixels of each outcome's colour. */
function measureBars(png: Buffer) {
  const image = PNG.sync.read(png);
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const colours = Object.fromEntries(
    Object.entries(OUTCOME_COLOURS).map(([outcome, hex]) => [outcome, rgb(hex)]),
  ) as Record<UsageOutcome, number[]>;
  /** The longest vertical run of exactly `colour` in column x (a legend swatch is a short, separate run). */
  const run = (x: number, colour: number[]) => {
    let best = 0;
    let current = 0;
    for (let y = 0; y < image.height; y++) {
      const i = (y * image.width + x) * 4;
      const same = colour.every((c, k) => image.data[i + k] === c);
      current = same ? current + 1 : 0;
      best = Math.max(best, current);
    }
    return best;
  };
  const columns = Array.from({ length: image.width }, (_, x) => ({
    x,
    created: run(x, colours.created),
    updated: run(x, colours.updated),
    failed: run(x, colours.failed),
  }));
  const bars: Array<typeof columns> = [];
  let open: typeof columns | undefined;
  for (const column of columns) {
    const isBar = column.created + column.updated + column.failed >= 20;
    if (isBar) {
      open ??= [];
      open.push(column);
    } else if (open) {
      bars.push(open);
      open = undefined;
    }
  }
  return {
    width: image.width,
    height: image.height,
    bars: bars.map((columnsOfBar) => ({ ...columnsOfBar[Math.floor(columnsOfBar.length / 2)]! })),
  };
}

describe('usage chart', () => {
  const charts = () => createUsageCharts(store().models, { cacheSize: 20 });

  it('draws the stacked bars of the days with usage, in the proportions of the counts, at the promised size', async () => {
    const { tenantId } = await createTestTenant(store().models);
    const days = { '2026-11-20': [6, 12, 3], '2026-12-03': [10, 20, 5], '2026-12-10': [4, 8, 12] } as const;
    for (const [day, [created, updated, failed]] of Object.entries(days)) {
      await count(tenantId, day, 'product', 'created', created);
      await count(tenantId, day, 'product', 'updated', updated);
      await count(tenantId, day, 'product', 'failed', failed);
    }
    const chart = await charts().usageChart({
      tenantId,
      period: '2026-12',
      entity: 'product',
      language: 'en',
      size: 'full',
      now: NOW,
    });
    const measured = measureBars(chart.png);
    expect([measured.width, measured.height]).toEqual([1280, 560]);
    expect([chart.width, chart.height]).toEqual([1280, 560]);
    expect(chart.fileName).toBe('usage-2026-12-product.png');

    expect(measured.bars).toHaveLength(3);
    // One pixel height per count, the same for every segment of every bar (within the rounding of edges).
    const values = Object.values(days).flat();
    const heights = measured.bars.flatMap(({ created, updated, failed }) => [created, updated, failed]);
    const scale = heights.reduce((a, b) => a + b, 0) / values.reduce((a, b) => a + b, 0);
    heights.forEach((height, index) => expect(Math.abs(height - values[index]! * scale)).toBeLessThanOrEqual(2));
    expect(measured.bars[1]!.updated / measured.bars[1]!.failed).toBeCloseTo(4, 0);
    // The bars stand on their days: 13 days from 20 Nov to 3 Dec, 7 more to 10 Dec.
    const [a, b, c] = measured.bars.map(({ x }) => x) as [number, number, number];
    expect(Math.abs((b - a) / (c - b) - 13 / 7)).toBeLessThan(0.05);
  });

  it('states the numbers in the alt text, in English and in Danish', async () => {
    const { tenantId } = await createTestTenant(store().models, { includedOrders: 1000 });
    await count(tenantId, '2026-12-02', 'order', 'created', 1234);
    await count(tenantId, '2026-12-02', 'order', 'failed', 3);
    await count(tenantId, '2026-11-28', 'order', 'updated', 7);
    await store().models.TopUp.create({
      tenantId,
      period: '2026-12',
      orders: 500,
      priceOre: 25_000,
      auto: true,
      invoiceNumber: 'INV-1',
      idempotencyKey: 'auto-1',
      at: new Date('2026-12-02T10:00:00Z'),
    });
    const request = { tenantId, period: '2026-12', entity: 'order' as const, now: NOW };
    const en = await charts().usageChart({ ...request, language: 'en' });
    expect(en.alt).toContain('Orders in December 2026: 1,234 created, 0 updated, 3 failed.');
    expect(en.alt).toContain('Orders in November 2026: 0 created, 7 updated, 0 failed.');
    expect(en.alt).toContain('The plan includes 1,000 orders a period; 1,234 orders counted in December 2026');
    expect(en.alt).toContain('Extra orders bought: 500 orders on 2 Dec.');
    const da = await charts().usageChart({ ...request, language: 'da' });
    expect(da.alt).toContain('Ordrer i december 2026: 1.234 oprettet, 0 opdateret, 3 fejlede.');
    expect(da.alt).toContain('Ordrer i november 2026: 0 oprettet, 7 opdateret, 0 fejlede.');
    expect(da.alt).toContain('Abonnementet indeholder 1.000 ordrer pr. periode; 1.234 ordrer talt med i december 2026');
    expect(da.alt).toContain('Købte ekstra ordrer: 500 ordrer den 2. dec.');
    // The chart speaks the language too: the legend and the day labels.
    expect(en.svg).toContain('Created');
    expect(en.svg).toContain('1 Dec');
    expect(da.svg).toContain('Oprettet');
    expect(da.svg).toContain('1. dec.');
    expect(da.svg).not.toContain('Created');
  });

  it("never shows another tenant's usage, even from the cache", async () => {
    const { models } = store();
    const a = await createTestTenant(models);
    const b = await createTestTenant(models);
    await count(a.tenantId, '2026-12-05', 'stock', 'updated', 11);
    await count(b.tenantId, '2026-12-05', 'stock', 'updated', 29);
    const shared = charts();
    const request = { period: '2026-12', entity: 'stock' as const, language: 'en' as const, now: NOW };
    const ofB = await shared.usageChart({ ...request, tenantId: b.tenantId });
    const ofA = await shared.usageChart({ ...request, tenantId: a.tenantId });
    expect(ofA.alt).toContain('Stock in December 2026: 0 created, 11 updated, 0 failed.');
    expect(ofA.alt).not.toContain('29');
    expect(ofB.alt).toContain('Stock in December 2026: 0 created, 29 updated, 0 failed.');
    expect(ofA.png.equals(ofB.png)).toBe(false);
    const [barA] = measureBars(ofA.png).bars;
    const [barB] = measureBars(ofB.png).bars;
    // Each chart scales to its own data; A's bar is A's 11, not B's 29: A's axis tops out lower.
    expect(ofA.svg).not.toContain('>30<');
    expect(barA!.updated).toBeGreaterThan(0);
    expect(barB!.updated).toBeGreaterThan(0);
  });

  it('answers from the cache until new usage arrives, then draws the new usage', async () => {
    const { tenantId } = await createTestTenant(store().models);
    await count(tenantId, '2026-12-07', 'order', 'created', 5);
    const shared = charts();
    const request = { tenantId, period: '2026-12', language: 'da' as const, size: 'small' as const, now: NOW };
    const first = await shared.usageChart(request);
    const again = await shared.usageChart(request);
    expect(again.png).toBe(first.png);
    expect(first.alt).toContain('Ordrer i december 2026: 5 oprettet');

    await count(tenantId, '2026-12-08', 'order', 'created', 9);
    const after = await shared.usageChart(request);
    expect(after.png).not.toBe(first.png);
    expect(after.png.equals(first.png)).toBe(false);
    expect(after.alt).toContain('Ordrer i december 2026: 14 oprettet');
    // Another theme is another picture, the light one is still cached.
    const dark = await shared.usageChart({ ...request, theme: 'dark' });
    expect(dark.png.equals(after.png)).toBe(false);
    expect((await shared.usageChart(request)).png).toBe(after.png);
  });
});
