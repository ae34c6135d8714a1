import { applyPartitionUsage, readUsage, recordTransferPartitions, tenantPartitions, viewIds } from '../../src/store';
import { useTestStore } from '../support/test-store';

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
});
