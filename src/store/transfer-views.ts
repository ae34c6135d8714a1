import type { Entity, Hold, Operation, TransferError } from '../domain/events';
import type { FoldedTransfer, TransferStatus } from '../domain/transfer-fold';
import type { Models } from './models';
import { mapBounded } from './bounded';

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

/**
 * How many transfers each list keeps per partition. The log shows the latest transfers (as the
 * dashboard did); failed and held keep far more, because they are what people act on.
 */
export const VIEW_LIMITS = { recent: 500, failed: 2_000, held: 2_000 } as const;

export const viewIds = {
  view: (tenantId: string, partition: number) => `view:${tenantId}:${partition}`,
  partitions: (tenantId: string) => `partitions:${tenantId}`,
  reference: (tenantId: string, reference: string) => `ref:${tenantId}:${reference}`,
  run: (tenantId: string, runId: string, partition: number) => `run:${tenantId}:${runId}:${partition}`,
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

/**
 * The lists after `changed` transfers took their current state. Derived from the state alone, not
 * from transitions, so applying the same change twice (a redelivered batch) gives the same lists.
 */
export function applyToLists(lists: TransferViewLists, changed: TransferSummaryRecord[]): TransferViewLists {
  const ids = new Set(changed.map(({ transferId }) => transferId));
  const keep = (list: TransferSummaryRecord[]) => list.filter(({ transferId }) => !ids.has(transferId));
  const merge = (list: TransferSummaryRecord[], add: TransferSummaryRecord[], limit: number) =>
    [...keep(list), ...add].sort(newestFirst).slice(0, limit);
  return {
    recent: merge(lists.recent, changed, VIEW_LIMITS.recent),
    failed: merge(
      lists.failed,
      changed.filter(({ status }) => status === 'failed'),
      VIEW_LIMITS.failed,
    ),
    held: merge(
      lists.held,
      changed.filter(({ status }) => status === 'held'),
      VIEW_LIMITS.held,
    ),
  };
}

export const emptyLists = (): TransferViewLists => ({ recent: [], failed: [], held: [] });

/** Dates come back as Dates from the store; lists of a document that does not exist are empty. */
export function listsOf(doc: unknown): TransferViewLists {
  const record = (doc ?? {}) as Partial<TransferViewLists>;
  return { recent: record.recent ?? [], failed: record.failed ?? [], held: record.held ?? [] };
}

type ViewModels = Pick<Models, 'TransferView'>;

/** The partitions a tenant's transfers were recorded from. */
export async function tenantPartitions(models: ViewModels, tenantId: string): Promise<number[]> {
  const doc = await models.TransferView.collection.findOne({ _id: viewIds.partitions(tenantId) as never });
  return ((doc?.partitions as number[] | undefined) ?? []).sort((a, b) => a - b);
}

/** The UTC days on which the tenant's transfers were first recorded, oldest first. */
export async function tenantDays(models: ViewModels, tenantId: string): Promise<string[]> {
  const doc = await models.TransferView.collection.findOne({ _id: viewIds.partitions(tenantId) as never });
  return ((doc?.days as string[] | undefined) ?? []).sort();
}

/**
 * A tenant's lists over all partitions, newest first. Reads one document per partition by `_id`:
 * the cost does not depend on how many transfers are stored.
 */
export async function readTransferViews(models: ViewModels, tenantId: string): Promise<TransferViewLists> {
  const partitions = await tenantPartitions(models, tenantId);
  const docs = await mapBounded(partitions, 8, (partition) =>
    models.TransferView.collection.findOne({ _id: viewIds.view(tenantId, partition) as never }),
  );
  const all = docs.map(listsOf);
  return {
    recent: all.flatMap(({ recent }) => recent).sort(newestFirst),
    failed: all.flatMap(({ failed }) => failed).sort(newestFirst),
    held: all.flatMap(({ held }) => held).sort(newestFirst),
  };
}

/** The transfer ids that carry `reference`, newest last. */
export async function transfersByReference(
  models: ViewModels,
  tenantId: string,
  references: string[],
): Promise<string[]> {
  const docs = await mapBounded(references, 4, (reference) =>
    models.TransferView.collection.findOne({ _id: viewIds.reference(tenantId, reference) as never }),
  );
  return [...new Set(docs.flatMap((doc) => (doc?.transferIds as string[] | undefined) ?? []))];
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
