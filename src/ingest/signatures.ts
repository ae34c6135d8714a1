import { createHmac, timingSafeEqual } from 'node:crypto';
import { isSignatureTimely } from '../domain/signature-age';

/**
 * Request signatures of the webhook endpoints. Senders (engines, the simulator, tests, the
 * benchmark) sign with the same functions the endpoints verify with.
 *
 * Engine events (`POST /webhooks/events`): `X-IEX-Tenant: <tenantId>`, `X-IEX-Timestamp: <unix
 * seconds>`, `X-IEX-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the tenant's
 * webhook secret>`. Shopify (`POST /webhooks/shopify/:tenantId`): `X-Shopify-Hmac-Sha256: <base64
 * HMAC-SHA256 of the raw body with the shop's webhook secret>`.
 */
export const IEX_HEADERS = {
  tenant: 'x-iex-tenant',
  timestamp: 'x-iex-timestamp',
  signature: 'x-iex-signature',
} as const;

export const SHOPIFY_HEADERS = {
  hmac: 'x-shopify-hmac-sha256',
  topic: 'x-shopify-topic',
  webhookId: 'x-shopify-webhook-id',
  shopDomain: 'x-shopify-shop-domain',
  triggeredAt: 'x-shopify-triggered-at',
} as const;

export function signIexRequest(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Headers for an engine request to `POST /webhooks/events`. */
export function iexRequestHeaders(tenantId: string, secret: string, rawBody: Buffer | string, now = Date.now()) {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    [IEX_HEADERS.tenant]: tenantId,
    [IEX_HEADERS.timestamp]: String(timestamp),
    [IEX_HEADERS.signature]: signIexRequest(secret, timestamp, rawBody),
  };
}

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'mismatch';

function sameBytes(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // timingSafeEqual needs equal lengths; comparing with itself keeps the time independent of the input.
  return left.length === right.length ? timingSafeEqual(left, right) : !timingSafeEqual(left, left);
}

export function verifyIexRequest(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): SignatureCheck {
  if (!input.timestamp || !input.signature) return 'missing';
  if (!/^\d{1,12}$/.test(input.timestamp)) return 'stale';
  const timestamp = Number(input.timestamp);
  // Older, or further ahead of our clock, than src/domain/signature-age.ts allows: a replay.
  if (!isSignatureTimely(timestamp, input.nowMs)) return 'stale';
  return sameBytes(signIexRequest(input.secret, timestamp, input.rawBody), input.signature) ? 'ok' : 'mismatch';
}

export function signShopifyWebhook(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function verifyShopifyWebhook(secret: string, rawBody: Buffer, hmac: string | undefined): SignatureCheck {
  if (!hmac) return 'missing';
  return sameBytes(signShopifyWebhook(secret, rawBody), hmac) ? 'ok' : 'mismatch';
}
