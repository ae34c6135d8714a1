import { PNG } from 'pngjs';
import type { UsageOutcome } from '../../src/domain/closed-lists';
import type { Entity } from '../../src/domain/events';
import { dayAndPeriod } from '../../src/domain/periods';
import { createViewLinks, type ViewLinks } from '../../src/domain/view-links';
import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { applyPartitionUsage } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { visitInBrowser } from '../support/browser';
import { startTestApp, type RunningApp } from '../support/running-app';

const SECRET = 'usage-view-browser-test-secret-0123456789';
const DAY = 24 * 60 * 60_000;
const VIEWPORT = { width: 1200, height: 900 };

let running: RunningApp;
let links: ViewLinks;
let offsets = 0;

async function count(tenantId: string, day: string, entity: Entity, outcome: UsageOutcome, n: number) {
  const deltas = Array.from({ length: n }, () => ({ day, entity, outcome, offset: offsets++ }));
  await applyPartitionUsage(running.store.models, { tenantId, period: day.slice(0, 7), partition: 0, deltas });
}

beforeAll(async () => {
  running = await startTestApp({ LINK_SECRET: SECRET });
  links = createViewLinks({ baseUrl: running.app.url(), secret: SECRET, ttlMs: 30 * DAY });
});

afterAll(async () => {
  await running?.stop();
});

interface Figure {
  width: number;
  bars: Array<{ height: number; width: number; fill: string | null }>;
  text: string;
}

/**
 * Evaluated in the page (plain JavaScript: the tests compile without the DOM's types): each
 * figure's SVG width, its visible bars and its text. Vega names each mark group by its role; the
 * bars are the paths of the rect marks.
 */
const IN_PAGE = `({
  lang: document.documentElement.lang,
  text: document.body.innerText,
  figures: [...document.querySelectorAll('figure')].map((figure) => {
    const svg = figure.querySelector('svg');
    const bars = [...svg.querySelectorAll('g.mark-rect.role-mark path')]
      .map((bar) => {
        const box = bar.getBoundingClientRect();
        return { height: box.height, width: box.width, fill: bar.getAttribute('fill') };
      })
      .filter(({ height }) => height > 0.5);
    return { width: svg.getBoundingClientRect().width, bars, text: figure.textContent || '' };
  }),
})`;

describe('the usage chart page in a real browser', () => {
  it("shows the tenant's bars as SVG, in the tenant's language, and refuses links that are not the tenant's", async () => {
    const { models } = running.store;
    const shop = await createTestTenant(models, { language: 'da' });
    const other = await createTestTenant(models);
    // The app draws the current period: usage today, on the tenant's (Copenhagen) wall clock.
    const { day } = dayAndPeriod(new Date(), DEFAULT_TIMEZONE);
    await count(shop.tenantId, day, 'order', 'created', 12);
    await count(shop.tenantId, day, 'order', 'updated', 4);
    await count(shop.tenantId, day, 'order', 'failed', 2);
    await count(other.tenantId, day, 'order', 'created', 777);

    // Refusals first: no signature, another tenant's signature on this tenant's page, an old link.
    const link = links.usage(shop.tenantId);
    const path = new URL(link).pathname;
    expect((await fetch(`${running.app.url()}${path}`)).status).toBe(401);
    const foreign = new URL(links.usage(other.tenantId));
    foreign.pathname = path;
    expect((await fetch(foreign)).status).toBe(401);
    const expired = createViewLinks({
      baseUrl: running.app.url(),
      secret: SECRET,
      ttlMs: DAY,
      now: () => new Date(Date.now() - 2 * DAY),
    }).usage(shop.tenantId);
    expect((await fetch(expired)).status).toBe(410);
    expect((await fetch(`${link}&period=2026-13`)).status).toBe(400);

    const visit = await visitInBrowser<{ lang: string; text: string; figures: Figure[] }>({
      url: link,
      viewport: VIEWPORT,
      waitFor: 'figure svg',
      evaluate: IN_PAGE,
    });
    expect(visit.status).toBe(200);
    const { lang, text, figures } = visit.result;
    expect(lang).toBe('da');
    expect(figures).toHaveLength(3); // orders, products, stock
    const [orders, products, stock] = figures as [(typeof figures)[0], (typeof figures)[0], (typeof figures)[0]];
    expect(orders.width).toBeGreaterThan(600);
    expect(orders.bars.map(({ fill }) => fill?.toLowerCase())).toEqual(['#0072b2', '#56b4e9', '#d55e00']);
    const [created, updated, failed] = orders.bars.map(({ height }) => height) as [number, number, number];
    expect(created / updated).toBeCloseTo(3, 1);
    expect(updated / failed).toBeCloseTo(2, 1);
    expect(products.bars).toHaveLength(0);
    expect(stock.bars).toHaveLength(0);
    expect(orders.text).toContain('12 oprettet, 4 opdateret, 2 fejlede');
    expect(text).toContain('Oprettet');
    expect(text).not.toContain('777');
    expect(figures.map((figure) => figure.text).join(' ')).not.toContain('777');

    const screenshot = PNG.sync.read(visit.screenshot);
    expect([screenshot.width, screenshot.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    // Something was drawn: the screenshot holds the bars' blue.
    let blue = 0;
    for (let i = 0; i < screenshot.data.length; i += 4) {
      if (screenshot.data[i] === 0x00 && screenshot.data[i + 1] === 0x72 && screenshot.data[i + 2] === 0xb2) blue++;
    }
    expect(blue).toBeGreaterThan(20);
  });
});
