import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to read-only pages of one tenant (src/web/view-routes.ts), for e-mails
 * and chat messages: whoever holds the link may read that one page until it expires, without
 * logging in. The signature covers what the page shows (kind, tenant, id) and the expiry, so
 * changing any of them breaks it.
 */
export interface ViewLinks {
  /** Absolute, signed URL of one transfer's page. */
  transfer(tenantId: string, transferId: string): string;
  /** Absolute, signed URL of the tenant's subscription page. */
  subscription(tenantId: string): string;
  /**
   * Absolute, signed URL of the tenant's usage chart page. The signature scopes it to the tenant;
   * the period (`YYYY-MM`, the current one when absent) is a plain query value, since every
   * period of the tenant's usage is the tenant's to read.
   */
  usage(tenantId: string, period?: string): string;
}

export type ViewTarget =
  | { kind: 'transfer'; tenantId: string; transferId: string }
  | { kind: 'subscription'; tenantId: string }
  | { kind: 'usage'; tenantId: string };

export type LinkCheck = 'ok' | 'missing' | 'mismatch' | 'expired';

export interface ViewLinkOptions {
  /**
   * Where people open the service, e.g. https://chatops.example.com (PUBLIC_URL); a function when
   * it is known only once the server listens (PORT=0).
   */
  baseUrl: string | (() => string);
  /** LINK_SECRET: whoever knows it can make links to any tenant's pages. */
  secret: string;
  /** How long a link stays valid (LINK_TTL_DAYS). */
  ttlMs: number;
  now?: () => Date;
}

/**
 * The signed text. Ids are URI-encoded so that no ':' inside an id can make two different
 * targets sign the same text (tenant "a:b" transfer "c" against tenant "a" transfer "b:c").
 */
function signedText(target: ViewTarget, exp: number): string {
  const parts =
    target.kind === 'transfer' ? [target.kind, target.tenantId, target.transferId] : [target.kind, target.tenantId];
  return [...parts.map(encodeURIComponent), String(exp)].join(':');
}

/** base64url HMAC-SHA256 of the target and its expiry (unix seconds). */
export function signView(target: ViewTarget, exp: number, secret: string): string {
  return createHmac('sha256', secret).update(signedText(target, exp)).digest('base64url');
}

/** The page's path below the base URL, without the query. */
export function viewPath(target: ViewTarget): string {
  const tenant = encodeURIComponent(target.tenantId);
  if (target.kind === 'transfer') return `/view/transfer/${tenant}/${encodeURIComponent(target.transferId)}`;
  return `/view/${target.kind}/${tenant}`;
}

export function createViewLinks({ baseUrl, secret, ttlMs, now = () => new Date() }: ViewLinkOptions): ViewLinks {
  const base = () => (typeof baseUrl === 'function' ? baseUrl() : baseUrl).replace(/\/+$/, '');
  const link = (target: ViewTarget) => {
    const exp = Math.floor((now().getTime() + ttlMs) / 1000);
    return `${base()}${viewPath(target)}?exp=${exp}&sig=${signView(target, exp, secret)}`;
  };
  return {
    transfer: (tenantId, transferId) => link({ kind: 'transfer', tenantId, transferId }),
    subscription: (tenantId) => link({ kind: 'subscription', tenantId }),
    usage: (tenantId, period) =>
      `${link({ kind: 'usage', tenantId })}${period ? `&period=${encodeURIComponent(period)}` : ''}`,
  };
}

/**
 * Checks a link's `exp` and `sig` query values for `target`. The signature is compared in
 * constant time and before the expiry, so a changed expiry is a mismatch, not "expired".
 */
export function verifyViewLink(
  target: ViewTarget,
  query: { exp?: unknown; sig?: unknown },
  secret: string,
  now: Date,
): LinkCheck {
  const { exp, sig } = query;
  if (typeof exp !== 'string' || typeof sig !== 'string' || !exp || !sig) return 'missing';
  if (!/^\d{1,12}$/.test(exp)) return 'mismatch';
  const expected = Buffer.from(signView(target, Number(exp), secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
  return Number(exp) * 1000 <= now.getTime() ? 'expired' : 'ok';
}
