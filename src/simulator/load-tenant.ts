import { createTenantSecrets } from '../ingest/tenant-secrets';
import { readTransferViews, type Models } from '../store';
import { resolveRoutes } from './routes';
import type { SimulationTarget } from './run-simulation';

/** A reason the simulator cannot run for a tenant, worded for the person who started it. */
export class SimulationSetupError extends Error {
  override readonly name = 'SimulationSetupError';
}

/**
 * Reads what the simulator needs from the store: the tenant's two webhook secrets, how each
 * entity's transfers flow (the connection the normalizer would pick) and the next order number,
 * so a second run continues after the first run's orders instead of repeating #1001.
 *
 * The order number never comes from a search of the transfers: it follows the highest `#<number>`
 * reference among the tenant's latest transfers, which the recorder keeps in its view documents
 * `view:<tenant>:<partition>` of transferViews (readTransferViews, after `partitions:<tenant>`),
 * all read by `_id` — on FerretDB v1 any other filter reads the whole collection; on MongoDB `_id`
 * is the primary index. Those lists keep each partition's latest 500 transfers, plenty to find
 * the last run's orders.
 */
export async function loadSimulationTenant(
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection' | 'TransferView'>,
  tenantId: string,
): Promise<Omit<SimulationTarget, 'url'>> {
  const tenant = await models.Tenant.findOne({ tenantId }).lean();
  if (!tenant) {
    throw new SimulationSetupError(`there is no tenant '${tenantId}' in the store (the demo tenant is 'demo')`);
  }
  const [systems, connections, views] = await Promise.all([
    models.System.find({ tenantId }).lean(),
    models.DataConnection.find({ tenantId }).lean(),
    readTransferViews(models, tenantId),
  ]);
  const orderNumbers = views.recent
    .filter(({ entity, operation, reference }) => entity === 'order' && operation === 'create' && reference)
    .map(({ reference }) => /^#(\d+)$/.exec(reference!)?.[1])
    .filter((digits) => digits !== undefined)
    .map(Number);
  const shopify = systems.find(({ kind }) => kind === 'shopify');
  if (!shopify) {
    throw new SimulationSetupError(`tenant '${tenantId}' has no Shopify system, so there is no webshop to simulate`);
  }
  const secrets = createTenantSecrets(models, 0);
  const [engineSecret, shopifySecret] = await Promise.all([
    secrets.engineSecret(tenantId),
    secrets.shopifySecret(tenantId),
  ]);
  if (!engineSecret) {
    throw new SimulationSetupError(`tenant '${tenantId}' has no webhook secret, so engine events cannot be signed`);
  }
  if (!shopifySecret) {
    throw new SimulationSetupError(
      `the Shopify system of tenant '${tenantId}' has no webhook secret, so its webhooks cannot be signed`,
    );
  }
  const routes = resolveRoutes({ tenant, systems, connections });
  if (Object.keys(routes).length === 0) {
    throw new SimulationSetupError(`tenant '${tenantId}' has no connection from or into Shopify to simulate`);
  }
  const settings = shopify.settings as { shopDomain?: unknown } | undefined;
  return {
    tenantId,
    engineSecret,
    shopifySecret,
    shopDomain: typeof settings?.shopDomain === 'string' ? settings.shopDomain : `${tenantId}.myshopify.com`,
    routes,
    firstOrderNumber: orderNumbers.length > 0 ? Math.max(...orderNumbers) + 1 : undefined,
  };
}
