import { z } from 'zod';
import { ID_MAX_LENGTH, idSchema, REFERENCE_MAX_LENGTH, type Entity, type Operation } from './events';

/** The Shopify webhook topics the product handles, and what each becomes. */
export const SHOPIFY_TOPICS = {
  'orders/create': { entity: 'order', operation: 'create' },
  'orders/updated': { entity: 'order', operation: 'update' },
  'products/create': { entity: 'product', operation: 'create' },
  'products/update': { entity: 'product', operation: 'update' },
  'inventory_levels/update': { entity: 'stock', operation: 'update' },
} as const satisfies Record<string, { entity: Entity; operation: Operation }>;

export type ShopifyTopic = keyof typeof SHOPIFY_TOPICS;
export const shopifyTopicSchema = z.enum(Object.keys(SHOPIFY_TOPICS) as [ShopifyTopic, ...ShopifyTopic[]]);

const TRANSFER_ID_PREFIX = 'shopify-';
const RECEIVED_EVENT_SUFFIX = '-received';

/**
 * Longest X-Shopify-Webhook-Id taken (Shopify's are UUIDs, 36 characters): the transfer id and the
 * event id derived from it must still fit the event contract's ids, or the webhook would be
 * accepted here and dead-lettered later.
 */
export const SHOPIFY_WEBHOOK_ID_MAX_LENGTH = ID_MAX_LENGTH - TRANSFER_ID_PREFIX.length - RECEIVED_EVENT_SUFFIX.length;

export const shopifyWebhookIdSchema = z.string().min(1).max(SHOPIFY_WEBHOOK_ID_MAX_LENGTH);

/**
 * A webhook as received, on iex.webhooks.raw.v1, before it is turned into a transfer event. The
 * HTTP edge validates what it produces with this schema too, so nothing it accepts is refused by
 * the normalizer.
 */
export const rawWebhookSchema = z.object({
  id: z.string().min(1).max(ID_MAX_LENGTH),
  source: z.literal('shopify'),
  tenantId: idSchema,
  topic: shopifyTopicSchema,
  /** X-Shopify-Webhook-Id: the same for every delivery of one webhook, so it deduplicates. */
  webhookId: shopifyWebhookIdSchema,
  /** X-Shopify-Shop-Domain: a host name (at most 255 characters). */
  shopDomain: z.string().max(255).optional(),
  receivedAt: z.iso.datetime({ offset: true }),
  /** X-Shopify-Triggered-At: a timestamp; only trusted when it parses and is not in the future. */
  triggeredAt: z.string().max(100).optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type RawWebhook = z.infer<typeof rawWebhookSchema>;

/**
 * Transfer id of a webhook's transfer: derived from the webhook id, so a redelivered webhook is
 * the same transfer and its events the same events. Colons are not allowed in ids (Kafka keys).
 */
export function shopifyTransferId(webhookId: string): string {
  return `${TRANSFER_ID_PREFIX}${webhookId.replace(/[:\s]/g, '_')}`;
}

/** Id of the event that starts (or holds) a webhook's transfer. */
export function shopifyReceivedEventId(webhookId: string): string {
  return `${shopifyTransferId(webhookId)}${RECEIVED_EVENT_SUFFIX}`;
}

/**
 * Cuts a reference to what the contract keeps, marking the cut with an ellipsis, and never between
 * the two halves of a surrogate pair. A long product title is still a transfer worth keeping: the
 * reference only labels it in the log.
 */
export function fitReference(text: string): string {
  if (text.length <= REFERENCE_MAX_LENGTH) return text;
  let end = REFERENCE_MAX_LENGTH - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * What a person searches the log by: the order name (#1001), the product title, the stock item;
 * cut to the contract's length (a product title may be longer than a reference).
 */
export function shopifyReference(topic: ShopifyTopic, payload: Record<string, unknown>): string | undefined {
  const reference = derivedReference(topic, payload);
  return reference === undefined ? undefined : fitReference(reference);
}

function derivedReference(topic: ShopifyTopic, payload: Record<string, unknown>): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
  switch (SHOPIFY_TOPICS[topic].entity) {
    case 'order':
      return text(payload.name) ?? (payload.order_number !== undefined ? `#${text(payload.order_number)}` : undefined);
    case 'product':
      return text(payload.title) ?? text(payload.handle) ?? text(payload.id);
    case 'stock':
      return payload.inventory_item_id !== undefined ? `item ${text(payload.inventory_item_id)}` : undefined;
  }
}
