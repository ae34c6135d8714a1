import { transferEventSchema, type TransferEvent } from '../src/domain/events';
import { defineConsumer } from '../src/kafka/consumer-runner';
import type { Models } from '../src/store';

/**
 * Keeps every accepted transfer event in MongoDB, once: the event id is the idempotency key, so
 * a redelivered or replayed batch changes nothing.
 */
export function recordTransferEvents(models: Pick<Models, 'TransferEvent'>) {
  return defineConsumer<TransferEvent>({
    groupId: 'iex.transfer-recorder',
    topics: ['transfers'],
    schema: transferEventSchema,
    async handle(messages) {
      const receivedAt = new Date();
      await models.TransferEvent.bulkWrite(
        messages.map(({ value: event }) => ({
          updateOne: {
            filter: { tenantId: event.tenantId, eventId: event.id },
            update: {
              $setOnInsert: {
                tenantId: event.tenantId,
                eventId: event.id,
                transferId: event.transferId,
                type: event.type,
                occurredAt: new Date(event.occurredAt),
                receivedAt,
                event,
              },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    },
  });
}
