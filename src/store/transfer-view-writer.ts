import type { FoldedTransfer } from '../domain/transfer-fold';
import { appendChunks } from './append-chunks';
import { mapBounded, storeBulkMax } from './bounded';
import { bulkUpsert } from './errors';
import type { Models } from './models';
import {
  BELONGS,
  listDay,
  LIST_NAMES,
  PAGE_SIZE,
  readRing,
  RING_PAGES,
  summaryOf,
  viewIds,
  type ListName,
  type RingState,
  type RunTransfer,
  type TransferSummaryRecord,
} from './transfer-views';

/** Where the partition's owner remembers its rings between batches (see transfer-cache.ts). */
export interface ViewMemory {
  ring(partition: number, tenantId: string, list: ListName): RingState | undefined;
  setRing(partition: number, tenantId: string, list: ListName, state: RingState): void;
}

export interface ChangedTransfer {
  transfer: FoldedTransfer;
  updatedAt: Date;
  /** First recorded in this batch: it joins the day's retention bucket. */
  isNew: boolean;
  /** Its reference and status before this batch, if it existed. */
  previousReference?: string;
  previousStatus?: FoldedTransfer['status'];
}

const WRITE_CONCURRENCY = 8;

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
  deps: {
    models: Pick<Models, 'TransferView'>;
    cache: ViewMemory;
    /** Tells a tenant erased and created again under the same id from the one before (its document's id). */
    generationOf?: (tenantId: string) => string | undefined;
  },
  partition: number,
  changed: ChangedTransfer[],
): Promise<void> {
  const views = deps.models.TransferView.collection;
  const byTenant = groupBy(changed, ({ transfer }) => transfer.tenantId);

  /** Which changes a list's ring takes: all for the latest; entering or leaving, for failed and held. */
  const concerns = (list: ListName, { transfer, previousStatus }: ChangedTransfer) =>
    list === 'recent' || transfer.status === list || previousStatus === list;

  /** Appends a tenant's changes to the head of each ring they concern: small upserts by `_id`. */
  const ringWrites = async ([tenantId, items]: [string, ChangedTransfer[]]) => {
    const writes: object[] = [];
    const states: Array<[ListName, RingState]> = [];
    for (const list of LIST_NAMES) {
      const entries = items
        .filter((item) => concerns(list, item))
        .map(({ transfer, updatedAt }) => summaryOf(transfer, updatedAt));
      if (entries.length === 0) continue;
      const before =
        deps.cache.ring(partition, tenantId, list) ?? (await readRing(deps.models, tenantId, partition, list));
      let pages = [...before.pages];
      let head = [...before.head];
      const members = new Map(before.members);
      if (pages.length === 0) pages = [0];
      for (const entry of entries) {
        const same = head.findIndex(({ transferId }) => transferId === entry.transferId);
        if (same >= 0) head[same] = entry;
        else {
          if (head.length >= PAGE_SIZE) {
            writes.push(pageWrite(tenantId, list, pages[0]!, head));
            pages = [pages[0]! + 1, ...pages];
            head = [];
          }
          head.push(entry);
        }
        if (BELONGS[list](entry)) members.set(entry.transferId, pages[0]!);
        else members.delete(entry.transferId);
      }
      writes.push(pageWrite(tenantId, list, pages[0]!, head));
      const dropped = pages.slice(RING_PAGES[list]);
      pages = pages.slice(0, RING_PAGES[list]);
      // Transfers whose newest entry falls off with its page leave the list.
      for (const [id, page] of members) if (dropped.includes(page)) members.delete(id);
      if (
        pages.length !== before.pages.length ||
        pages[0] !== before.pages[0] ||
        members.size !== before.members.size
      ) {
        writes.push({
          replaceOne: {
            filter: { _id: viewIds.ring(tenantId, partition, list) },
            replacement: { tenantId, partition, list, pages, count: members.size },
            upsert: true,
          },
        });
      }
      for (const page of dropped) {
        writes.push({ deleteOne: { filter: { _id: viewIds.page(tenantId, partition, list, page) } } });
      }
      states.push([list, { pages, head, members }]);
    }
    return { tenantId, writes, states };
  };
  const pageOf = async (tenantId: string, list: ListName, page: number) =>
    ((await views.findOne({ _id: viewIds.page(tenantId, partition, list, page) as never }))?.items as
      TransferSummaryRecord[] | undefined) ?? [];
  const pageWrite = (tenantId: string, list: ListName, page: number, items: TransferSummaryRecord[]) => ({
    replaceOne: {
      filter: { _id: viewIds.page(tenantId, partition, list, page) },
      replacement: { tenantId, items },
      upsert: true,
    },
  });

  const references = groupBy(
    changed.filter(({ transfer, previousReference }) => transfer.reference && transfer.reference !== previousReference),
    ({ transfer }) => viewIds.reference(transfer.tenantId, transfer.reference!, partition),
  );
  // A reference's set only grows (an SKU gains a transfer on many days): each batch appends one
  // chunk per reference instead of rewriting a document that holds every transfer so far.
  const writeReferences = () =>
    appendChunks(
      views,
      [...references].map(([base, items]) => ({
        base,
        generation: deps.generationOf?.(items[0]!.transfer.tenantId),
        doc: {
          tenantId: items[0]!.transfer.tenantId,
          transferIds: [...new Set(items.map(({ transfer }) => transfer.transferId))],
        },
      })),
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
    const replacement = { tenantId: items[0]!.transfer.tenantId, transfers: [...known.values()] };
    await bulkUpsert(views, [{ replaceOne: { filter: { _id }, replacement, upsert: true } }], 1);
  };

  // Retention deletes by the day a transfer was first recorded (UTC), a whole bucket at a time.
  const days = groupBy(
    changed.filter(({ isNew }) => isNew),
    ({ transfer, updatedAt }) => viewIds.day(transfer.tenantId, updatedAt.toISOString().slice(0, 10), partition),
  );
  // The partition lists the tenant's days, so retention finds the buckets without a search.
  const listDays = async () => {
    for (const items of days.values()) {
      const day = items[0]!.updatedAt.toISOString().slice(0, 10);
      await listDay(deps.models, items[0]!.transfer.tenantId, partition, day);
    }
  };
  // A day's bucket grows all day: appended to in chunks, as references are, each with the running
  // count retention reads the bucket's size from.
  const writeDays = () =>
    appendChunks(
      views,
      [...days].map(([base, items]) => ({
        base,
        generation: deps.generationOf?.(items[0]!.transfer.tenantId),
        count: items.length,
        doc: {
          tenantId: items[0]!.transfer.tenantId,
          day: items[0]!.updatedAt.toISOString().slice(0, 10),
          partition,
          transferIds: items.map(({ transfer }) => transfer.transferId),
        },
      })),
    );

  const rings = await mapBounded([...byTenant], WRITE_CONCURRENCY, ringWrites);
  await bulkUpsert(
    views,
    rings.flatMap(({ writes }) => writes),
    storeBulkMax(),
  );
  for (const { tenantId, states } of rings) {
    for (const [list, state] of states) deps.cache.setRing(partition, tenantId, list, state);
  }
  await writeReferences();
  await mapBounded([...runs], WRITE_CONCURRENCY, writeRun);
  await listDays();
  await writeDays();
}
