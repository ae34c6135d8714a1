import { appendChunks, chunkId, chunkSetSize, readChunks } from '../../src/store/append-chunks';
import { recordTransferPartitions, transfersByReference, viewIds } from '../../src/store';
import { writeTransferViews } from '../../src/store/transfer-view-writer';
import { createTransferCache } from '../../src/services/transfers/transfer-cache';
import { useTestStore } from '../support/test-store';
import { foldedTransfer } from '../support/transfers';

const store = useTestStore('iex_refchunks');

const product = (tenantId: string, n: number, reference: string) =>
  foldedTransfer(
    { tenantId, transferId: `tr-${n}`, connectionId: 'products', entity: 'product', operation: 'update', reference },
    new Date(Date.UTC(2026, 11, 1, 12) + n * 1000),
  );

/** A collection handle of its own: what another instance (or this one after a restart) would hold. */
const otherInstance = () => store().connection.db!.collection('transferViews');

test('an SKU carried by transfers in 40 batches is found whole, and each batch only inserted one small chunk for it', async () => {
  const tenantId = 'sku-shop';
  const models = store().models;
  await recordTransferPartitions(models, 1);
  const cache = createTransferCache(1000);
  for (let batch = 0; batch < 40; batch += 1) {
    const transfers = [0, 1, 2].map((i) => product(tenantId, batch * 3 + i, 'SKU-7'));
    // Another SKU in every other batch: chunks of different references do not share numbers.
    if (batch % 2 === 0) transfers.push(product(tenantId, 1000 + batch, 'SKU-9'));
    await writeTransferViews(
      { models, cache },
      0,
      transfers.map((transfer) => ({ transfer, updatedAt: new Date(), isNew: true })),
    );
  }

  const ids = await transfersByReference(models, tenantId, ['SKU-7']);
  expect(ids).toHaveLength(120);
  expect(new Set(ids)).toEqual(new Set(Array.from({ length: 120 }, (_, n) => `tr-${n}`)));
  expect(await transfersByReference(models, tenantId, ['SKU-9'])).toHaveLength(20);

  // No document grows with the reference's history: 40 chunks of 3, numbered without gaps.
  const chunks = await readChunks(models.TransferView.collection as never, viewIds.reference(tenantId, 'SKU-7', 0));
  expect(chunks.map((doc) => [doc._id, (doc.transferIds as string[]).length])).toEqual(
    Array.from({ length: 40 }, (_, n) => [chunkId(viewIds.reference(tenantId, 'SKU-7', 0), n), 3]),
  );
  expect(await models.TransferView.collection.findOne({ _id: viewIds.reference(tenantId, 'SKU-7', 0) as never })).toBe(
    null,
  );
});

test('writers that do not know of each other’s chunks (another instance, a restart) neither overwrite nor skip one', async () => {
  const base = 'ref@0:two-writers:SKU-1';
  const mine = store().models.TransferView.collection;
  const add = (collection: unknown, label: string) =>
    appendChunks(collection as never, [{ base, doc: { tenantId: 'two-writers', transferIds: [label] } }]);

  for (let n = 0; n < 5; n += 1) await add(mine, `a${n}`);
  // The other instance starts at 0, is refused, and finds the first free number.
  await add(otherInstance(), 'b0');
  // This one remembers 5, is refused there, and looks further.
  await add(mine, 'a5');
  // Both at once, ten times each.
  const other = otherInstance();
  await Promise.all([
    ...Array.from({ length: 10 }, (_, n) => add(mine, `a${6 + n}`)),
    ...Array.from({ length: 10 }, (_, n) => add(other, `b${1 + n}`)),
  ]);

  const chunks = await readChunks(mine as never, base);
  expect(chunks.map((doc) => doc._id)).toEqual(Array.from({ length: 27 }, (_, n) => chunkId(base, n)));
  const labels = chunks.flatMap((doc) => doc.transferIds as string[]);
  expect(labels.slice(0, 7)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'a5']);
  expect(new Set(labels)).toEqual(
    new Set([...Array.from({ length: 16 }, (_, n) => `a${n}`), ...Array.from({ length: 11 }, (_, n) => `b${n}`)]),
  );
});

test('a reference is read from the documents earlier versions wrote as well as from its chunks', async () => {
  const tenantId = 'old-shop';
  const models = store().models;
  await recordTransferPartitions(models, 1);
  await models.TransferView.collection.insertMany([
    { _id: viewIds.legacyReference(tenantId, '#1001') as never, tenantId, transferIds: ['tr-legacy'] },
    { _id: viewIds.reference(tenantId, '#1001', 0) as never, tenantId, transferIds: ['tr-whole'] },
  ]);
  await writeTransferViews({ models, cache: createTransferCache(10) }, 0, [
    { transfer: product(tenantId, 1, '#1001'), updatedAt: new Date(), isNew: true },
  ]);
  expect(new Set(await transfersByReference(models, tenantId, ['#1001']))).toEqual(
    new Set(['tr-legacy', 'tr-whole', 'tr-1']),
  );
});

test('a tenant erased and created again under the same id starts its references at the first chunk', async () => {
  const tenantId = 'reborn-shop';
  const models = store().models;
  await recordTransferPartitions(models, 1);
  const cache = createTransferCache(10);
  const write = (n: number, generation: string) =>
    writeTransferViews({ models, cache, generationOf: () => generation }, 0, [
      { transfer: product(tenantId, n, 'SKU-3'), updatedAt: new Date(), isNew: true },
    ]);
  for (let n = 0; n < 3; n += 1) await write(n, 'first');
  // Erasure removes every document keyed by the tenant.
  await models.TransferView.collection.deleteMany({ tenantId });
  await write(10, 'second');
  expect(await transfersByReference(models, tenantId, ['SKU-3'])).toEqual(['tr-10']);
});

test('a counted set’s size is read from its last chunk, also when another writer or a restart added chunks in between', async () => {
  const base = 'day:counted-shop:2026-12-01:0';
  const mine = store().models.TransferView.collection;
  const add = (collection: unknown, count: number) =>
    appendChunks(collection as never, [
      { base, count, doc: { tenantId: 'counted-shop', transferIds: Array.from({ length: count }, (_, n) => `t${n}`) } },
    ]);
  expect(await chunkSetSize(mine as never, base)).toBe(0);
  await add(mine, 3);
  await add(otherInstance(), 2);
  await add(mine, 4);
  for (let n = 0; n < 20; n += 1) await add(mine, 1);
  expect(await chunkSetSize(mine as never, base)).toBe(29);
  expect((await readChunks(mine as never, base)).map((doc) => doc.total)).toEqual([
    3,
    5,
    9,
    ...Array.from({ length: 20 }, (_, n) => 10 + n),
  ]);
});
