import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../src/http/server';
import { createMetrics } from '../../src/config/metrics';
import type { Store } from '../../src/store';
import { createStorePorts } from '../../src/services/ports';
import { createViewLinks, type ViewLinks } from '../../src/domain/view-links';
import { createViewRoutes } from '../../src/web/view-routes';
import { createTestTenant } from '../fixtures/tenants';
import { startCommandCore, type CoreUnderTest } from '../support/command-core';
import { captureLogger } from '../support/test-env';
import { storeTransfers } from '../support/transfers';

const SECRET = 'view-routes-test-secret-of-32-chars!!';
const DAY = 24 * 60 * 60_000;

let harness: CoreUnderTest;
let store: Store;
let server: Server;
let base: string;
let links: ViewLinks;
const { logger } = captureLogger();

/** A failed order with its data in both formats; the order note tries to inject markup. */
async function failedOrder(tenantId: string, transferId = 'ord-1012') {
  const at = new Date(Date.now() - 5 * 60_000);
  await storeTransfers(store.models, [
    {
      tenantId,
      transferId,
      reference: '#1012',
      connectionId: 'orders',
      entity: 'order',
      operation: 'create',
      status: 'failed',
      attempts: 1,
      error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone for country "NO"', retryable: true },
      stages: [
        { name: 'received', status: 'started', at },
        { name: 'posted to e-conomic', status: 'failed', message: 'VAT zone', at },
      ],
      source: {
        system: 'shopify',
        format: 'shopify.orders/create',
        payload: { name: '#1012', note: '<script>alert("x")</script>', country: 'NO' },
      },
      target: {
        system: 'e-conomic',
        format: 'economic.invoice',
        payload: { currency: 'DKK', lines: [{ sku: 'SKU-1' }] },
      },
      startedAt: at,
    },
  ]);
  return transferId;
}

/** An English reader's browser; refusals, which come before the link is trusted, answer in its language. */
const get = (url: string, language = 'en-GB,en;q=0.8') =>
  fetch(url, { redirect: 'manual', headers: { 'accept-language': language } });
/** The link for another path: same query, the path of `other`. */
const withPath = (link: string, path: string) => {
  const url = new URL(link);
  url.pathname = path;
  return url.toString();
};

