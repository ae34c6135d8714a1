import type { Entity, Hold, Operation, TransferError } from '../domain/events';
import type { TransferStatus } from '../domain/closed-lists';
import type { FoldedTransfer } from '../domain/transfer-fold';
import type { Models } from './models';
import { chunkId, chunkSetSize, readChunks } from './append-chunks';
import { mapBounded, withUpdateSlots } from './bounded';
import { bulkUpsert } from './errors';

/** What a log line, the status page and a job's result need of a transfer: no payloads. */
export interface TransferSummaryRecord {
  transferId: string;
  reference?: string;
  connectionId: string;
  entity: Entity;
  operation: Operation;
  status: TransferStatus;
  hold?: Hold;
  error?: TransferError;
  attempts: number;
  runId?: string;
  /** When its last stage happened. */
  at: Date;
  startedAt: Date;
  finishedAt?: Date;
  /** When the log last changed it. */
  updatedAt: Date;
}

/** The three lists one partition keeps of a tenant, newest first. */
export interface TransferViewLists {
  recent: TransferSummaryRecord[];
  failed: TransferSummaryRecord[];
  held: TransferSummaryRecord[];
}

export const LIST_NAMES = ['recent', 'failed', 'held'] as const;
export type ListName = (typeof LIST_NAMES)[number];

/**
 * Each list is a ring of small pages, appended to at its head: a batch rewrites one page of at
 * most PAGE_SIZE entries, never the whole list (FerretDB re-encodes a whole document on every
 * write; a 200-entry list cost 25 ms a write). A transfer that changes again is appended again;
 * readers keep its newest entry. A transfer that leaves the failed or held list is appended with
 * its new status and dropped by readers. The oldest page falls off when the ring is full: the log
 * shows the latest transfers (as the dashboard did); failed and held keep far more, because they
 * are what people act on.
 */
export const PAGE_SIZE = 25;
export const RING_PAGES: Record<ListName, number> = { recent: 8, failed: 40, held: 40 };

export const viewIds = {
  /** A list's ring: the page numbers, newest first. */
  ring: (tenantId: string, partition: number, list: ListName) => `view:${tenantId}:${partition}:${list}`,
  page: (tenantId: string, partition: number, list: ListName, page: number) =>
    `view:${tenantId}:${partition}:${list}:${page}`,
  partitions: (tenantId: string) => `partitions:${tenantId}`,
  /** The UTC days one partition first recorded a tenant's transfers on: one writer, the partition's owner. */
  days: (tenantId: string, partition: number) => `days@${partition}:${tenantId}`,
  /**
   * The transfers of one partition carrying an order number or SKU: one writer, the partition's
   * owner, appending chunks `<this>#<n>` (append-chunks.ts).
   */
  reference: (tenantId: string, reference: string, partition: number) => `ref@${partition}:${tenantId}:${reference}`,
  /** The same for every partition at once, as stores written before 2026-12 hold them. */
  legacyReference: (tenantId: string, reference: string) => `ref:${tenantId}:${reference}`,
  run: (tenantId: string, runId: string, partition: number) => `run:${tenantId}:${runId}:${partition}`,
  /** The transfers first recorded that UTC day from that partition, in chunks `<this>#<n>`. */
  day: (tenantId: string, day: string, partition: number) => `day:${tenantId}:${day}:${partition}`,
};

export function summaryOf(transfer: FoldedTransfer, updatedAt: Date): TransferSummaryRecord {
  return {
    transferId: transfer.transferId,
    ...(transfer.reference ? { reference: transfer.reference } : {}),
    connectionId: transfer.connectionId,
    entity: transfer.entity,
    operation: transfer.operation,
    status: transfer.status,
    ...(transfer.hold ? { hold: transfer.hold } : {}),
    ...(transfer.error ? { error: transfer.error } : {}),
    attempts: transfer.attempts,
    ...(transfer.runId ? { runId: transfer.runId } : {}),
    at: transfer.stages.at(-1)?.at ?? transfer.startedAt,
    startedAt: transfer.startedAt,
    ...(transfer.finishedAt ? { finishedAt: transfer.finishedAt } : {}),
    updatedAt,
  };
}

const newestFirst = (a: TransferSummaryRecord, b: TransferSummaryRecord) =>
  b.updatedAt.getTime() - a.updatedAt.getTime() || b.transferId.localeCompare(a.transferId);

/** Which entries of a ring belong to the list. */
export const BELONGS: Record<ListName, (entry: TransferSummaryRecord) => boolean> = {
  recent: () => true,
  failed: ({ status }) => status === 'failed',
  held: ({ status }) => status === 'held',
};

