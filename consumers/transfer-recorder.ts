import { timeZoneOf } from '../src/domain/zoned-time';
import { checkQuota } from '../src/services/billing/quota-check';
import type { Logger } from '../src/config/logger';
import { failureGroupKey, type AlertEvent } from '../src/domain/alerts';
import { createSwitchCheck } from '../src/services/transfers/switch-check';
import { transferEventSchema, type TransferEvent } from '../src/domain/events';
import { dayAndPeriod } from '../src/domain/periods';
import { compareEvents, foldTransfer, type FoldedTransfer } from '../src/domain/transfer-fold';
import { defineConsumer, type DecodedMessage } from '../src/kafka/consumer-runner';
import type { EventProducer } from '../src/kafka/producer';
import {
  applyPartitionUsages,
  bulkUpsert,
  storeBulkMax,
  insertKeepingDuplicates,
  mapBounded,
  recordPartition,
  transferDocId,
  transferEventRecord,
  type Models,
  type UsageDelta,
} from '../src/store';
import { createTransferCache, type StoredEvent } from '../src/services/transfers/transfer-cache';
import { writeTransferViews } from '../src/store/transfer-view-writer';

export interface TransferRecorderDeps {
  models: Models;
  producer: EventProducer;
  logger: Logger;
  /** Transfers whose events this instance keeps in memory (default 10,000). */
  cacheTransfers?: number;
}

/** Store reads of one batch in flight at once. */
const READ_CONCURRENCY = 16;

const keyOf = (tenantId: string, transferId: string) => `${tenantId}\u0000${transferId}`;

/** True when `a` was delivered before `b` on the same partition (older records have no offset). */
function deliveredBefore(a: StoredEvent, b: StoredEvent): boolean {
  if (a.offset == null || b.offset == null) return compareEvents(a.event, b.event) < 0;
  return a.partition === b.partition && a.offset < b.offset;
}

/** What a transfer was before this batch: its reference and status. */
function previousOf(events: StoredEvent[]) {
  if (events.length === 0) return {};
  const before = foldTransfer(events.map(({ event }) => event));
  return { previousReference: before.reference, previousStatus: before.status };
}

/** A transfer document: the folded state, the events it was folded from, payloads as JSON text. */
function transferDocument(transfer: FoldedTransfer, events: StoredEvent[], createdAt: Date, updatedAt: Date) {
  const { source, target, ...rest } = transfer;
  const payload = (side: typeof source) =>
    side ? { system: side.system, format: side.format, payloadJson: JSON.stringify(side.payload ?? null) } : undefined;
  // The driver would store an undefined field as null; the log reads "no error" as absent.
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return {
    _id: transferDocId(transfer.tenantId, transfer.transferId),
    ...(defined as typeof rest),
    ...(source ? { source: payload(source) } : {}),
    ...(target ? { target: payload(target) } : {}),
    events: events.map(({ event, partition, offset }) => ({ partition, offset, json: JSON.stringify(event) })),
    createdAt,
    updatedAt,
  };
}

/** Events as a stored transfer document keeps them. */
function eventsOfDocument(doc: { events?: Array<{ partition?: number; offset?: number; json: string }> }) {
  return (doc.events ?? []).map(({ partition, offset, json }): StoredEvent => ({
    event: JSON.parse(json) as TransferEvent,
    partition,
    offset,
  }));
}

/**
 * Builds the transfer log, the usage counters and the failure alerts from transfer events, in
 * batches of one partition.
 *
 * Every store operation is addressed by `_id` or is an insert, and every bulk is bounded
 * (STORE_BULK_MAX): what a batch costs does not grow with the history stored. A transfer's events
 * all arrive on one partition (they are keyed by tenant and transfer), so the partition's owner
 * keeps recent transfers in memory and reads the store only on a miss — after a restart, or when
 * another instance may have owned the partition meanwhile (see transfer-cache.ts).
 *
 * Idempotent under redelivery and replay: every event is kept once by id; a transfer is folded
 * from all its events with where each was first delivered (so the order in which they arrive does
 * not matter); a counter or alert comes only from the first delivery of an event, and usage
 * documents remember the last offset they counted; the views are rewritten from state.
 */