beforeAll(async () => {
  harness = await startCommandCore('view-routes');
  store = harness.store;
  const ports = createStorePorts({ models: store.models, producer: harness.producer, logger });
  const app = createHttpApp({
    logger,
    metrics: createMetrics(),
    checks: [],
    routers: [{ path: '/view', router: createViewRoutes({ ports, secret: SECRET, logger }) }],
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  links = createViewLinks({ baseUrl: base, secret: SECRET, ttlMs: 30 * DAY });
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await harness?.stop();
});

describe('the read-only pages behind signed links', () => {
  it('opens a transfer: the log detail of /iex log, with both payload formats, escaped, without buttons', async () => {
    const { tenantId } = await createTestTenant(store.models);
    const transferId = await failedOrder(tenantId);

    const response = await get(links.transfer(tenantId, transferId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'; style-src 'unsafe-inline'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();

    expect(html).toContain('<title>Transfer #1012: failed (Shopify &gt; e-conomic)</title>');
    expect(html).toContain('<h1>Transfer #1012</h1>');
    expect(html).toContain('<th>Order / reference</th><td>#1012</td>');
    expect(html).toContain('<code>economic.vat_zone_unknown</code>');
    expect(html).toContain('<code>shopify.orders/create</code>');
    expect(html).toContain('<code>economic.invoice</code>');
    expect(html).toContain('&quot;sku&quot;: &quot;SKU-1&quot;');
    // The order's own text is data, never markup.
    expect(html).toContain('&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<form|<button|onerror/i);
    // Read-only: the page holds no Retry, no "Back to the log", and says who can retry.
    expect(html).not.toContain('Retry<');
    expect(html).not.toContain('class="button"');
    expect(html).toContain('An admin can retry this transfer.');
  });

  it('opens the subscription as /iex subscription shows it, without buttons', async () => {
    const { tenantId } = await createTestTenant(store.models);
    const response = await get(links.subscription(tenantId));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toMatch(/<h1>Subscription — [^<]+<\/h1>/);
    expect(html).not.toMatch(/class="button"|<form|<script/);
  });

  it('refuses a tampered or missing signature (401) and an expired link (410)', async () => {
    const { tenantId } = await createTestTenant(store.models);
    const transferId = await failedOrder(tenantId);
    const link = links.transfer(tenantId, transferId);
    const url = new URL(link);

    const sig = url.searchParams.get('sig')!;
    url.searchParams.set('sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    const tampered = await get(url.toString());
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await tampered.text()).toContain('This link is not valid');

    url.searchParams.set('sig', sig);
    url.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400));
    expect((await get(url.toString())).status).toBe(401);
    expect((await get(link.slice(0, link.indexOf('&sig=')))).status).toBe(401);
    expect((await get(link.slice(0, link.indexOf('?')))).status).toBe(401);

    const past = new Date(Date.now() - 31 * DAY);
    const old = createViewLinks({ baseUrl: base, secret: SECRET, ttlMs: 30 * DAY, now: () => past });
    const expired = await get(old.transfer(tenantId, transferId));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain(
      `This link has expired — ask for the transfer in Slack or Discord with /iex log ${transferId}`,
    );
    expect((await get(old.subscription(tenantId))).status).toBe(410);
  });

  it("refuses tenant A's signature on tenant B's transfer of the same id (401)", async () => {
    const a = await createTestTenant(store.models);
    const b = await createTestTenant(store.models);
    const transferId = await failedOrder(a.tenantId, 'ord-shared');
    await failedOrder(b.tenantId, 'ord-shared');

    const link = links.transfer(a.tenantId, transferId);
    expect((await get(link)).status).toBe(200);
    const response = await get(withPath(link, `/view/transfer/${b.tenantId}/${transferId}`));
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('#1012');
    expect((await get(withPath(links.subscription(a.tenantId), `/view/subscription/${b.tenantId}`))).status).toBe(401);
  });

  it('answers 404 for a transfer that is no longer kept, even with a good signature', async () => {
    const { tenantId } = await createTestTenant(store.models);
    const response = await get(links.transfer(tenantId, 'ord-gone'));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('This transfer is no longer kept');
    expect((await get(links.subscription('t-no-such-tenant'))).status).toBe(404);
  });

  it("speaks the tenant's language on its pages, and the browser's on a refusal", async () => {
    const { tenantId } = await createTestTenant(store.models);
    await store.models.Tenant.updateOne({ tenantId }, { $set: { language: 'da' } });
    const gone = await get(links.transfer(tenantId, 'ord-gone'));
    expect(gone.status).toBe(404);
    const html = await gone.text();
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('Denne overførsel gemmes ikke længere');
    expect(html).toContain('en side, der kun kan læses, åbnet med et signeret link');
    expect(html).not.toContain('read-only page');

    const subscription = await (await get(links.subscription(tenantId))).text();
    expect(subscription).toContain('<html lang="da">');
    expect(subscription).toContain('åbnet med et signeret link');

    const past = new Date(Date.now() - 31 * DAY);
    const old = createViewLinks({ baseUrl: base, secret: SECRET, ttlMs: 30 * DAY, now: () => past });
    const danishBrowser = await get(old.subscription(tenantId), 'da-DK,da;q=0.9,en;q=0.5');
    expect(danishBrowser.status).toBe(410);
    expect(await danishBrowser.text()).toContain('Linket er udløbet — se abonnementet i Slack eller Discord');
    const englishBrowser = await get(old.subscription(tenantId));
    expect(await englishBrowser.text()).toContain('This link has expired — see the subscription in Slack or Discord');
  });
});
