import { bulkUpsert, storeBulkMax } from '../../src/store';
import { waitFor } from '../support/wait-for';
import { useTestStore } from '../support/test-store';

const store = useTestStore('iex_bounded');

/**
 * FerretDB v1 keeps a connection per update statement in flight and needs one more to write: past
 * about 100 statements at once (here 4,000) the database used to hang for good, for every client.
 * The update slots keep what is in flight under that, so the burst completes and the store answers.
 */
test('a burst of concurrent update bulks completes and leaves the store answering', async () => {
  const collection = store().models.TransferView.collection;
  // Updates of documents that exist: a statement that matches keeps its read cursor open.
  for (let bulk = 0; bulk < 160; bulk += 1) {
    await collection.insertMany(
      Array.from({ length: storeBulkMax() }, (_, i) => ({ _id: `burst:${bulk}:${i}` as never, tenantId: 'burst' })),
    );
  }
  const bulks = Array.from({ length: 160 }, (_, bulk) =>
    Array.from({ length: storeBulkMax() }, (_, i) => ({
      updateOne: {
        filter: { _id: `burst:${bulk}:${i}` },
        update: { $set: { tenantId: 'burst', n: i }, $inc: { writes: 1 } },
        upsert: true,
      },
    })),
  );
  const done = Promise.all(bulks.map((operations) => bulkUpsert(collection, operations, storeBulkMax())));
  let finished = false;
  void done.then(() => (finished = true));
  await waitFor('every bulk to finish', () => finished, { timeoutMs: 120_000, intervalMs: 200 });
  await done;
  const sample = await collection.findOne({ _id: `burst:159:${storeBulkMax() - 1}` as never });
  expect(sample).toMatchObject({ tenantId: 'burst', writes: 1, n: storeBulkMax() - 1 });
  expect(await collection.countDocuments({ tenantId: 'burst' })).toBe(160 * storeBulkMax());
}, 150_000);