export function recordTransfers(deps: TransferRecorderDeps) {
  const { models, producer } = deps;
  const cache = createTransferCache(deps.cacheTransfers ?? 10_000);
  const switches = createSwitchCheck(models);

  /** Keeps the raw events, append-only, each once by id (insert refused by the unique _id). */
  const storeEvents = async (messages: DecodedMessage<TransferEvent>[]) => {
    const receivedAt = new Date();
    const docs = messages.map(({ value: event, partition, offset }) => ({
      _id: `${event.tenantId}:${event.id}`,
      ...transferEventRecord(event, partition, Number(offset), receivedAt),
    }));
    await insertKeepingDuplicates(models.TransferEvent.collection, docs);
  };

  type Prior = { events: StoredEvent[]; stored: boolean; createdAt?: Date };
  type TransferKey = { key: string; tenantId: string; transferId: string };

  /** The stored state of transfers the store has and this instance does not remember, by `_id`. */
  const readStored = async (keys: TransferKey[]) => {
    const docs = await mapBounded(keys, READ_CONCURRENCY, ({ tenantId, transferId }) =>
      models.Transfer.collection.findOne(
        { _id: transferDocId(tenantId, transferId) as never },
        { projection: { events: 1, createdAt: 1 } },
      ),
    );
    return keys.map(({ key }, index): [string, Prior] => {
      const doc = docs[index];
      // Deleted by retention between our insert and this read: the next try inserts it anew.
      if (!doc) throw new Error(`transfer ${key} vanished while it was being recorded; trying again`);
      return [key, { events: eventsOfDocument(doc as never), stored: true, createdAt: doc.createdAt as Date }];
    });
  };

  const replaceTransfers = (docs: Array<ReturnType<typeof transferDocument>>) =>
    bulkUpsert(
      models.Transfer.collection,
      // upsert: a transfer retention deleted while this instance remembered it is written anew.
      docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
      storeBulkMax(),
    );

  return defineConsumer<TransferEvent>({
    groupId: 'iex.transfer-recorder',
    topics: ['transfers'],
    schema: transferEventSchema,
    async handle(batch) {
      const first = batch[0];
      if (!first) return;
      const partition = first.partition;
      // An event of a tenant that does not exist records nothing: one accepted just before its
      // tenant was erased must not bring back its transfers and usage. Dead-lettered like the
      // notifier's alerts of an unknown tenant (which raise no alert of their own).
      const tenantIds = [...new Set(batch.map(({ value }) => value.tenantId))];
      const tenants = await models.Tenant.find(
        { tenantId: { $in: tenantIds } },
        { tenantId: 1, timezone: 1, active: 1, modules: 1, updatedAt: 1 },
      ).lean();
      const known = new Set(tenants.map(({ tenantId }) => tenantId));
      const messages = batch.filter(({ value }) => known.has(value.tenantId));
      const rejected = batch
        .filter(({ value }) => !known.has(value.tenantId))
        .map((message) => ({ message, reason: `there is no tenant ${message.value.tenantId}` }));
      cache.begin(partition, Number(first.offset));
      if (messages.length === 0) {
        cache.end(partition, Number(batch[batch.length - 1]!.offset));
        return { rejected };
      }
      try {
        await storeEvents(messages);

        const keys = [
          ...new Map(
            messages.map(({ value }) => [
              keyOf(value.tenantId, value.transferId),
              { key: keyOf(value.tenantId, value.transferId), tenantId: value.tenantId, transferId: value.transferId },
            ]),
          ).values(),
        ];
        const now = new Date();
        const firstOffset = Number(first.offset);
        /**
         * What a transfer had before this batch. A failed earlier try of this same batch may have
         * stored it with this batch's events (the transfer is written before its views): those
         * are not its past, or a retry after a crash there would never list it in its day bucket
         * and under its reference. Nothing at or past this batch's first offset was committed.
         */
        const pastOf = ({ events }: Prior) =>
          events.filter((stored) => !(stored.partition === partition && (stored.offset ?? -1) >= firstOffset));
        /** New to the store, or stored only by an earlier try of this batch (not a transfer of an older version, stored without its events). */
        const isNew = (before: Prior) => !before.stored || (before.events.length > 0 && pastOf(before).length === 0);
        const prior = new Map<string, Prior>();
        const transfers = new Map<string, StoredEvent[]>();
        const folded = new Map<string, FoldedTransfer>();
        const documents = new Map<string, ReturnType<typeof transferDocument>>();
        /** Folds a transfer from what it had and this batch's events of it. */
        const fold = (key: string, before: Prior) => {
          prior.set(key, before);
          const history = [...before.events];
          for (const { value: event, offset } of messages) {
            if (keyOf(event.tenantId, event.transferId) !== key) continue;
            // An event already folded in keeps where it was first delivered; a later copy is a duplicate.
            if (!history.some((stored) => stored.event.id === event.id)) {
              history.push({ event, partition, offset: Number(offset) });
            }
          }
          transfers.set(key, history);
          const transfer = foldTransfer(history.map((stored) => stored.event));
          folded.set(key, transfer);
          documents.set(key, transferDocument(transfer, history, before.createdAt ?? now, now));
        };

        // A transfer this instance does not remember is most likely new: it is inserted as folded
        // from this batch alone, and the store's unique _id refuses those it already has, which
        // are then read and folded with their stored events. One bulk insert instead of a read
        // per transfer.
        const remembered = keys.filter(({ key }) => {
          const hit = cache.get(partition, key);
          if (hit) fold(key, hit);
          return hit !== undefined;
        });
        const rememberedKeys = new Set(remembered.map(({ key }) => key));
        const unknown = keys.filter(({ key }) => !rememberedKeys.has(key));
        for (const { key } of unknown) fold(key, { events: [], stored: false });
        const indexes = await insertKeepingDuplicates(
          models.Transfer.collection,
          unknown.map(({ key }) => documents.get(key)!),
        );
        const refused = [...indexes].map((index) => unknown[index]!);
        for (const [key, before] of await readStored(refused)) fold(key, before);
        await replaceTransfers([...remembered, ...refused].map(({ key }) => documents.get(key)!));

        await writeTransferViews(
          {
            models,
            cache,
            generationOf: (tenantId) => tenants.find((tenant) => tenant.tenantId === tenantId)?._id?.toString(),
          },
          partition,
          keys.map(({ key }) => ({
            transfer: folded.get(key)!,
            updatedAt: now,
            isNew: isNew(prior.get(key)!),
            ...previousOf(pastOf(prior.get(key)!)),
          })),
        );

        const timezoneOf = (tenantId: string) =>
          timeZoneOf(tenants.find((tenant) => tenant.tenantId === tenantId)?.timezone);

        const usage = new Map<string, { tenantId: string; period: string; deltas: UsageDelta[] }>();
        const alerts: AlertEvent[] = [];
        // A transfer new to the store that began while a switch was off: the engine did not obey it.
        for (const { key, tenantId } of keys) {
          const first = isNew(prior.get(key)!) ? transfers.get(key)?.[0]?.event : undefined;
          const tenant = tenants.find((candidate) => candidate.tenantId === tenantId);
          if (!first || !tenant) continue;
          const ignored = await switches.check(first, tenant, folded.get(key)?.reference);
          if (ignored) alerts.push(ignored);
        }
        for (const message of messages) {
          const event = message.value;
          if (event.type !== 'transfer.succeeded' && event.type !== 'transfer.failed') continue;
          const transferKey = keyOf(event.tenantId, event.transferId);
          const history = transfers.get(transferKey) ?? [];
          const self = history.find((stored) => stored.event.id === event.id);
          // Only the first delivery of an event counts; a duplicate or a replay changes nothing.
          if (!self || self.partition !== message.partition || self.offset !== Number(message.offset)) continue;
          const earlier = history.filter((stored) => stored !== self && deliveredBefore(stored, self));

          const succeeded = event.type === 'transfer.succeeded';
          const firstSuccess = succeeded && !earlier.some((stored) => stored.event.type === 'transfer.succeeded');
          const { day, period } = dayAndPeriod(new Date(event.occurredAt), timezoneOf(event.tenantId));
          const key = `${event.tenantId}\u0000${period}`;
          const bucket = usage.get(key) ?? { tenantId: event.tenantId, period, deltas: [] };
          bucket.deltas.push({
            day,
            entity: event.entity,
            outcome: !succeeded ? 'failed' : event.operation === 'create' ? 'created' : 'updated',
            // An order uses the allowance once: when it is first created in the receiving system.
            orders: firstSuccess && event.entity === 'order' && event.operation === 'create' ? 1 : 0,
            offset: Number(message.offset),
          });
          usage.set(key, bucket);

          const base = {
            tenantId: event.tenantId,
            occurredAt: event.occurredAt,
            transferId: event.transferId,
            connectionId: event.connectionId,
            entity: event.entity,
            reference: folded.get(transferKey)?.reference,
          };
          if (!succeeded && event.error) {
            const groupKey = failureGroupKey(event.tenantId, event.connectionId, event.error.code);
            alerts.push({ kind: 'transfer.failed', id: `alert-${event.id}`, groupKey, error: event.error, ...base });
          }
          const lastFailure = earlier.filter((stored) => stored.event.type === 'transfer.failed').at(-1)?.event;
          if (succeeded && lastFailure?.error) {
            const groupKey = failureGroupKey(event.tenantId, event.connectionId, lastFailure.error.code);
            alerts.push({ kind: 'transfer.recovered', id: `alert-${event.id}`, groupKey, ...base });
          }
        }

        for (const tenantId of known) await recordPartition(models, tenantId, partition);
        await applyPartitionUsages(
          models,
          [...usage.values()].map(({ tenantId, period, deltas }) => ({ tenantId, period, partition, deltas })),
        );
        await producer.sendJson(
          'alerts',
          alerts.map((alert) => ({ key: alert.tenantId, value: alert })),
        );
        // Tenants are independent: their checks run side by side (each a few small reads).
        await mapBounded(
          [...usage.values()].filter(({ deltas }) => deltas.some(({ orders }) => orders)),
          8,
          ({ tenantId, period }) => checkQuota(deps, tenantId, period),
        );

        for (const { key } of keys) {
          const before = prior.get(key)!;
          cache.set(partition, key, { events: transfers.get(key)!, stored: true, createdAt: before.createdAt ?? now });
        }
        cache.end(partition, Number(batch[batch.length - 1]!.offset));
      } catch (error) {
        cache.forget(partition);
        throw error;
      }
      return { rejected };
    },
  });
}
