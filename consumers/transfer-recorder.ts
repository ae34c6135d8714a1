import { checkQuota } from '../src/billing/quota-check';
import type { Logger } from '../src/config/logger';
import { failureGroupKey, type AlertEvent } from '../src/domain/alerts';
import { transferEventSchema, type TransferEvent } from '../src/domain/events';
import { dayAndPeriod } from '../src/domain/periods';
import { compareEvents, foldTransfer, type FoldedTransfer } from '../src/domain/transfer-fold';
import { defineConsumer, type DecodedMessage } from '../src/kafka/consumer-runner';
import type { EventProducer } from '../src/kafka/producer';
import {
  applyPartitionUsage,
  DEFAULT_TIMEZONE,
  insertKeepingDuplicates,
  type Models,
  type UsageDelta,
} from '../src/store';

export interface TransferRecorderDeps {
  models: Models;
  producer: EventProducer;
  logger: Logger;
}

/** A stored event with where it was first delivered. */
interface StoredEvent {
  event: TransferEvent;
  partition?: number | null;
  offset?: number | null;
}

const keyOf = (tenantId: string, transferId: string) => `${tenantId}\u0000${transferId}`;

/** True when `a` was delivered before `b` on the same partition (older records have no offset). */
function deliveredBefore(a: StoredEvent, b: StoredEvent): boolean {
  if (a.offset == null || b.offset == null) return compareEvents(a.event, b.event) < 0;
  return a.partition === b.partition && a.offset < b.offset;
}

/**
 * Builds the transfer log, the usage counters and the failure alerts from transfer events, in
 * batches (one bulk write per collection, not one round trip per message).
 *
 * Idempotent under redelivery and replay: every event is kept once by id with the partition and
 * offset of its first delivery; a transfer is re-folded from all its stored events (so the order
 * in which they arrive does not matter); a counter or alert is produced only for the first
 * delivery of an event, and usage documents remember the last offset they counted.
 */
export function recordTransfers(deps: TransferRecorderDeps) {
  const { models, producer } = deps;

  /**
   * Keeps each event once; returns the ids this call stored for the first time. Inserts with a
   * deterministic _id rather than upserts: an insert refused by the unique _id is exact and cheap
   * on every store, where FerretDB scans a collection for each upsert's filter.
   */
  const storeEvents = async (messages: DecodedMessage<TransferEvent>[]) => {
    const receivedAt = new Date();
    const docs = messages.map(({ value: event, partition, offset }) => ({
      _id: `${event.tenantId}:${event.id}`,
      tenantId: event.tenantId,
      eventId: event.id,
      transferId: event.transferId,
      type: event.type,
      occurredAt: new Date(event.occurredAt),
      receivedAt,
      event,
      partition,
      offset: Number(offset),
    }));
    const refused = await insertKeepingDuplicates(models.TransferEvent.collection, docs);
    return new Set(docs.filter((_, index) => !refused.has(index)).map((doc) => doc._id));
  };

  const loadTransfers = async (messages: DecodedMessage<TransferEvent>[]) => {
    const byTenant = new Map<string, Set<string>>();
    for (const { value } of messages) {
      const ids = byTenant.get(value.tenantId) ?? new Set<string>();
      ids.add(value.transferId);
      byTenant.set(value.tenantId, ids);
    }
    const stored = await models.TransferEvent.find(
      { $or: [...byTenant].map(([tenantId, ids]) => ({ tenantId, transferId: { $in: [...ids] } })) },
      { event: 1, partition: 1, offset: 1 },
    ).lean();
    const transfers = new Map<string, StoredEvent[]>();
    for (const doc of stored) {
      const event = doc.event as TransferEvent;
      const key = keyOf(event.tenantId, event.transferId);
      transfers.set(key, [...(transfers.get(key) ?? []), { event, partition: doc.partition, offset: doc.offset }]);
    }
    return transfers;
  };

  /**
   * Writes each touched transfer as folded from all its events. A transfer whose events all arrived
   * in this batch is new and inserted; the others are replaced. Inserting is what keeps a backlog
   * fast on FerretDB, which scans the collection for every replace.
   */
  const writeTransfers = async (transfers: Map<string, StoredEvent[]>, storedNow: Set<string>) => {
    const folded = new Map(
      [...transfers].map(([key, events]) => [key, foldTransfer(events.map(({ event }) => event))]),
    );
    const now = new Date();
    const documentOf = (transfer: FoldedTransfer) => ({ ...transfer, createdAt: transfer.startedAt, updatedAt: now });
    const isNew = (events: StoredEvent[]) =>
      events.every(({ event }) => storedNow.has(`${event.tenantId}:${event.id}`));
    const fresh = [...transfers].filter(([, events]) => isNew(events)).map(([key]) => folded.get(key)!);
    const refused = await insertKeepingDuplicates(models.Transfer.collection, fresh.map(documentOf));
    const toReplace = [
      ...fresh.filter((_, index) => refused.has(index)),
      ...[...transfers].filter(([, events]) => !isNew(events)).map(([key]) => folded.get(key)!),
    ];
    if (toReplace.length > 0) {
      // mongoose's types want sub-documents where plain objects are what it casts from.
      type Writes = Parameters<Models['Transfer']['bulkWrite']>[0];
      await models.Transfer.bulkWrite(
        toReplace.map((transfer) => ({
          replaceOne: {
            filter: { tenantId: transfer.tenantId, transferId: transfer.transferId },
            // updatedAt is when the log last changed: retention keeps the most recently active transfers.
            replacement: documentOf(transfer),
            upsert: true,
          },
        })) as unknown as Writes,
        { ordered: false },
      );
    }
    return folded;
  };

  return defineConsumer<TransferEvent>({
    groupId: 'iex.transfer-recorder',
    topics: ['transfers'],
    schema: transferEventSchema,
    async handle(messages) {
      const storedNow = await storeEvents(messages);
      const transfers = await loadTransfers(messages);
      const folded = await writeTransfers(transfers, storedNow);

      const tenantIds = [...new Set(messages.map(({ value }) => value.tenantId))];
      const tenants = await models.Tenant.find({ tenantId: { $in: tenantIds } }, { tenantId: 1, timezone: 1 }).lean();
      const timezoneOf = (tenantId: string) =>
        tenants.find((tenant) => tenant.tenantId === tenantId)?.timezone ?? DEFAULT_TIMEZONE;

      const usage = new Map<string, { tenantId: string; period: string; deltas: UsageDelta[] }>();
      const alerts: AlertEvent[] = [];
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

      const partition = messages[0]?.partition ?? 0;
      for (const { tenantId, period, deltas } of usage.values()) {
        await applyPartitionUsage(models.Usage, { tenantId, period, partition, deltas });
      }
      await producer.sendJson(
        'alerts',
        alerts.map((alert) => ({ key: alert.tenantId, value: alert })),
      );
      for (const { tenantId, period, deltas } of usage.values()) {
        if (deltas.some(({ orders }) => orders)) await checkQuota(deps, tenantId, period);
      }
    },
  });
}
