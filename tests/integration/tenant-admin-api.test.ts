import { randomBytes } from 'node:crypto';
import type { TenantSpecInput } from '../../src/domain/tenant-spec';
import { claimLease } from '../../src/store/leases';
import { tenantClaimName } from '../../src/services/tenants/claim';
import { transferEvent } from '../fixtures/transfer-events';
import { SECRET_CACHE_MS } from '../../src/ingest/tenant-secrets';
import { waitFor } from '../support/wait-for';
import { readTopic } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { postEvents, postShopify } from '../support/webhooks';
import { shopifyOrder } from '../fixtures/shopify';

const OPS_TOKEN = randomBytes(24).toString('base64url');
const READER_TOKEN = randomBytes(24).toString('base64url');
const WRITER_TOKEN = randomBytes(24).toString('base64url');
const SHOPIFY_SECRET = randomBytes(16).toString('hex');

function acmeSpec(overrides: Partial<TenantSpecInput> = {}): TenantSpecInput {
  return {
    id: 'acme',
    name: 'Acme Webshop ApS',
    plan: 'standard',
    language: 'da',
    systems: [
      {
        id: 'shopify',
        kind: 'shopify',
        name: 'Acme webshop',
        role: 'source',
        settings: { shopDomain: 'acme.myshopify.com' },
        secrets: { webhookSecret: { value: SHOPIFY_SECRET } },
      },
      { id: 'e-conomic', kind: 'e-conomic', name: 'e-conomic', role: 'target', settings: { agreementNumber: 654321 } },
    ],
    connections: [
      { id: 'orders', from: 'shopify', to: 'e-conomic', entity: 'order', mode: 'webhook' },
      { id: 'products', from: 'shopify', to: 'e-conomic', entity: 'product', mode: 'schedule', cron: '*/30 * * * *' },
      { id: 'stock', from: 'e-conomic', to: 'shopify', entity: 'stock', mode: 'schedule', cron: '0 * * * *' },
    ],
    notifications: [{ trigger: 'transfer.failed', email: 'ops@acme.example' }],
    owner: { name: 'Karen Jensen', email: 'karen@acme.example' },
    ...overrides,
  };
}

