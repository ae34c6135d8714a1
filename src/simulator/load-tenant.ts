import { createTenantSecrets } from '../ingest/tenant-secrets';
import type { Models } from '../store';
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
 */
export async function loadSimulationTenant(
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection' | 'Transfer'>,
  tenantId: string,
): Promise<Omit<SimulationTarget, 'url'>> {
  const tenant = await models.Tenant.findOne({ tenantId }).lean();
  if (!tenant) {
    throw new SimulationSetupError(`there is no tenant '${tenantId}' in the store (the demo tenant is 'demo')`);
  }
  const [systems, connections, lastOrder] = await Promise.all([
    models.System.find({ tenantId }).lean(),
    models.DataConnection.find({ tenantId }).lean(),
    models.Transfer.findOne({ tenantId, entity: 'order', operation: 'create', reference: /^#\d+$/ }, { reference: 1 })
      .sort({ startedAt: -1 })
      .lean(),
  ]);
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
    firstOrderNumber: lastOrder?.reference ? Number(lastOrder.reference.slice(1)) + 1 : undefined,
  };
}
