import type { HoldCause } from '../../domain/holds';
import type { Actor } from '../../domain/commands';
import type { Entity, Hold, Operation, Payload, TransferError } from '../../domain/events';
import type { TransferStatus } from '../../domain/closed-lists';
import type { TransferStage } from '../../domain/transfer-fold';

/** Which transfers a log page or a bulk retry is about. Every field narrows; none means all kept. */
export interface TransferFilter {
  status?: TransferStatus;
  entity?: Entity;
  /** Transfers of connections from or to this system. */
  systemId?: string;
  connectionId?: string;
  /** Order number, SKU, …, without a leading '#': the store is searched with and without it. */
  reference?: string;
  errorCode?: string;
  /** On when the transfer last changed (the log's order and the retention's clock). */
  since?: Date;
  until?: Date;
}

/** One line of the log. */
export interface TransferSummary {
  transferId: string;
  reference?: string;
  connectionId: string;
  connectionLabel: string;
  entity: Entity;
  operation: Operation;
  status: TransferStatus;
  hold?: Hold;
  error?: TransferError;
  attempts: number;
  /** When it last happened: its latest stage, else when the log last changed. */
  at: Date;
}

export interface TransferPage {
  items: TransferSummary[];
  /** How many transfers match the filter in all. */
  total: number;
  /** 1-based; a page past the last gives the last. */
  page: number;
  pageSize: number;
}

/** One transfer expanded: every stage, and its data in both systems' formats. */
export interface TransferDetail extends TransferSummary {
  stages: TransferStage[];
  source?: Payload;
  target?: Payload;
  startedAt?: Date;
  finishedAt?: Date;
  updatedAt: Date;
  /** Why it could not run now (its connection, module, system or the integration is off). */
  blockedBy?: HoldCause;
}

/** What the log can show: the tenant's clock and how much it keeps. */
export interface LogSettings {
  timezone: string;
  /** The retention that applies when known (the tenant's own, or the service's when configured). */
  retention?: { days?: number; maxTransfers?: number };
  /** The oldest transfer still kept, if any. */
  oldestKept?: Date;
}

export type SystemMatch = { systemId: string; name: string } | { known: string[] };

/** A transfer a bulk or single retry sends to the engine. */
export interface RetryTarget {
  transferId: string;
  connectionId: string;
  status: 'failed' | 'held';
}

/** What a retry by filter would do, before anyone confirms it. */
export interface RetryPlan {
  /** Transfers that match the filter. */
  matched: number;
  /** Matching transfers that cannot run now, by why (e.g. their connection is off). */
  blocked: Array<{ cause: HoldCause; count: number }>;
  /** Labels of the connections the matching transfers belong to. */
  connectionLabels: string[];
  /** The transfers to send, oldest first, at most the limit asked for. */
  targets: RetryTarget[];
}

export interface RetryDispatch {
  /** Commands queued; the first chunk is on Kafka when this returns, the rest follow at the pace. */
  queued: number;
  perSecond: number;
  /** Commands on Kafka so far. */
  sent: number;
  /** Set when this batch was queued before (the same confirmation clicked again): nothing new was sent. */
  alreadyQueuedAt?: Date;
}

/** How the transfers of one retry batch have fared since. */
export interface RetryOutcome {
  retriedAt: Date;
  total: number;
  succeeded: number;
  /** Failed again after the retry, by error code. */
  failedAgain: Array<{ code: string; count: number }>;
  /** Started again, no outcome yet. */
  running: number;
  /** Not picked up by the engine yet. */
  waiting: number;
  /** No longer kept (retention). */
  gone: number;
  /** Retry commands of the batch not sent to the engine yet (it is still going out at its pace). */
  unsent?: number;
}

/** The Log of the dashboard and retries: reads the transfers, sends retries to the engines. */
export interface TransfersPort {
  settings(tenantId: string): Promise<LogSettings>;
  /** A system by id, name or kind, forgivingly ("economic" finds "e-conomic"); else the known names. */
  findSystem(tenantId: string, nameOrId: string): Promise<SystemMatch>;
  /** Newest first. */
  list(tenantId: string, filter: TransferFilter, page: number, pageSize: number): Promise<TransferPage>;
  get(tenantId: string, transferId: string): Promise<TransferDetail | undefined>;
  /** Counts what a retry of `filter` (status failed or held) would send; `limit` targets are listed. */
  planRetry(
    tenantId: string,
    filter: TransferFilter & { status: 'failed' | 'held' },
    limit: number,
  ): Promise<RetryPlan>;
  /**
   * Sends one `transfer.retry` command per target on iex.commands.v1 (`retry` for a failed
   * transfer, `release` for a held one), paced. More than one chunk becomes a job in the store
   * that any instance carries on if this one stops. Command ids derive from `batch`: a batch
   * queued before is not sent again (`alreadyQueuedAt`), and a chunk sent again after a crash
   * gives the engines the same ids to drop.
   */
  sendRetries(
    tenantId: string,
    targets: RetryTarget[],
    options: { actor: Actor; batch: string; now: Date },
  ): Promise<RetryDispatch>;
  /** The outcome of a retry batch recorded (audit trail) at or after `after`; undefined if none. */
  retryOutcome(tenantId: string, batch: string, after: Date): Promise<RetryOutcome | undefined>;
}
