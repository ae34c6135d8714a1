import type { StageStatus, TransferStatus } from './closed-lists';
import type { Entity, Hold, Operation, Payload, TransferError, TransferEvent } from './events';

export interface TransferStage {
  name: string;
  status: StageStatus;
  message?: string;
  at: Date;
}

/** A transfer as the log shows it: everything its events say, in the order they happened. */
export interface FoldedTransfer {
  tenantId: string;
  transferId: string;
  connectionId: string;
  entity: Entity;
  operation: Operation;
  status: TransferStatus;
  /** Why it is held (connection, module or integration off; quota used up). */
  hold?: Hold;
  stages: TransferStage[];
  source?: Payload;
  target?: Payload;
  error?: TransferError;
  reference?: string;
  /** The scheduled run (connection.sync command id) that produced it. */
  runId?: string;
  startedAt: Date;
  finishedAt?: Date;
  /** How many times it was started (1 + retries and releases). */
  attempts: number;
  eventIds: string[];
}

// Events of the same instant are applied in the order a transfer lives through them.
const TYPE_RANK: Record<TransferEvent['type'], number> = {
  'transfer.held': 0,
  'transfer.started': 1,
  'transfer.stage': 2,
  'transfer.failed': 3,
  'transfer.succeeded': 3,
};

export function compareEvents(a: TransferEvent, b: TransferEvent): number {
  const byTime = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
  if (byTime !== 0) return byTime;
  const byType = TYPE_RANK[a.type] - TYPE_RANK[b.type];
  return byType !== 0 ? byType : a.id.localeCompare(b.id);
}

function stageOf(event: TransferEvent): TransferStage {
  const at = new Date(event.occurredAt);
  switch (event.type) {
    case 'transfer.held':
      return { name: 'held', status: 'skipped', message: event.hold?.message, at };
    case 'transfer.started':
      return { name: 'started', status: 'started', at };
    case 'transfer.stage':
      return {
        name: event.stage?.name ?? 'stage',
        status: event.stage?.status ?? 'started',
        message: event.stage?.message,
        at,
      };
    case 'transfer.succeeded':
      return { name: event.stage?.name ?? 'completed', status: 'succeeded', message: event.stage?.message, at };
    case 'transfer.failed':
      return {
        name: event.stage?.name ?? 'failed',
        status: 'failed',
        message: event.error ? `${event.error.code}: ${event.error.message}` : event.stage?.message,
        at,
      };
  }
}

/**
 * Folds the events of one transfer into its state. Pure and order-independent: the events are
 * sorted by when they happened, duplicates (same id) count once, so a redelivery, a replay or
 * out-of-order arrival all give the same transfer.
 */
export function foldTransfer(events: readonly TransferEvent[]): FoldedTransfer {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()].sort(compareEvents);
  const first = unique[0];
  if (!first) throw new Error('a transfer needs at least one event');

  const transfer: FoldedTransfer = {
    tenantId: first.tenantId,
    transferId: first.transferId,
    connectionId: first.connectionId,
    entity: first.entity,
    operation: first.operation,
    status: 'started',
    stages: [],
    startedAt: new Date(first.occurredAt),
    attempts: 0,
    eventIds: unique.map(({ id }) => id),
  };

  for (const event of unique) {
    transfer.stages.push(stageOf(event));
    if (event.source) transfer.source = event.source;
    if (event.target) transfer.target = event.target;
    if (event.reference) transfer.reference = event.reference;
    if (event.runId) transfer.runId = event.runId;
    switch (event.type) {
      case 'transfer.held':
        transfer.status = 'held';
        transfer.hold = event.hold;
        transfer.finishedAt = undefined;
        break;
      case 'transfer.started':
        transfer.attempts += 1;
        transfer.status = 'started';
        transfer.hold = undefined;
        transfer.finishedAt = undefined;
        break;
      case 'transfer.stage':
        break;
      case 'transfer.succeeded':
        transfer.status = 'succeeded';
        transfer.error = undefined;
        transfer.hold = undefined;
        transfer.finishedAt = new Date(event.occurredAt);
        break;
      case 'transfer.failed':
        transfer.status = 'failed';
        transfer.error = event.error;
        transfer.finishedAt = new Date(event.occurredAt);
        break;
    }
  }
  // An engine may report success without a separate start event; it still ran once.
  transfer.attempts = Math.max(transfer.attempts, transfer.status === 'held' ? 0 : 1);
  return transfer;
}