/** The list a ring's entries make: each transfer's newest entry, if it still belongs. */
export function listOf(list: ListName, entries: TransferSummaryRecord[]): TransferSummaryRecord[] {
  const seen = new Set<string>();
  const newest: TransferSummaryRecord[] = [];
  for (const entry of [...entries].sort(newestFirst)) {
    if (seen.has(entry.transferId)) continue;
    seen.add(entry.transferId);
    if (BELONGS[list](entry)) newest.push(entry);
  }
  return newest;
}

type ViewModels = Pick<Models, 'TransferView'>;

/**
 * What the writer of a ring keeps: page numbers newest first, the entries of the head page, and
 * the transfers the list holds now with the page of each one's newest entry (the count is stored
 * on the ring document, so readers of a long failed list need not read every page to say how many
 * there are; the page says which leave the list when that page falls off the ring).
 */
export interface RingState {
  pages: number[];
  head: TransferSummaryRecord[];
  members: Map<string, number>;
}

const ringDoc = (models: ViewModels, tenantId: string, partition: number, list: ListName) =>
  models.TransferView.collection.findOne({ _id: viewIds.ring(tenantId, partition, list) as never });
const pageItems = async (models: ViewModels, tenantId: string, partition: number, list: ListName, page: number) =>
  ((await models.TransferView.collection.findOne({ _id: viewIds.page(tenantId, partition, list, page) as never }))
    ?.items as TransferSummaryRecord[] | undefined) ?? [];

/** A ring as its writer needs it, by `_id`: read whole, once after a restart or a rebalance. */
export async function readRing(
  models: ViewModels,
  tenantId: string,
  partition: number,
  list: ListName,
): Promise<RingState> {
  const pages = ((await ringDoc(models, tenantId, partition, list))?.pages as number[] | undefined) ?? [];
  const items = await mapBounded(pages, 8, (page) => pageItems(models, tenantId, partition, list, page));
  const members = new Map<string, number>();
  const seen = new Set<string>();
  pages.forEach((page, index) => {
    for (const entry of [...(items[index] ?? [])].sort(newestFirst)) {
      if (seen.has(entry.transferId)) continue;
      seen.add(entry.transferId);
      if (BELONGS[list](entry)) members.set(entry.transferId, page);
    }
  });
  return { pages, head: items[0] ?? [], members };
}

/**
 * One partition's list, newest first, by `_id`: the ring document, then its pages newest first —
 * all of them, or only until `limit` entries belong (a transfer's newest entry is always met
 * first, so stopping early never shows a stale one). `total` is how many the list holds.
 */
async function readPartitionList(
  models: ViewModels,
  tenantId: string,
  partition: number,
  list: ListName,
  limit?: number,
): Promise<{ items: TransferSummaryRecord[]; total: number }> {
  const ring = await ringDoc(models, tenantId, partition, list);
  const pages = (ring?.pages as number[] | undefined) ?? [];
  const entries: TransferSummaryRecord[] = [];
  let items: TransferSummaryRecord[] = [];
  // A few pages at a time: a short answer reads one or two, a full list reads them in parallel.
  const step = limit === undefined ? Math.max(1, pages.length) : 2;
  for (let at = 0; at < pages.length; at += step) {
    if (limit !== undefined && items.length >= limit) break;
    const slice = pages.slice(at, at + step);
    entries.push(...(await mapBounded(slice, 8, (page) => pageItems(models, tenantId, partition, list, page))).flat());
    items = listOf(list, entries);
  }
  const counted = ring?.count as number | undefined;
  return { items, total: list === 'recent' || counted === undefined ? items.length : counted };
}

/**
 * A tenant's list over all partitions, newest first (at most `limit` when given), and how many it
 * holds. A handful of reads by `_id` however long the history.
 */
export async function readTransferList(
  models: ViewModels,
  tenantId: string,
  list: ListName,
  limit?: number,
): Promise<{ items: TransferSummaryRecord[]; total: number }> {
  const partitions = await tenantPartitions(models, tenantId);
  const parts = await mapBounded(partitions, 4, (p) => readPartitionList(models, tenantId, p, list, limit));
  const items = parts.flatMap((part) => part.items).sort(newestFirst);
  return {
    items: limit === undefined ? items : items.slice(0, limit),
    total: parts.reduce((sum, part) => sum + part.total, 0),
  };
}

/** What each store's listing documents already hold, so each value is written once per process. */
const listed = new WeakMap<object, Set<string>>();

/**
 * Adds `value` to the `field` list of the listing document `_id`, which readers and retention start
 * from instead of searching. Written once per process and value (an upsert by `_id`); retention
 * never removes the current day, so remembering it here cannot hide a bucket.
 */
