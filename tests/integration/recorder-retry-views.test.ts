import { recordTransfers } from '../../consumers/transfer-recorder';
import type { TransferEvent } from '../../src/domain/events';
import type { DecodedMessage } from '../../src/kafka/consumer-runner';
import type { EventProducer } from '../../src/kafka/producer';
import {
  connectStore,
  readTransferList,
  recordTransferPartitions,
  tenantDays,
  transfersByReference,
} from '../../src/store';
import { transferEvent } from '../fixtures/transfer-events';
import { captureLogger } from '../support/test-env';
import { useTestStore } from '../support/test-store';

const store = useTestStore('iex_retry_views');

const producer: EventProducer = {
  connect: async () => {},
  send: async () => {},
  sendJson: async () => {},
  disconnect: async () => {},
};

/**
 * The recorder writes a batch's transfers before the views the log and retention read. A crash
 * in between (SIGKILL, a store that went away) leaves the transfers stored and the batch
 * uncommitted; Kafka hands the same batch to the next owner, which must still write the views.
 */
test('a batch tried again after its transfers were stored but not its views still files them under their reference and day', async () => {
  const { models } = store();
  const tenantId = 'crashy';
  await models.Tenant.create({ tenantId, name: 'Crashy' });
  await recordTransferPartitions(models, 1);
  const occurredAt = new Date().toISOString();
  const events: TransferEvent[] = [
    transferEvent({ id: 'e1', type: 'transfer.started', tenantId, transferId: 'tr-1', reference: '#5001', occurredAt }),
    transferEvent({
      id: 'e2',
      type: 'transfer.succeeded',
      tenantId,
      transferId: 'tr-1',
      reference: '#5001',
      occurredAt,
    }),
    transferEvent({ id: 'e3', type: 'transfer.started', tenantId, transferId: 'tr-2', reference: 'SKU-9', occurredAt }),
  ];
  // Earlier batches: tr-0 is an older transfer of the same SKU, recorded and committed.
  const older = transferEvent({ id: 'e0', tenantId, transferId: 'tr-0', reference: 'SKU-9', occurredAt });
  const message = (value: TransferEvent, offset: number): DecodedMessage<TransferEvent> => ({
    value,
    key: `${tenantId}:${value.transferId}`,
    topic: 'transfers',
    partition: 0,
    offset: String(offset),
  });
  const batch = events.map((event, index) => message(event, 10 + index));
  const { logger } = captureLogger();
  await recordTransfers({ models, producer, logger }).handle([message(older, 9)]);

  // The first owner stored the transfers and died before its views: as if they were never written.
  await recordTransfers({ models, producer, logger }).handle(batch);
  await models.TransferView.collection.deleteMany({
    tenantId,
    _id: { $regex: '^(ref@|day:|days@|view:)' } as never,
  });
  expect(await transfersByReference(models, tenantId, ['#5001'])).toEqual([]);

  // The next owner, another process with a connection of its own, gets the same batch.
  const next = connectStore(process.env.MONGO_URL!, { dbName: store().connection.name });
  await next.ready();
  try {
    await recordTransfers({ models: next.models, producer, logger }).handle(batch);
  } finally {
    await next.close();
  }
  expect(await transfersByReference(models, tenantId, ['#5001'])).toEqual(['tr-1']);
  expect(await transfersByReference(models, tenantId, ['SKU-9'])).toEqual(['tr-2']);
  expect(await tenantDays(models, tenantId)).toEqual([new Date().toISOString().slice(0, 10)]);
  const recent = await readTransferList(models, tenantId, 'recent');
  expect(recent.items.map(({ transferId, status }) => [transferId, status]).sort()).toEqual([
    ['tr-1', 'succeeded'],
    ['tr-2', 'started'],
  ]);
});
