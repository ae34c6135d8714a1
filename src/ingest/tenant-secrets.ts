import type { SignatureCheck } from './signatures';
import type { Models } from '../store';

export interface TenantSecrets {
  /** The key engines sign `POST /webhooks/events` with now; undefined for an unknown tenant. */
  engineSecret(tenantId: string): Promise<string | undefined>;
  /** The key Shopify signs the tenant's webhooks with now; undefined when the tenant has no Shopify. */
  shopifySecret(tenantId: string): Promise<string | undefined>;
  /**
   * Checks an engine request with the tenant's secret, or with the one a rotation replaced while
   * its overlap lasts. 'mismatch' for an unknown tenant, as for a wrong signature.
   */
  verifyEngine(tenantId: string, check: (secret: string) => SignatureCheck): Promise<SignatureCheck>;
  /** The same for a Shopify webhook and the tenant's Shopify system's secret(s). */
  verifyShopify(tenantId: string, check: (secret: string) => SignatureCheck): Promise<SignatureCheck>;
}

/** A secret and, during a rotation's overlap, the one it replaced. */
interface SecretPair {
  current?: string;
  previous?: { secret: string; until: Date };
}

/** The stored form of a replaced secret (tenant `previousWebhookSecret`, system `secrets.previousWebhookSecret`). */
function previousOf(value: unknown): SecretPair['previous'] {
  const candidate = value as { secret?: unknown; until?: unknown } | undefined;
  if (typeof candidate?.secret !== 'string' || candidate.until === undefined) return undefined;
  const until = new Date(candidate.until as string | Date);
  return Number.isNaN(until.getTime()) ? undefined : { secret: candidate.secret, until };
}

/** The secrets a signature may be made with at `now`: the current one first. */
function validSecrets(pair: SecretPair, now: number): string[] {
  return [
    ...(pair.current ? [pair.current] : []),
    ...(pair.previous && pair.previous.until.getTime() > now ? [pair.previous.secret] : []),
  ];
}

/** 'ok' when any secret verifies; else what the first one said ('stale' and 'missing' do not depend on the key). */
function verifyWithAny(secrets: readonly string[], check: (secret: string) => SignatureCheck): SignatureCheck {
  let first: SignatureCheck = 'mismatch';
  for (const [index, secret] of secrets.entries()) {
    const result = check(secret);
    if (result === 'ok') return 'ok';
    if (index === 0) first = result;
  }
  return first;
}

/** How long a secret read from the store is used without reading it again. */
export const SECRET_CACHE_MS = 5_000;

/**
 * Looks secrets up in the store, with a short cache: every webhook needs one, and a store round
 * trip per request would make ingest as slow as the store. A request the cached secrets refuse
 * reads the store again, so a secret rotated on another instance verifies at once, not after the
 * cache's `ttlMs`; those reads are shared (one in flight per tenant), so a flood of forged
 * requests costs one read at a time, as requests for unknown tenants already do. What the cache
 * cannot know is that a secret it accepts was revoked (a rotation without overlap, an erased
 * tenant): `ttlMs` bounds that, 5 s by default — one read per tenant per 5 s is nothing to the store.
 * An overlap's end is checked on every request, so the replaced secret stops working on time.
 */
export function createTenantSecrets(models: Pick<Models, 'Tenant' | 'System'>, ttlMs = SECRET_CACHE_MS): TenantSecrets {
  const cache = new Map<string, { value: SecretPair; loadedAt: number }>();
  const reading = new Map<string, Promise<SecretPair>>();

  const reread = (key: string, read: () => Promise<SecretPair>): Promise<SecretPair> => {
    let pending = reading.get(key);
    if (!pending) {
      pending = read()
        .then((value) => {
          cache.set(key, { value, loadedAt: Date.now() });
          return value;
        })
        .finally(() => reading.delete(key));
      reading.set(key, pending);
    }
    return pending;
  };

  const load = async (key: string, read: () => Promise<SecretPair>) => {
    const hit = cache.get(key);
    // An unknown tenant is looked up again sooner, so a new tenant works at once.
    const ttl = hit?.value.current ? ttlMs : Math.min(ttlMs, 2_000);
    if (hit && Date.now() - hit.loadedAt < ttl) return hit.value;
    return reread(key, read);
  };
  const readEngine = async (tenantId: string): Promise<SecretPair> => {
    const tenant = await models.Tenant.findOne({ tenantId }, { webhookSecret: 1, previousWebhookSecret: 1 })
      .select('+webhookSecret +previousWebhookSecret')
      .lean();
    return { current: tenant?.webhookSecret ?? undefined, previous: previousOf(tenant?.previousWebhookSecret) };
  };
  const readShopify = async (tenantId: string): Promise<SecretPair> => {
    const system = await models.System.findOne({ tenantId, kind: 'shopify' }, { secrets: 1 }).select('+secrets').lean();
    const secrets = system?.secrets as { webhookSecret?: unknown; previousWebhookSecret?: unknown } | undefined;
    return {
      current: typeof secrets?.webhookSecret === 'string' ? secrets.webhookSecret : undefined,
      previous: previousOf(secrets?.previousWebhookSecret),
    };
  };

  const verify = async (
    key: string,
    read: () => Promise<SecretPair>,
    check: (secret: string) => SignatureCheck,
  ): Promise<SignatureCheck> => {
    const cached = await load(key, read);
    const result = verifyWithAny(validSecrets(cached, Date.now()), check);
    if (result !== 'mismatch') return result;
    return verifyWithAny(validSecrets(await reread(key, read), Date.now()), check);
  };

  return {
    engineSecret: async (tenantId) => (await load(`engine:${tenantId}`, () => readEngine(tenantId))).current,
    shopifySecret: async (tenantId) => (await load(`shopify:${tenantId}`, () => readShopify(tenantId))).current,
    verifyEngine: (tenantId, check) => verify(`engine:${tenantId}`, () => readEngine(tenantId), check),
    verifyShopify: (tenantId, check) => verify(`shopify:${tenantId}`, () => readShopify(tenantId), check),
  };
}