async function listOnce(
  models: ViewModels,
  _id: string,
  tenantId: string,
  field: 'partitions' | 'days',
  value: number | string,
): Promise<void> {
  const known = listed.get(models.TransferView) ?? new Set<string>();
  listed.set(models.TransferView, known);
  const key = `${_id}\u0000${field}\u0000${value}`;
  if (known.has(key)) return;
  const update = { $set: { tenantId }, $addToSet: { [field]: value } };
  await bulkUpsert(models.TransferView.collection, [{ updateOne: { filter: { _id }, update, upsert: true } }], 1);
  known.add(key);
}

/** Adds a partition to the tenant's `partitions:<tenant>` document. */
export const listPartition = (models: ViewModels, tenantId: string, partition: number) =>
  listOnce(models, viewIds.partitions(tenantId), tenantId, 'partitions', partition);

/**
 * Adds a day to the partition's own list of the tenant's days (`days@<partition>:<tenant>`): one
 * writer per document. On FerretDB two updates of one document at once can lose one of them, and
 * a day missing from the list is a day retention never deletes.
 */
export const listDay = (models: ViewModels, tenantId: string, partition: number, day: string) =>
  listOnce(models, viewIds.days(tenantId, partition), tenantId, 'days', day);

/** Where the service notes, at start, how many partitions the transfers topic has. */
const TOPOLOGY_ID = 'topology';
const partitionCounts = new WeakMap<object, number>();

/**
 * Notes the transfers topic's partition count (the same value from every instance, so a lost
 * update of it changes nothing). Readers then look at every partition's documents by `_id`
 * instead of trusting `partitions:<tenant>` alone, which owners of different partitions update
 * together and FerretDB can lose one of two simultaneous updates of.
 */
export async function recordTransferPartitions(models: ViewModels, count: number): Promise<void> {
  await bulkUpsert(
    models.TransferView.collection,
    [{ updateOne: { filter: { _id: TOPOLOGY_ID }, update: { $set: { transferPartitions: count } }, upsert: true } }],
    1,
  );
  partitionCounts.set(models.TransferView, count);
}

async function transferPartitionCount(models: ViewModels): Promise<number | undefined> {
  const known = partitionCounts.get(models.TransferView);
  if (known !== undefined) return known;
  const doc = await models.TransferView.collection.findOne({ _id: TOPOLOGY_ID as never });
  const count = doc?.transferPartitions;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return undefined;
  partitionCounts.set(models.TransferView, count);
  return count;
}

/**
 * The partitions a tenant's transfers may have been recorded from: every partition of the topic
 * (a partition without the tenant's documents costs a read by `_id` that finds nothing), and any
 * its list names besides (a store written before the count was noted).
 */
export async function tenantPartitions(models: ViewModels, tenantId: string): Promise<number[]> {
  const [count, doc] = await Promise.all([
    transferPartitionCount(models),
    models.TransferView.collection.findOne(
      { _id: viewIds.partitions(tenantId) as never },
      { projection: { partitions: 1 } },
    ),
  ]);
  const listed = (doc?.partitions as number[] | undefined) ?? [];
  const all = new Set([...Array.from({ length: count ?? 0 }, (_, partition) => partition), ...listed]);
  return [...all].sort((a, b) => a - b);
}

/** The documents that list a tenant's days: each partition's, and the tenant's own of older stores. */
async function dayListIds(models: ViewModels, tenantId: string): Promise<string[]> {
  const partitions = await tenantPartitions(models, tenantId);
  return [viewIds.partitions(tenantId), ...partitions.map((partition) => viewIds.days(tenantId, partition))];
}

/**
 * The UTC days on which the tenant's transfers were first recorded, oldest first: every partition's
 * list, and the tenant's `partitions:<tenant>` document, where stores written before 2026-12-02
 * listed them.
 */
export async function tenantDays(models: ViewModels, tenantId: string): Promise<string[]> {
  const ids = await dayListIds(models, tenantId);
  const docs = await mapBounded(ids, 8, (_id) =>
    models.TransferView.collection.findOne({ _id: _id as never }, { projection: { days: 1 } }),
  );
  return [...new Set(docs.flatMap((doc) => (doc?.days as string[] | undefined) ?? []))].sort();
}

/** Takes a day off every list of the tenant's days, once retention deleted its buckets. */
export async function unlistDay(models: ViewModels, tenantId: string, day: string): Promise<void> {
  const ids = await dayListIds(models, tenantId);
  await mapBounded(ids, 4, (_id) =>
    withUpdateSlots(1, () =>
      models.TransferView.collection.updateOne({ _id: _id as never }, { $pull: { days: day } } as never),
    ),
  );
}

