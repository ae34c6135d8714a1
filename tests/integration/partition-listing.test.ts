import type { FoldedTransfer } from '../../src/domain/transfer-fold';
import {
  applyPartitionUsage,
  readUsage,
  recordTransferPartitions,
  tenantDays,
  tenantPartitions,
  transfersByReference,
  unlistDay,
  viewIds,
} from '../../src/store';
import { writeTransferViews } from '../../src/store/transfer-view-writer';
import { createTransferCache } from '../../src/services/transfers/transfer-cache';
import { useTestStore } from '../support/test-store';
import { foldedTransfer } from '../support/transfers';

const store = useTestStore('iex_partition_listing');

/**
 * Owners of different partitions (two instances) add to one `partitions:<tenant>` list at the same
 * moment when a new tenant's first events arrive; FerretDB applies an update as read-modify-write
 * and can lose one of the two. What a tenant sees must not depend on that list being complete.
 */
describe("a tenant's partitions, when the list of them lost an update", () => {
  const usage = (tenantId: string, partition: number, orders: number) =>
    applyPartitionUsage(store().models, {
      tenantId,
      period: '2026-12',
      partition,
      deltas: Array.from({ length: orders }, (_, offset) => ({
        day: '2026-12-01',
        entity: 'order' as const,
        outcome: 'created' as const,
        orders: 1,
        offset,
      })),
    });

  it('counts the usage of every partition once the topic’s partition count is noted', async () => {
    const { models } = store();
    await usage('shop-a', 0, 2);
    await usage('shop-a', 1, 3);
    // The update that added partition 1 was lost: the list says 0 only.
    await models.TransferView.collection.updateOne(
      { _id: viewIds.partitions('shop-a') as never },
      { $set: { partitions: [0] } },
    );
    expect((await readUsage(models, 'shop-a', '2026-12')).ordersUsed).toBe(2);

    await recordTransferPartitions(models, 3);
    expect(await tenantPartitions(models, 'shop-a')).toEqual([0, 1, 2]);
    expect((await readUsage(models, 'shop-a', '2026-12')).ordersUsed).toBe(5);
  });

  it('keeps a partition the list names beyond the count (a store written before it was noted)', async () => {
    const { models } = store();
    await recordTransferPartitions(models, 2);
    await models.TransferView.collection.updateOne(
      { _id: viewIds.partitions('shop-b') as never },
      { $set: { partitions: [5] } },
      { upsert: true },
    );
    expect(await tenantPartitions(models, 'shop-b')).toEqual([0, 1, 5]);
  });

  it("finds a SKU's transfers from every partition, each partition's entry written by its owner alone", async () => {
    const { models } = store();
    await recordTransferPartitions(models, 3);
    const stock = (partition: number, n: number): FoldedTransfer => ({
      tenantId: 'shop-c',
      transferId: `stock-${partition}-${n}`,
      connectionId: 'stock',
      entity: 'stock',
      operation: 'update',
      status: 'succeeded',
      stages: [],
      attempts: 1,
      eventIds: [],
      startedAt: new Date(),
      reference: 'SKU-12',
    });
    // Two owners at the same moment, as two instances would write.
    await Promise.all(
      [0, 2].map((partition) =>
        writeTransferViews({ models, cache: createTransferCache(10) }, partition, [
          { transfer: stock(partition, 1), updatedAt: new Date(), isNew: true },
          { transfer: stock(partition, 2), updatedAt: new Date(), isNew: true },
        ]),
      ),
    );
    // A store written before references were kept per partition.
    await models.TransferView.collection.insertOne({
      _id: viewIds.legacyReference('shop-c', 'SKU-12') as never,
      tenantId: 'shop-c',
      transferIds: ['stock-old'],
    });
    expect((await transfersByReference(models, 'shop-c', ['SKU-12'])).sort()).toEqual([
      'stock-0-1',
      'stock-0-2',
      'stock-2-1',
      'stock-2-2',
      'stock-old',
    ]);
  });

  it('lists every day any partition recorded, when the owners of three partitions list days at once', async () => {
    const { models } = store();
    await recordTransferPartitions(models, 3);
    const days = Array.from({ length: 36 }, (_, n) => new Date(Date.UTC(2026, 9, 1) + n * 86_400_000)).map((at) =>
      at.toISOString().slice(0, 10),
    );
    // Three owners, each a day new to the tenant in every batch, at the same moments.
    for (let round = 0; round < 12; round += 1) {
      await Promise.all(
        [0, 1, 2].map((partition, _, __, day = days[round * 3 + partition]!) =>
          writeTransferViews({ models, cache: createTransferCache(10) }, partition, [
            {
              transfer: foldedTransfer(
                { tenantId: 'shop-d', transferId: `order-${partition}-${day}`, connectionId: 'orders' },
                new Date(`${day}T10:00:00Z`),
              ),
              updatedAt: new Date(`${day}T10:00:00Z`),
              isNew: true,
            },
          ]),
        ),
      );
    }
    // Retention starts from this list: a day missing from it would never be deleted.
    expect(await tenantDays(models, 'shop-d')).toEqual(days);
    await unlistDay(models, 'shop-d', days[0]!);
    expect(await tenantDays(models, 'shop-d')).toEqual(days.slice(1));
  });
});
