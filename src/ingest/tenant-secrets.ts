import type { Models } from '../store';

export interface TenantSecrets {
  /** The key engines sign `POST /webhooks/events` with; undefined for an unknown tenant. */
  engineSecret(tenantId: string): Promise<string | undefined>;
  /** The key Shopify signs the tenant's webhooks with; undefined when the tenant has no Shopify. */
  shopifySecret(tenantId: string): Promise<string | undefined>;
}

/**
 * Looks secrets up in the store, with a short cache: every webhook needs one, and a store round
 * trip per request would make ingest as slow as the store. A rotated secret is picked up within
 * `ttlMs`; an unknown tenant is looked up again sooner, so a new tenant works at once.
 */
export function createTenantSecrets(models: Pick<Models, 'Tenant' | 'System'>, ttlMs = 30_000): TenantSecrets {
  const cache = new Map<string, { value: string | undefined; until: number }>();
  const cached = async (key: string, load: () => Promise<string | undefined>) => {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await load();
    cache.set(key, { value, until: Date.now() + (value ? ttlMs : Math.min(ttlMs, 2_000)) });
    return value;
  };
  return {
    engineSecret: (tenantId) =>
      cached(`engine:${tenantId}`, async () => {
        const tenant = await models.Tenant.findOne({ tenantId }, { webhookSecret: 1 }).select('+webhookSecret').lean();
        return tenant?.webhookSecret ?? undefined;
      }),
    shopifySecret: (tenantId) =>
      cached(`shopify:${tenantId}`, async () => {
        const system = await models.System.findOne({ tenantId, kind: 'shopify' }, { secrets: 1 })
          .select('+secrets')
          .lean();
        const secret = (system?.secrets as { webhookSecret?: unknown } | undefined)?.webhookSecret;
        return typeof secret === 'string' ? secret : undefined;
      }),
  };
}
