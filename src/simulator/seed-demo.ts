import { randomBytes } from 'node:crypto';
import type { Models } from '../store/models';
import { insertKeepingDuplicates } from '../store';

export const DEMO_TENANT_ID = 'demo';

function startOfMonthUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * Seeds the demo tenant: a Shopify webshop into e-conomic, orders driven by webhooks, products and
 * stock on a schedule, 500 included orders a month. Every write is an upsert that only fills what
 * is missing, so a second run (or two instances starting at once) changes nothing.
 *
 * @returns the tenant id when this call created the tenant, undefined when it already existed.
 */
export async function seedDemoTenant(models: Models, now = new Date()): Promise<string | undefined> {
  const tenantId = DEMO_TENANT_ID;
  const upsert = <T>(filter: Record<string, unknown>, doc: T) => ({
    updateOne: {
      filter: { tenantId, ...filter },
      update: { $setOnInsert: { tenantId, ...filter, ...doc } },
      upsert: true,
    },
  });

  const tenant = await models.Tenant.updateOne(
    { tenantId },
    {
      $setOnInsert: {
        tenantId,
        name: 'Demo webshop',
        active: true,
        modules: { orders: true, products: true, stock: true },
        // The simulator reads it from the store; it never leaves this machine.
        webhookSecret: randomBytes(32).toString('hex'),
      },
    },
    { upsert: true },
  );

  await models.System.bulkWrite([
    upsert(
      { systemId: 'shopify' },
      {
        kind: 'shopify',
        name: 'Shopify webshop',
        role: 'source',
        connected: true,
        settings: { shopDomain: 'iex-demo.myshopify.com', currency: 'DKK' },
        // Shopify signs its webhooks with this; the simulator reads it from the store.
        secrets: { webhookSecret: randomBytes(32).toString('hex') },
      },
    ),
    upsert(
      { systemId: 'e-conomic' },
      {
        kind: 'e-conomic',
        name: 'e-conomic',
        role: 'target',
        connected: true,
        settings: { agreementNumber: 123456, layoutNumber: 19, paymentTermsNumber: 1, vatZone: 'domestic' },
      },
    ),
  ]);

  await models.DataConnection.bulkWrite([
    upsert(
      { connectionId: 'shopify-economic-orders' },
      { fromSystemId: 'shopify', toSystemId: 'e-conomic', entity: 'order', mode: 'webhook', active: true },
    ),
    upsert(
      { connectionId: 'shopify-economic-products' },
      {
        fromSystemId: 'shopify',
        toSystemId: 'e-conomic',
        entity: 'product',
        mode: 'schedule',
        cron: '*/15 * * * *',
        timezone: 'Europe/Copenhagen',
        active: true,
      },
    ),
    upsert(
      { connectionId: 'economic-shopify-stock' },
      {
        fromSystemId: 'e-conomic',
        toSystemId: 'shopify',
        entity: 'stock',
        mode: 'schedule',
        cron: '0 * * * *',
        timezone: 'Europe/Copenhagen',
        active: true,
      },
    ),
  ]);

  // Inserted, duplicates kept: the scheduler's reconciliation creates the same jobs from the
  // connections above, and may do so at this very moment (an upsert losing that race fails E11000).
  await insertKeepingDuplicates(models.Job, [
    {
      tenantId,
      jobId: 'shopify-economic-products',
      connectionId: 'shopify-economic-products',
      cron: '*/15 * * * *',
      timezone: 'Europe/Copenhagen',
    },
    {
      tenantId,
      jobId: 'economic-shopify-stock',
      connectionId: 'economic-shopify-stock',
      cron: '0 * * * *',
      timezone: 'Europe/Copenhagen',
    },
  ]);

  await models.Subscription.bulkWrite([
    upsert(
      {},
      {
        plan: 'standard',
        includedOrders: 500,
        periodStart: startOfMonthUtc(now),
        autoTopUp: { enabled: true, packOrders: 100, maxPerPeriod: 5 },
        billing: {
          company: 'Demo Webshop ApS',
          vatNumber: 'DK12345678',
          email: 'billing@demo-webshop.example',
          address: 'Demovej 1, 8000 Aarhus C',
        },
      },
    ),
  ]);

  // A demo seeded by an older version lacks secrets added since; fill in only what is missing.
  await models.Tenant.updateOne(
    { tenantId, webhookSecret: { $exists: false } },
    { $set: { webhookSecret: randomBytes(32).toString('hex') } },
  );
  await models.System.updateOne(
    { tenantId, systemId: 'shopify', 'secrets.webhookSecret': { $exists: false } },
    { $set: { 'secrets.webhookSecret': randomBytes(32).toString('hex') } },
  );

  return tenant.upsertedCount > 0 ? tenantId : undefined;
}
