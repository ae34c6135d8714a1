import { connectStore, type Store } from '../../src/store';
import { createTenantSecrets } from '../../src/ingest/tenant-secrets';
import { signShopifyWebhook, verifyShopifyWebhook, type SignatureCheck } from '../../src/ingest/signatures';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** A check as the webhook routes make it: does `secret` sign what `signedWith` signed? */
const signedBy =
  (signedWith: string) =>
  (secret: string): SignatureCheck =>
    verifyShopifyWebhook(secret, Buffer.from('{}'), signShopifyWebhook(signedWith, '{}'));

describe('webhook secrets during and after a rotation', () => {
  let store: Store;
  let tenant: TestTenant;

  beforeAll(async () => {
    store = connectStore(testConfig().MONGO_URL);
    await store.ready();
    tenant = await createTestTenant(store.models);
  });

  afterAll(async () => {
    await store.connection.dropDatabase();
    await store.close();
  });

  it('accepts the replaced engine secret until its overlap ends, then only the new one, with no restart', async () => {
    const secrets = createTenantSecrets(store.models, 60_000);
    const { tenantId, engineSecret: old } = tenant;
    expect(await secrets.verifyEngine(tenantId, signedBy(old))).toBe('ok');

    await store.models.Tenant.updateOne(
      { tenantId },
      {
        $set: {
          webhookSecret: 'the-new-secret',
          previousWebhookSecret: { secret: old, until: new Date(Date.now() + 1500) },
        },
      },
    );
    // The cache still holds only the old secret: the new one is read on its first refusal.
    expect(await secrets.verifyEngine(tenantId, signedBy('the-new-secret'))).toBe('ok');
    expect(await secrets.verifyEngine(tenantId, signedBy(old))).toBe('ok');
    expect(await secrets.engineSecret(tenantId)).toBe('the-new-secret');

    await waitFor(
      'the overlap to end',
      async () => (await secrets.verifyEngine(tenantId, signedBy(old))) === 'mismatch',
      {
        timeoutMs: 10_000,
      },
    );
    expect(await secrets.verifyEngine(tenantId, signedBy('the-new-secret'))).toBe('ok');
    expect(await secrets.verifyEngine(tenantId, signedBy('a-forgery'))).toBe('mismatch');
  });

  it("does the same for the Shopify system's secret, and refuses every secret of an unknown tenant", async () => {
    const secrets = createTenantSecrets(store.models, 60_000);
    const { tenantId, shopifySecret: old } = tenant;
    await store.models.System.updateOne(
      { tenantId, kind: 'shopify' },
      {
        $set: {
          'secrets.webhookSecret': 'renewed-by-shopify',
          'secrets.previousWebhookSecret': { secret: old, until: new Date(Date.now() + 1500) },
        },
      },
    );
    expect(await secrets.verifyShopify(tenantId, signedBy('renewed-by-shopify'))).toBe('ok');
    expect(await secrets.verifyShopify(tenantId, signedBy(old))).toBe('ok');
    await waitFor(
      'the overlap to end',
      async () => (await secrets.verifyShopify(tenantId, signedBy(old))) === 'mismatch',
      {
        timeoutMs: 10_000,
      },
    );
    expect(await secrets.verifyShopify('no-such-tenant', signedBy(old))).toBe('mismatch');
  });
});
