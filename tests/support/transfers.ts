import type { FoldedTransfer } from '../../src/domain/transfer-fold';
import { recordPartition, transferDocId, usageDocId, type Models } from '../../src/store';
import { writeTransferViews } from '../../src/store/transfer-view-writer';

/** A transfer as a test describes it: the folded fields it cares about, the rest defaulted. */
export type TransferFixture = Partial<Omit<FoldedTransfer, 'source' | 'target'>> & {
  tenantId: string;
  transferId: string;
  connectionId: string;
  updatedAt?: Date;
  source?: { system: string; format: string; payload?: unknown };
  target?: { system: string; format: string; payload?: unknown };
};

const noMemory = { ring: () => undefined, setRing: () => undefined };

/** A folded transfer with the fields a test does not care about defaulted: a created order, succeeded. */
export function foldedTransfer(
  fields: Pick<FoldedTransfer, 'tenantId' | 'transferId' | 'connectionId'> & Partial<FoldedTransfer>,
  at: Date = new Date(),
): FoldedTransfer {
  return {
    entity: 'order',
    operation: 'create',
    status: 'succeeded',
    stages: [],
    attempts: 1,
    eventIds: [],
    startedAt: fields.stages?.[0]?.at ?? at,
    ...fields,
  };
}

/**
 * Stores transfers in the shape the recorder writes them: the document by its _id, and the views
 * the log and status read (as recorded from partition 0). For tests that need a log without
 * sending every event; tests of recording itself go through the pipeline.
 */
export async function storeTransfers(models: Models, fixtures: TransferFixture[]): Promise<void> {
  const changed = fixtures.map((fixture) => {
    const { updatedAt = new Date(), source, target, ...fields } = fixture;
    const transfer = foldedTransfer(fields, updatedAt);
    return { transfer, updatedAt, source, target };
  });
  const payload = (side: TransferFixture['source']) =>
    side ? { system: side.system, format: side.format, payloadJson: JSON.stringify(side.payload ?? null) } : undefined;
  await models.Transfer.collection.insertMany(
    changed.map(({ transfer, updatedAt, source, target }) => ({
      ...transfer,
      _id: transferDocId(transfer.tenantId, transfer.transferId) as never,
      ...(source ? { source: payload(source) } : {}),
      ...(target ? { target: payload(target) } : {}),
      events: [],
      createdAt: transfer.startedAt,
      updatedAt,
    })),
  );
  await writeTransferViews(
    { models, cache: noMemory },
    0,
    changed.map(({ transfer, updatedAt }) => ({ transfer, updatedAt, isNew: true })),
  );
  for (const tenantId of new Set(fixtures.map(({ tenantId }) => tenantId))) await recordPartition(models, tenantId, 0);
}

/** A tenant's usage as counted from one partition, stored where the recorder keeps it. */
export async function storeUsage(
  models: Models,
  usage: { tenantId: string; period: string; partition?: number; ordersUsed: number; lastOffset?: number },
): Promise<void> {
  const partition = usage.partition ?? 0;
  await models.Usage.collection.insertOne({
    _id: usageDocId(usage.tenantId, usage.period, partition) as never,
    tenantId: usage.tenantId,
    period: usage.period,
    partition,
    lastOffset: usage.lastOffset ?? 1,
    ordersUsed: usage.ordersUsed,
  });
  await recordPartition(models, usage.tenantId, partition);
}
