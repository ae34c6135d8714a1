import type { FoldedTransfer } from '../domain/transfer-fold';
import { mapBounded } from './bounded';
import type { Models } from './models';
import {
  applyToLists,
  emptyLists,
  listsOf,
  summaryOf,
  viewIds,
  type RunTransfer,
  type TransferViewLists,
} from './transfer-views';

/** Where the partition's owner remembers view lists between batches (see transfer-cache.ts). */
export interface ViewMemory {
  view(partition: number, tenantId: string): TransferViewLists | undefined;
  setView(partition: number, tenantId: string, lists: TransferViewLists): void;
}

export interface ChangedTransfer {
  transfer: FoldedTransfer;
  updatedAt: Date;
  /** First recorded in this batch: it joins the day's retention bucket. */
  isNew: boolean;
  /** Its reference before this batch, if it had one. */
  previousReference?: string;
}

const WRITE_CONCURRENCY = 8;

/** Days already listed on each tenant's partitions document, per store. */
const knownDays = new WeakMap<object, Set<string>>();

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/**
 * Brings the small documents of `transfer-views.ts` up to date with the transfers a batch of
 * `partition` changed: per tenant its view lists, the references, the scheduled runs' transfers
 * and the day buckets retention deletes by. Every write is by `_id`, every one is idempotent (the
 * lists are rewritten from state, the sets only grow), so a redelivered batch changes nothing.
 */
export async function writeTransferViews(
  deps: { models: Pick<Models, 'TransferView'>; cache: ViewMemory },
  partition: number,
  changed: ChangedTransfer[],
): Promise<void> {
  const views = deps.models.TransferView.collection;
  const byTenant = groupBy(changed, ({ transfer }) => transfer.tenantId);

  const writeLists = async ([tenantId, items]: [string, ChangedTransfer[]]) => {
    const _id = viewIds.view(tenantId, partition);
    const before =
      deps.cache.view(partition, tenantId) ?? listsOf(await views.findOne({ _id: _id as never })) ?? emptyLists();
    const lists = applyToLists(
      before,
      items.map(({ transfer, updatedAt }) => summaryOf(transfer, updatedAt)),
    );
    await views.replaceOne({ _id: _id as never }, { tenantId, partition, ...lists }, { upsert: true });
    deps.cache.setView(partition, tenantId, lists);
  };

  const references = changed.filter(
    ({ transfer, previousReference }) => transfer.reference && transfer.reference !== previousReference,
  );
  const writeReference = ({ transfer }: ChangedTransfer) =>
    views.updateOne(
      { _id: viewIds.reference(transfer.tenantId, transfer.reference!) as never },
      { $set: { tenantId: transfer.tenantId }, $addToSet: { transferIds: transfer.transferId } },
      { upsert: true },
    );

  const runs = groupBy(
    changed.filter(({ transfer }) => transfer.runId),
    ({ transfer }) => viewIds.run(transfer.tenantId, transfer.runId!, partition),
  );
  const writeRun = async ([_id, items]: [string, ChangedTransfer[]]) => {
    const doc = await views.findOne({ _id: _id as never });
    const known = new Map(((doc?.transfers as RunTransfer[] | undefined) ?? []).map((t) => [t.transferId, t]));
    for (const { transfer, updatedAt } of items) {
      known.set(transfer.transferId, {
        transferId: transfer.transferId,
        status: transfer.status,
        ...(transfer.error ? { error: { code: transfer.error.code, message: transfer.error.message } } : {}),
        updatedAt,
      });
    }
    await views.replaceOne(
      { _id: _id as never },
      { tenantId: items[0]!.transfer.tenantId, transfers: [...known.values()] },
      { upsert: true },
    );
  };

  // Retention deletes by the day a transfer was first recorded (UTC), a whole bucket at a time.
  const days = groupBy(
    changed.filter(({ isNew }) => isNew),
    ({ transfer, updatedAt }) => viewIds.day(transfer.tenantId, updatedAt.toISOString().slice(0, 10), partition),
  );
  const writeDay = async ([_id, items]: [string, ChangedTransfer[]]) => {
    const tenantId = items[0]!.transfer.tenantId;
    const day = items[0]!.updatedAt.toISOString().slice(0, 10);
    // The tenant's document lists its days, so retention finds the buckets without a search.
    const known = knownDays.get(deps.models.TransferView) ?? new Set<string>();
    knownDays.set(deps.models.TransferView, known);
    if (!known.has(`${tenantId}\u0000${day}`)) {
      await views.updateOne(
        { _id: viewIds.partitions(tenantId) as never },
        { $set: { tenantId }, $addToSet: { days: day } },
        { upsert: true },
      );
      known.add(`${tenantId}\u0000${day}`);
    }
    await views.updateOne(
      { _id: _id as never },
      {
        $set: { tenantId: items[0]!.transfer.tenantId, day: items[0]!.updatedAt.toISOString().slice(0, 10), partition },
        $addToSet: { transferIds: { $each: items.map(({ transfer }) => transfer.transferId) } },
      },
      { upsert: true },
    );
  };

  await mapBounded([...byTenant], WRITE_CONCURRENCY, writeLists);
  await mapBounded(references, WRITE_CONCURRENCY, writeReference);
  await mapBounded([...runs], WRITE_CONCURRENCY, writeRun);
  await mapBounded([...days], WRITE_CONCURRENCY, writeDay);
}
