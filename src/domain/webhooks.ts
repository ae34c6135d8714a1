import { z } from 'zod';
import type { Entity, Operation } from './events';

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

/** A webhook as received, on iex.webhooks.raw.v1, before it is turned into a transfer event. */
export const rawWebhookSchema = z.object({
  id: z.string().min(1),
  source: z.literal('shopify'),
  tenantId: z.string().min(1),
  topic: shopifyTopicSchema,
  /** X-Shopify-Webhook-Id: the same for every delivery of one webhook, so it deduplicates. */
  webhookId: z.string().min(1).max(200),
  shopDomain: z.string().optional(),
  receivedAt: z.iso.datetime({ offset: true }),
  triggeredAt: z.string().optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type RawWebhook = z.infer<typeof rawWebhookSchema>;

/**
 * Transfer id of a webhook's transfer: derived from the webhook id, so a redelivered webhook is
 * the same transfer and its events the same events. Colons are not allowed in ids (Kafka keys).
 */
export function shopifyTransferId(webhookId: string): string {
  return `shopify-${webhookId.replace(/[:\s]/g, '_')}`;
}

/** What a person searches the log by: the order name (#1001), the product title, the stock item. */
export function shopifyReference(topic: ShopifyTopic, payload: Record<string, unknown>): string | undefined {
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
