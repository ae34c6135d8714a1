import type { TransferEvent } from '../src/domain/events';
import { transferKey } from '../src/domain/events';
import { holdFor } from '../src/domain/holds';
import { connectionLabel } from '../src/domain/labels';
import {
  rawWebhookSchema,
  SHOPIFY_TOPICS,
  shopifyReceivedEventId,
  shopifyReference,
  shopifyTransferId,
  type RawWebhook,
} from '../src/domain/webhooks';
import { defineConsumer, type DecodedMessage } from '../src/kafka/consumer-runner';
import type { EventProducer } from '../src/kafka/producer';
import type { Logger } from '../src/config/logger';
import type { Models } from '../src/store';

export interface ShopifyNormalizerDeps {
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection'>;
  producer: EventProducer;
  logger: Logger;
}

/** When Shopify says the change happened, if it says so plausibly; else when we received it. */
function occurredAt(webhook: RawWebhook): string {
  const triggered = webhook.triggeredAt ? Date.parse(webhook.triggeredAt) : Number.NaN;
  const received = Date.parse(webhook.receivedAt);
  return Number.isFinite(triggered) && triggered <= received ? new Date(triggered).toISOString() : webhook.receivedAt;
}

/**
 * Turns each Shopify webhook into the first event of a transfer on the tenant's matching
 * connection: `transfer.started`, or `transfer.held` with its reason when the integration, the
 * module, the system or the connection is off — kept, never dropped. The event id derives from the
 * webhook id, so a webhook Shopify delivers twice is one transfer.
 */
export function normalizeShopifyWebhooks({ models, producer, logger }: ShopifyNormalizerDeps) {
  return defineConsumer<RawWebhook>({
    groupId: 'iex.shopify-normalizer',
    topics: ['webhooksRaw'],
    schema: rawWebhookSchema,
    async handle(messages) {
      const tenantIds = [...new Set(messages.map(({ value }) => value.tenantId))];
      const [tenants, systems, connections] = await Promise.all([
        models.Tenant.find({ tenantId: { $in: tenantIds } }).lean(),
        models.System.find({ tenantId: { $in: tenantIds } }).lean(),
        models.DataConnection.find({ tenantId: { $in: tenantIds } }).lean(),
      ]);
      const events: TransferEvent[] = [];
      const rejected: Array<{ message: DecodedMessage<RawWebhook>; reason: string }> = [];
      let skipped = 0;

      for (const message of messages) {
        const webhook = message.value;
        const { entity, operation } = SHOPIFY_TOPICS[webhook.topic];
        const tenant = tenants.find(({ tenantId }) => tenantId === webhook.tenantId);
        const tenantSystems = systems.filter(({ tenantId }) => tenantId === webhook.tenantId);
        const system = tenantSystems.find(({ kind }) => kind === 'shopify');
        const connection =
          system &&
          connections.find(
            (candidate) =>
              candidate.tenantId === webhook.tenantId &&
              candidate.fromSystemId === system.systemId &&
              candidate.entity === entity,
          );
        if (!tenant || !system) {
          rejected.push({
            message,
            reason: `no ${!tenant ? 'tenant' : 'Shopify system'} for tenant ${webhook.tenantId}`,
          });
          continue;
        }
        if (!connection) {
          // No flow from Shopify for this entity: e.g. stock flows e-conomic > Shopify, and Shopify
          // reports back the level we just set. Not a transfer, so nothing to keep.
          skipped += 1;
          continue;
        }
        const hold = holdFor({
          tenant,
          system,
          connection: { active: connection.active, name: connectionLabel(connection, tenantSystems) },
          entity,
        });
        const transferId = shopifyTransferId(webhook.webhookId);
        events.push({
          id: shopifyReceivedEventId(webhook.webhookId),
          type: hold ? 'transfer.held' : 'transfer.started',
          tenantId: webhook.tenantId,
          transferId,
          connectionId: connection.connectionId,
          entity,
          operation,
          occurredAt: occurredAt(webhook),
          source: { system: 'shopify', format: `shopify.${webhook.topic}`, payload: webhook.payload },
          reference: shopifyReference(webhook.topic, webhook.payload),
          ...(hold ? { hold } : {}),
        });
      }

      if (skipped > 0) logger.debug({ skipped }, 'webhooks without a connection from Shopify skipped');
      await producer.sendJson(
        'transfers',
        events.map((event) => ({ key: transferKey(event), value: event })),
      );
      return { rejected };
    },
  });
}