/**
 * A tenant's lists over all partitions, newest first. Reads one document per partition by `_id`:
 * the cost does not depend on how many transfers are stored.
 */
export async function readTransferViews(models: ViewModels, tenantId: string): Promise<TransferViewLists> {
  const [recent, failed, held] = await Promise.all(
    LIST_NAMES.map(async (list) => (await readTransferList(models, tenantId, list)).items),
  );
  return { recent: recent!, failed: failed!, held: held! };
}

/** The transfer ids that carry `reference`, newest last. */
export async function transfersByReference(
  models: ViewModels,
  tenantId: string,
  references: string[],
): Promise<string[]> {
  const partitions = await tenantPartitions(models, tenantId);
  const views = models.TransferView.collection;
  // Stores written before 2026-12-02 hold one document per reference and partition (before
  // 2026-12-01, per reference); since, each batch appends a chunk.
  const whole = references.flatMap((reference) => [
    viewIds.legacyReference(tenantId, reference),
    ...partitions.map((partition) => viewIds.reference(tenantId, reference, partition)),
  ]);
  const bases = references.flatMap((reference) =>
    partitions.map((partition) => viewIds.reference(tenantId, reference, partition)),
  );
  const [older, chunks] = await Promise.all([
    mapBounded(whole, 8, (_id) => views.findOne({ _id: _id as never })),
    mapBounded(bases, 4, (base) => readChunks(views as never, base)),
  ]);
  return [...new Set([...older, ...chunks.flat()].flatMap((doc) => (doc?.transferIds as string[] | undefined) ?? []))];
}

/** A document of a day's bucket and the transfers it lists. */
export interface DayBucketPart {
  _id: string;
  transferIds: string[];
  /** Whether it is a chunk (counted by the running totals) rather than a whole-day document. */
  chunk: boolean;
}

/**
 * The documents of one partition's bucket of a day, oldest first: the whole-day document stores
 * written before 2026-12-02 kept, then the chunks appended since (append-chunks.ts).
 */
export async function readDayBucket(
  models: ViewModels,
  tenantId: string,
  day: string,
  partition: number,
): Promise<DayBucketPart[]> {
  const base = viewIds.day(tenantId, day, partition);
  const views = models.TransferView.collection;
  const [whole, chunks] = await Promise.all([
    views.findOne({ _id: base as never }, { projection: { transferIds: 1 } }),
    readChunks(views as never, base),
  ]);
  return [...(whole ? [{ doc: whole, chunk: false }] : []), ...chunks.map((doc) => ({ doc, chunk: true }))].map(
    ({ doc, chunk }) => ({
      _id: String(doc._id),
      transferIds: (doc.transferIds as string[] | undefined) ?? [],
      chunk,
    }),
  );
}

/** How many transfers one partition's bucket of a day holds, without reading its chunks. */
export async function dayBucketSize(models: ViewModels, tenantId: string, day: string, partition: number) {
  const base = viewIds.day(tenantId, day, partition);
  const views = models.TransferView.collection;
  const [whole, chunked] = await Promise.all([
    views.findOne({ _id: base as never }, { projection: { transferIds: 1 } }),
    chunkSetSize(views as never, base),
  ]);
  return ((whole?.transferIds as string[] | undefined) ?? []).length + chunked;
}

/** Notes on a bucket's first chunk how many transfers retention took out of its chunks. */
export async function countRemovedFromDay(
  models: ViewModels,
  tenantId: string,
  day: string,
  partition: number,
  removed: number,
): Promise<void> {
  if (removed === 0) return;
  const _id = chunkId(viewIds.day(tenantId, day, partition), 0);
  await withUpdateSlots(1, () =>
    models.TransferView.collection.updateOne({ _id: _id as never }, { $inc: { removed } } as never),
  );
}

/** What one partition's documents say of a scheduled run: its transfers with their status. */
export interface RunTransfer {
  transferId: string;
  status: TransferStatus;
  error?: { code: string; message: string };
  updatedAt: Date;
}

export async function readRunTransfers(models: ViewModels, tenantId: string, runId: string): Promise<RunTransfer[]> {
  const partitions = await tenantPartitions(models, tenantId);
  const docs = await mapBounded(partitions, 8, (partition) =>
    models.TransferView.collection.findOne({ _id: viewIds.run(tenantId, runId, partition) as never }),
  );
  return docs.flatMap((doc) => (doc?.transfers as RunTransfer[] | undefined) ?? []);
}