describe('the admin API (/admin/v1)', () => {
  let running: RunningApp;
  let base: string;

  const call = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string } = {}) => {
    const response = await fetch(`${base}/admin/v1${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: the assertion on the status tells.
    }
    return { status: response.status, body: json, text, headers: response.headers };
  };

  const shopifyStatus = async (secret: string) =>
    (await postShopify(base, 'acme', secret, 'orders/create', shopifyOrder(1000 + Math.floor(Math.random() * 9000))))
      .status;

  /** Everything the store holds of acme's setup, to prove a refused request changed nothing. */
  const acmeState = async () => {
    const { models } = running.store;
    const [tenants, systems, connections, audit] = await Promise.all([
      models.Tenant.countDocuments({ tenantId: 'acme' }),
      models.System.find({ tenantId: 'acme' }, { _id: 0, updatedAt: 0, createdAt: 0 }).lean(),
      models.DataConnection.find({ tenantId: 'acme' }, { _id: 0, updatedAt: 0, createdAt: 0 }).lean(),
      models.AuditEntry.countDocuments({ tenantId: 'acme' }),
    ]);
    return { tenants, systems, connections, audit };
  };

  beforeAll(async () => {
    running = await startTestApp({
      ADMIN_TOKENS: `ops:${OPS_TOKEN},reader:${READER_TOKEN}:read,deployer:${WRITER_TOKEN}:write`,
    });
    base = running.app.url();
  });

  afterAll(() => running?.stop());

  it('refuses forged requests — no token, a wrong token, too small a scope — and they change nothing', async () => {
    const before = await acmeState();
    const noToken = await call('PUT', '/tenants/acme', { body: acmeSpec() });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await call('PUT', '/tenants/acme', { token: `${OPS_TOKEN.slice(0, -1)}x`, body: acmeSpec() });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(OPS_TOKEN);
    const reader = await call('PUT', '/tenants/acme', { token: READER_TOKEN, body: acmeSpec() });
    expect(reader.status).toBe(403);
    expect(reader.body.message).toMatch(/"reader" has the scope read; this needs write/);
    expect((await call('DELETE', '/tenants/acme', { token: WRITER_TOKEN })).status).toBe(403);
    expect((await call('GET', '/tenants/acme/export', { token: WRITER_TOKEN })).status).toBe(403);
    expect((await call('GET', '/tenants', {})).status).toBe(401);
    expect(await acmeState()).toEqual(before);
    expect(before.tenants).toBe(0);
  });

  it('answers a bad spec with 400 naming each field path, and changes nothing', async () => {
    const bad = acmeSpec({
      connections: [
        { id: 'orders', from: 'shopify', to: 'e-conomic', entity: 'order', mode: 'webhook' },
        { id: 'products', from: 'shopify', to: 'e-conomic', entity: 'product', mode: 'schedule', cron: '*/30 * * * *' },
        { id: 'stock', from: 'e-conomic', to: 'nowhere', entity: 'stock', mode: 'schedule', cron: 'every hour' },
      ],
    });
    const response = await call('PUT', '/tenants/acme', { token: OPS_TOKEN, body: bad });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_spec');
    const paths = (response.body.problems as Array<{ path: string }>).map(({ path }) => path);
    expect(paths).toEqual(expect.arrayContaining(['connections[2].cron', 'connections[2].to']));

    const mismatch = await call('PUT', '/tenants/acme', { token: OPS_TOKEN, body: { ...acmeSpec(), id: 'globex' } });
    expect(mismatch.status).toBe(400);
    expect((await call('PUT', '/tenants/acme', { token: OPS_TOKEN, raw: '{"id":' })).status).toBe(400);
    expect((await call('PUT', '/tenants/acme', { token: OPS_TOKEN, raw: '['.repeat(50_000) })).status).toBe(400);
    expect((await acmeState()).tenants).toBe(0);
  });

  it('creates a tenant (201, webhook secret once), then reports no changes for the same spec', async () => {
    const created = await call('PUT', '/tenants/acme', { token: WRITER_TOKEN, body: acmeSpec() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenantId: 'acme', created: true, applied: true });
    expect(created.body.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.text).not.toContain(SHOPIFY_SECRET);

    const again = await call('PUT', '/tenants/acme', { token: WRITER_TOKEN, body: acmeSpec() });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, applied: false, changes: [] });
    expect(again.body.webhookSecret).toBeUndefined();

    // Audited under the token's name, never its value.
    const audit = await running.store.models.AuditEntry.find({ tenantId: 'acme' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toEqual({ platform: 'admin', userId: 'deployer' });
    expect(JSON.stringify(audit)).not.toContain(WRITER_TOKEN);

    // Shown without secret values; listed.
    const shown = await call('GET', '/tenants/acme', { token: READER_TOKEN });
    expect(shown.status).toBe(200);
    expect(shown.text).not.toContain(SHOPIFY_SECRET);
    expect(shown.text).not.toContain(String(created.body.webhookSecret));
    const listed = await call('GET', '/tenants', { token: READER_TOKEN });
    expect(listed.body.tenants).toEqual([expect.objectContaining({ tenantId: 'acme', systems: 2, connections: 3 })]);
    expect((await call('GET', '/tenants/nobody', { token: READER_TOKEN })).status).toBe(404);
  });

  it('applies a changed spec as exactly its difference, and a dry run changes nothing', async () => {
    const changed = acmeSpec({
      connections: [
        { id: 'orders', from: 'shopify', to: 'e-conomic', entity: 'order', mode: 'webhook' },
        { id: 'products', from: 'shopify', to: 'e-conomic', entity: 'product', mode: 'schedule', cron: '0 6 * * *' },
        { id: 'stock', from: 'e-conomic', to: 'shopify', entity: 'stock', mode: 'schedule', cron: '0 * * * *' },
      ],
    });
    const dry = await call('PUT', '/tenants/acme?dryRun=true', { token: OPS_TOKEN, body: changed });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ applied: false, changes: [expect.objectContaining({ change: 'changed' })] });
    const product = await running.store.models.DataConnection.findOne({
      tenantId: 'acme',
      connectionId: 'products',
    }).lean();
    expect(product?.cron).toBe('*/30 * * * *');

    const applied = await call('PUT', '/tenants/acme', { token: OPS_TOKEN, body: changed });
    expect(applied.body).toMatchObject({ applied: true });
    expect(applied.body.changes).toHaveLength(1);
    expect((applied.body.changes as Array<{ path: string }>)[0]!.path).toMatch(/products.*cron/);
    const after = await running.store.models.DataConnection.findOne({
      tenantId: 'acme',
      connectionId: 'products',
    }).lean();
    expect(after?.cron).toBe('0 6 * * *');
  });

  it('answers 409 while another change of the tenant holds its claim', async () => {
    const claimed = await claimLease(running.store.models.Lease, {
      name: tenantClaimName('acme'),
      owner: 'another-instance',
      until: new Date(Date.now() + 60_000),
    });
    expect(claimed).toBe(true);
    try {
      const response = await call('PUT', '/tenants/acme', { token: OPS_TOKEN, body: acmeSpec({ name: 'Acme A/S' }) });
      expect(response.status).toBe(409);
      expect(response.headers.get('retry-after')).toBeTruthy();
      const rotate = await call('POST', '/tenants/acme/webhook-secret/rotate', { token: OPS_TOKEN });
      expect(rotate.status).toBe(409);
    } finally {
      await running.store.models.Lease.deleteOne({ _id: tenantClaimName('acme') });
    }
    const tenant = await running.store.models.Tenant.findOne({ tenantId: 'acme' }).lean();
    expect(tenant?.name).toBe('Acme Webshop ApS');
  });

  it('rotates the webhook secret: during the overlap both secrets verify, with no overlap only the new one', async () => {
    const { models } = running.store;
    const oldSecret = (await models.Tenant.findOne({ tenantId: 'acme' }).select('+webhookSecret').lean())!
      .webhookSecret!;
    const send = (secret: string) =>
      postEvents(base, 'acme', secret, transferEvent({ tenantId: 'acme', connectionId: 'orders' }));
    expect((await send(oldSecret)).status).toBe(202);

    const bad = await call('POST', '/tenants/acme/webhook-secret/rotate', {
      token: OPS_TOKEN,
      body: { overlap: 'forever' },
    });
    expect(bad.status).toBe(400);
    const rotated = await call('POST', '/tenants/acme/webhook-secret/rotate', {
      token: WRITER_TOKEN,
      body: { overlap: '1h' },
    });
    expect(rotated.status).toBe(200);
    const newSecret = String(rotated.body.secret);
    expect(newSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(String(rotated.body.previousValidUntil)) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    // The ingest cache had the old secret: the new one verifies at once all the same.
    expect((await send(newSecret)).status).toBe(202);
    expect((await send(oldSecret)).status).toBe(202);
    expect((await send('not-the-secret')).status).toBe(401);

    // No overlap: the replaced secret stops at once.
    const now = await call('POST', '/tenants/acme/webhook-secret/rotate', {
      token: OPS_TOKEN,
      body: { overlap: '0m' },
    });
    expect(now.body.previousValidUntil).toBeNull();
    expect((await send(String(now.body.secret))).status).toBe(202);
    // Revoked: refused as soon as the instance's secret cache (SECRET_CACHE_MS) has let it go.
    await waitFor('the revoked secret to be refused', async () => (await send(newSecret)).status === 401, {
      timeoutMs: SECRET_CACHE_MS + 5_000,
      intervalMs: 500,
    });
    expect(JSON.stringify(await models.AuditEntry.find({ tenantId: 'acme' }).lean())).not.toContain(newSecret);
  });

  it('keeps a changed Shopify secret valid beside the new one for the overlap', async () => {
    expect(await shopifyStatus(SHOPIFY_SECRET)).toBe(200);
    const renewed = randomBytes(16).toString('hex');
    const spec = acmeSpec();
    spec.systems![0]!.secrets = { webhookSecret: { value: renewed } };
    const applied = await call('PUT', '/tenants/acme', { token: OPS_TOKEN, body: spec });
    expect(applied.status).toBe(200);
    expect(applied.text).not.toContain(renewed);
    expect(await shopifyStatus(renewed)).toBe(200);
    expect(await shopifyStatus(SHOPIFY_SECRET)).toBe(200);
    expect(await shopifyStatus('wrong')).toBe(401);
  });

  it('issues link codes, announces changes on iex.commands.v1, and serves its OpenAPI document', async () => {
    const code = await call('POST', '/tenants/acme/link-codes', { token: WRITER_TOKEN });
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^IEX-/);
    expect((await call('POST', '/tenants/nobody/link-codes', { token: WRITER_TOKEN })).status).toBe(404);

    const commands = await readTopic(running.kafka, running.naming.topic('commands'), 3);
    const actions = commands.map(
      (message) => JSON.parse(message.value!.toString()) as { action?: string; actor: unknown },
    );
    expect(actions.map(({ action }) => action)).toEqual(
      expect.arrayContaining(['tenant.webhook-secret.rotated', expect.stringMatching(/^tenant\./)]),
    );

    const openApi = await call('GET', '/openapi.json');
    expect(openApi.status).toBe(200);
    expect(openApi.body.openapi).toBe('3.1.0');
    const schemas = (openApi.body.components as { schemas: Record<string, { properties?: Record<string, unknown> }> })
      .schemas;
    expect(Object.keys(schemas.TenantSpec!.properties!)).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'plan',
        'timezone',
        'language',
        'systems',
        'connections',
        'notifications',
        'owner',
      ]),
    );
    expect(Object.keys(openApi.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/tenants',
        '/tenants/{id}',
        '/tenants/{id}/export',
        '/tenants/{id}/webhook-secret/rotate',
      ]),
    );
  });

  it('exports the tenant as one JSON document and erases it (admin scope), leaving the invoices only', async () => {
    const exported = await call('GET', '/tenants/acme/export', { token: OPS_TOKEN });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('acme-export.json');
    const document = JSON.parse(exported.text) as { tenant: { tenantId: string } };
    expect(document.tenant.tenantId).toBe('acme');
    expect(exported.text).not.toContain(SHOPIFY_SECRET);
    expect((await call('GET', '/tenants/nobody/export', { token: OPS_TOKEN })).status).toBe(404);

    const erased = await call('DELETE', '/tenants/acme', { token: OPS_TOKEN });
    expect(erased.status).toBe(200);
    expect(Object.keys(erased.body.removed as object).length).toBeGreaterThan(0);
    expect(await running.store.models.Tenant.countDocuments({ tenantId: 'acme' })).toBe(0);
    const again = await call('DELETE', '/tenants/acme', { token: OPS_TOKEN });
    expect(again.body.removed).toEqual({});
    expect((await call('GET', '/tenants/acme', { token: OPS_TOKEN })).status).toBe(404);
  });
});
