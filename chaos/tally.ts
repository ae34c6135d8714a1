import { isDeepStrictEqual } from 'node:util';
import type { TransferEvent } from '../src/domain/events';
import { dayAndPeriod } from '../src/domain/periods';
import { foldTransfer } from '../src/domain/transfer-fold';
import type { Models } from '../src/store';
import { readUsage } from '../src/store/usage-counter';

/** Usage as the subscription section shows it: transfers by outcome, and orders used. */
export interface UsageFigures {
  created: number;
  updated: number;
  failed: number;
  orders: number;
}

/** What the store holds after the run, next to what was accepted. */
export interface Verdict {
  accepted: number;
  recorded: number;
  /** Accepted events the store does not have, or a transfer's log does not show. */
  lost: string[];
  /** Events a transfer's log holds more than once. */
  duplicated: string[];
  /** Stored events whose JSON is not the event sent (a `$` key lost, a string cut). */
  altered: string[];
  /** Transfers whose status is not what their events say. */
  wrongStatus: string[];
  usageExpected: UsageFigures;
  usageCounted: UsageFigures;
}

const zero = (): UsageFigures => ({ created: 0, updated: 0, failed: 0, orders: 0 });

/**
 * Usage that the accepted events must produce: each success or failure once (by event id), and an
 * order against the allowance when a transfer creating it first succeeds.
 */
function expectedUsage(events: TransferEvent[], timeZone: string): Map<string, UsageFigures> {
  const periods = new Map<string, UsageFigures>();
  const ordered = new Set<string>();
  for (const event of events) {
    if (event.type !== 'transfer.succeeded' && event.type !== 'transfer.failed') continue;
    const { period } = dayAndPeriod(new Date(event.occurredAt), timeZone);
    const figures = periods.get(period) ?? zero();
    if (event.type === 'transfer.failed') figures.failed += 1;
    else if (event.operation === 'create') figures.created += 1;
    else figures.updated += 1;
    if (event.type === 'transfer.succeeded' && event.entity === 'order' && event.operation === 'create') {
      if (!ordered.has(event.transferId)) figures.orders += 1;
      ordered.add(event.transferId);
    }
    periods.set(period, figures);
  }
  return periods;
}

/** Reads back everything of the tenant (a few thousand documents: a scan is fine here) and compares. */
export async function verdictOf(
  models: Models,
  tenantId: string,
  timeZone: string,
  accepted: ReadonlySet<string>,
  events: ReadonlyMap<string, TransferEvent>,
): Promise<Verdict> {
  const sent = [...accepted].map((id) => events.get(id)!);
  const stored = await models.TransferEvent.collection
    .find({ tenantId }, { projection: { eventId: 1, eventJson: 1 } })
    .toArray();
  const storedIds = new Set(stored.map((doc) => String(doc.eventId)));
  const altered = stored
    .filter((doc) => !isDeepStrictEqual(JSON.parse(String(doc.eventJson)), events.get(String(doc.eventId))))
    .map((doc) => String(doc.eventId));

  const byTransfer = new Map<string, TransferEvent[]>();
  for (const event of sent) byTransfer.set(event.transferId, [...(byTransfer.get(event.transferId) ?? []), event]);
  const transfers = await models.Transfer.collection
    .find({ tenantId }, { projection: { transferId: 1, status: 1, events: 1 } })
    .toArray();
  const logged = new Map(transfers.map((doc) => [String(doc.transferId), doc]));
  const lost = new Set(sent.map(({ id }) => id).filter((id) => !storedIds.has(id)));
  const duplicated: string[] = [];
  const wrongStatus: string[] = [];
  for (const [transferId, own] of byTransfer) {
    const doc = logged.get(transferId);
    const ids = ((doc?.events ?? []) as Array<{ json: string }>).map(
      ({ json }) => (JSON.parse(json) as TransferEvent).id,
    );
    for (const id of new Set(ids.filter((id, index) => ids.indexOf(id) !== index))) duplicated.push(id);
    for (const { id } of own) if (!ids.includes(id)) lost.add(id);
    if (doc && doc.status !== foldTransfer(own).status) wrongStatus.push(transferId);
  }

  const usageExpected = zero();
  const usageCounted = zero();
  for (const [period, figures] of expectedUsage(sent, timeZone)) {
    const usage = await readUsage(models, tenantId, period);
    const sum = (outcome: 'created' | 'updated' | 'failed') =>
      Object.values(usage.counters).reduce((total, counts) => total + counts[outcome], 0);
    usageCounted.created += sum('created');
    usageCounted.updated += sum('updated');
    usageCounted.failed += sum('failed');
    usageCounted.orders += usage.ordersUsed;
    for (const key of Object.keys(figures) as Array<keyof UsageFigures>) usageExpected[key] += figures[key];
  }
  return {
    accepted: accepted.size,
    recorded: storedIds.size,
    lost: [...lost],
    duplicated,
    altered,
    wrongStatus,
    usageExpected,
    usageCounted,
  };
}

export const usageLine = (usage: UsageFigures) =>
  `${usage.created} created/${usage.updated} updated/${usage.failed} failed, ${usage.orders} orders`;
