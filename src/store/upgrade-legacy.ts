import type { FoldedTransfer } from '../domain/transfer-fold';
import { chunked } from './bounded';
import type { StoreLogger } from './connect';
import { isDuplicateKeyError } from './errors';
import { upgradeLegacyJobRuns } from './job-runs';
import { transferDocId, usageDocId, type Models } from './models';
import { writeTransferViews, type ViewMemory } from './transfer-view-writer';
import { recordPartition } from './usage-counter';

const MARKER = 'migration:id-addressed-v1';
/** Views of transfers recorded before the upgrade: no partition's owner writes these. */
const LEGACY_PARTITION = -1;

const noMemory: ViewMemory = { ring: () => undefined, setRing: () => undefined };

/**
 * Brings a store written by an earlier version to the shape of this one, once (a marker document,
 * read by _id, says it is done): usage documents and transfers re-addressed by their deterministic
 * _id, payloads kept as JSON text, and the transfers entered into the views the log reads. This is
 * the one place that searches (one pass over each collection, once); it runs before the consumers
 * start. Transfers recorded before the upgrade keep their folded state but not their events: an
 * event that arrives later for one of them starts its history anew.
 *
 * Job runs have a marker of their own (`upgradeLegacyJobRuns`, src/store/job-runs.ts): running runs
 * and each job's last run re-addressed under `_id: runId`, running ones listed in `openRuns`, and
 * the jobs' `recentRuns` filled; it runs first, so a store upgraded for transfers before gets it too.
 */
export async function upgradeLegacyStore(
  models: Pick<Models, 'Usage' | 'Transfer' | 'TransferView' | 'Job' | 'JobRun' | 'OpenRun' | 'JobRunView'>,
  logger?: StoreLogger,
): Promise<void> {
  await upgradeLegacyJobRuns(models, logger);
  const views = models.TransferView.collection;
  if (await views.findOne({ _id: MARKER as never })) return;
  const legacy = { _id: { $type: 'objectId' } } as never;
  let usage = 0;
  for await (const doc of models.Usage.collection.find(legacy)) {
    const { _id, ...rest } = doc;
    const next = usageDocId(String(doc.tenantId), String(doc.period), Number(doc.partition ?? 0));
    await models.Usage.collection.insertOne({ ...rest, _id: next as never }).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    await recordPartition(models, String(doc.tenantId), Number(doc.partition ?? 0));
    await models.Usage.collection.deleteOne({ _id });
    usage += 1;
  }

  let transfers = 0;
  const batch: FoldedTransfer[] = [];
  const flush = async () => {
    for (const slice of chunked(batch.splice(0))) {
      await writeTransferViews(
        { models, cache: noMemory },
        LEGACY_PARTITION,
        slice.map((transfer) => ({ transfer, updatedAt: new Date(), isNew: true })),
      );
      for (const tenantId of new Set(slice.map((transfer) => transfer.tenantId)))
        await recordPartition(models, tenantId, LEGACY_PARTITION);
    }
  };
  for await (const doc of models.Transfer.collection.find(legacy)) {
    const { _id, source, target, ...rest } = doc;
    const payload = (side: { system: string; format: string; payload?: unknown } | undefined) =>
      side
        ? { system: side.system, format: side.format, payloadJson: JSON.stringify(side.payload ?? null) }
        : undefined;
    const next = {
      ...rest,
      _id: transferDocId(String(doc.tenantId), String(doc.transferId)) as never,
      ...(source ? { source: payload(source) } : {}),
      ...(target ? { target: payload(target) } : {}),
      events: [],
    };
    await models.Transfer.collection.deleteOne({ _id });
    await models.Transfer.collection.insertOne(next).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    batch.push({ ...(rest as unknown as FoldedTransfer), source, target });
    transfers += 1;
    if (batch.length >= 500) await flush();
  }
  await flush();
  await views.insertOne({ _id: MARKER as never, tenantId: '', at: new Date() }).catch((error: unknown) => {
    if (!isDuplicateKeyError(error)) throw error;
  });
  if (usage + transfers > 0) logger?.info({ usage, transfers }, 'upgraded the store to _id-addressed documents');
}
