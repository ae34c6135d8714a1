import { randomUUID } from 'node:crypto';
import { iexRequestHeaders, SHOPIFY_HEADERS, signShopifyWebhook } from '../../src/ingest/signatures';

/** Posts engine events to POST /webhooks/events, signed as an engine signs them. */
export async function postEvents(
  baseUrl: string,
  tenantId: string,
  secret: string,
  body: unknown,
  options: { now?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${baseUrl}/webhooks/events`, {
    method: 'POST',
    headers: { ...iexRequestHeaders(tenantId, secret, raw, options.now), ...options.headers },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Posts a webhook to POST /webhooks/shopify/:tenantId, signed as Shopify signs it (a string is sent as is). */
export async function postShopify(
  baseUrl: string,
  tenantId: string,
  secret: string,
  topic: string,
  payload: unknown,
  webhookId: string = randomUUID(),
): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const response = await fetch(`${baseUrl}/webhooks/shopify/${tenantId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SHOPIFY_HEADERS.hmac]: signShopifyWebhook(secret, raw),
      [SHOPIFY_HEADERS.topic]: topic,
      [SHOPIFY_HEADERS.webhookId]: webhookId,
      [SHOPIFY_HEADERS.shopDomain]: `${tenantId}.myshopify.com`,
    },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
