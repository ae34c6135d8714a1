import { timeZoneOf } from '../../domain/zoned-time';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type {
  RetryOutcome,
  RetryTarget,
  TransferDetail,
  TransferFilter,
  TransferSummary,
  TransfersPort,
} from '../../commands/ports/transfers';
import { holdCauseFor, type HoldCause } from '../../domain/holds';
import { connectionLabel } from '../../domain/labels';
import type { Transfer } from '../../store/models';
import { transferDocId } from '../../store/models';
import { mapBounded } from '../../store/bounded';
import {
  readTransferList,
  readTransferViews,
  tenantDays,
  transfersByReference,
  type TransferSummaryRecord,
} from '../../store/transfer-views';
import { createRetryJobs, type RetryJobs } from '../transfers/retry-jobs';
import type { AdapterDeps } from './deps';

export interface TransfersPortOptions {
  /**
   * Bulk retries as jobs in the store that any instance carries on (src/services/transfers/retry-jobs.ts);
   * the composition root hands in the one it starts and stops. Without it, the port makes one that
   * sends what this port queues but does not look for other instances' jobs.
   */
  retryJobs?: RetryJobs;
  /** Retry commands per second (one chunk a second) of the retry jobs the port makes; default 20. */
  retriesPerSecond?: number;
  /** The service-wide retention (RETENTION_DAYS / RETENTION_MAX_TRANSFERS), shown when a tenant has none of its own. */
  retention?: { days: number; maxTransfers: number };
}

/** What the command core records in the audit trail for a retry (see catalog/retry.ts). */
const retryAuditSchema = z.object({ batch: z.string(), transferIds: z.array(z.string()) });

/** The fields of a stored transfer a log line needs (payloads are left in the store). */
type ListedTransfer = Pick<
  TransferSummaryRecord,
  'transferId' | 'reference' | 'connectionId' | 'entity' | 'operation' | 'status' | 'hold' | 'error' | 'attempts'
> & {
  updatedAt: Date;
  at?: Date;
  stages?: Transfer['stages'];
};

export function createTransfersPort(deps: AdapterDeps, options: TransfersPortOptions = {}): TransfersPort {
  const { models, producer, logger } = deps;
  const retryJobs =
    options.retryJobs ??
    createRetryJobs({
      models,
      producer,
      logger,
      instanceId: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      ...(options.retriesPerSecond ? { perSecond: options.retriesPerSecond } : {}),
    });

  /** The tenant's switches, systems and connections: labels, the system filter and what blocks a run. */
  async function tenantState(tenantId: string) {
    const [tenant, systems, connections] = await Promise.all([
      models.Tenant.findOne({ tenantId }, { active: 1, modules: 1, timezone: 1, retention: 1 }).lean(),
      models.System.find({ tenantId }, { systemId: 1, name: 1, kind: 1, connected: 1 }).lean(),
      models.DataConnection.find(
        { tenantId },
        { connectionId: 1, fromSystemId: 1, toSystemId: 1, entity: 1, active: 1 },
      ).lean(),
    ]);
    const label = (connectionId: string) => {
      const connection = connections.find((candidate) => candidate.connectionId === connectionId);
      return connection ? connectionLabel(connection, systems) : connectionId;
    };
    /** Why a transfer of this connection would be held if it ran now; undefined when it may run. */
    const blockedBy = (connectionId: string): HoldCause | undefined => {
      const connection = connections.find((candidate) => candidate.connectionId === connectionId);
      if (!connection) return { kind: 'gone', name: connectionId };
      const ends = [connection.fromSystemId, connection.toSystemId];
      const disconnected = systems.find((system) => ends.includes(system.systemId) && system.connected === false);
      return holdCauseFor({
        tenant: tenant ?? {},
        connection: { active: connection.active, name: label(connectionId) },
        ...(disconnected ? { system: disconnected } : {}),
        entity: connection.entity,
      })?.cause;
    };
    return { tenant, systems, connections, label, blockedBy };
  }
  type TenantState = Awaited<ReturnType<typeof tenantState>>;

  /**
   * The filter as a test of a summary. The log reads the tenant's view lists (one document per
   * partition, by _id) and filters them here: what a search costs no longer depends on history.
   */
  function matcherOf(filter: TransferFilter, state: TenantState): (doc: ListedTransfer) => boolean {
    let connectionIds: string[] | undefined;
    if (filter.systemId) {
      connectionIds = state.connections
        .filter(
          (connection) => connection.fromSystemId === filter.systemId || connection.toSystemId === filter.systemId,
        )
        .map((connection) => connection.connectionId);
    }
    if (filter.connectionId)
      connectionIds = (connectionIds ?? [filter.connectionId]).filter((id) => id === filter.connectionId);
    return (doc) =>
      (!filter.status || doc.status === filter.status) &&
      (!filter.entity || doc.entity === filter.entity) &&
      (!connectionIds || connectionIds.includes(doc.connectionId)) &&
      (!filter.errorCode || doc.error?.code === filter.errorCode) &&
      (!filter.since || doc.updatedAt >= filter.since) &&
      (!filter.until || doc.updatedAt < filter.until);
  }

  /**
   * The transfers a filter can match, newest first: the failed or held list for those statuses,
   * the transfers carrying a reference (read by _id) for a reference, else the latest transfers.
   */
  async function candidates(tenantId: string, filter: TransferFilter): Promise<ListedTransfer[]> {
    if (filter.reference) {
      const ids = await transfersByReference(models, tenantId, [filter.reference, `#${filter.reference}`]);
      const docs = await mapBounded(ids, 8, (transferId) =>
        models.Transfer.collection.findOne(
          { _id: transferDocId(tenantId, transferId) as never },
          { projection: { source: 0, target: 0, events: 0, eventIds: 0 } },
        ),
      );
      return (docs.filter(Boolean) as unknown as ListedTransfer[]).sort(
        (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime(),
      );
    }
    const lists = await readTransferViews(models, tenantId);
    if (filter.status === 'failed') return lists.failed;
    if (filter.status === 'held') return lists.held;
    return lists.recent;
  }

  function summary(doc: ListedTransfer, state: TenantState): TransferSummary {
    return {
      transferId: doc.transferId,
      ...(doc.reference ? { reference: doc.reference } : {}),
      connectionId: doc.connectionId,
      connectionLabel: state.label(doc.connectionId),
      entity: doc.entity,
      operation: doc.operation,
      status: doc.status,
      ...(doc.hold ? { hold: { reason: doc.hold.reason, message: doc.hold.message ?? '' } } : {}),
      ...(doc.error
        ? { error: { code: doc.error.code, message: doc.error.message, retryable: doc.error.retryable } }
        : {}),
      attempts: doc.attempts ?? 1,
      at: doc.at ?? doc.stages?.at(-1)?.at ?? doc.updatedAt,
    };
  }

  return {
    async settings(tenantId) {
      const [tenant, recordedDays] = await Promise.all([
        models.Tenant.findOne({ tenantId }, { timezone: 1, retention: 1 }).lean(),
        tenantDays(models, tenantId),
      ]);
      const oldest = recordedDays[0] ? { updatedAt: new Date(`${recordedDays[0]}T00:00:00Z`) } : undefined;
      const days = tenant?.retention?.days ?? options.retention?.days;
      const maxTransfers = tenant?.retention?.maxTransfers ?? options.retention?.maxTransfers;
      return {
        timezone: timeZoneOf(tenant?.timezone),
        ...(days || maxTransfers
          ? { retention: { ...(days ? { days } : {}), ...(maxTransfers ? { maxTransfers } : {}) } }
          : {}),
        ...(oldest ? { oldestKept: oldest.updatedAt } : {}),
      };
    },

    async findSystem(tenantId, nameOrId) {
      const systems = await models.System.find({ tenantId }, { systemId: 1, name: 1, kind: 1 }).lean();
      const squash = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');
      const wanted = squash(nameOrId);
      const byKind = systems.filter((system) => squash(system.kind) === wanted);
      const found =
        systems.find((system) => system.systemId === nameOrId) ??
        systems.find((system) => squash(system.systemId) === wanted || squash(system.name) === wanted) ??
        (byKind.length === 1 ? byKind[0] : undefined);
      if (found) return { systemId: found.systemId, name: found.name };
      return { known: systems.map((system) => system.name).sort((a, b) => a.localeCompare(b)) };
    },

    async list(tenantId, filter, page, pageSize) {
      const onlyStatus =
        (filter.status === 'failed' || filter.status === 'held') &&
        Object.entries(filter).every(([key, value]) => key === 'status' || value === undefined);
      if (onlyStatus) {
        // The failed or held list as it is: its count is kept, and only the pages up to the one
        // asked for are read.
        const wanted = Math.max(1, Math.floor(page)) * pageSize;
        const [state, { items, total }] = await Promise.all([
          tenantState(tenantId),
          readTransferList(models, tenantId, filter.status as 'failed' | 'held', wanted),
        ]);
        const shown = Math.min(Math.max(1, Math.floor(page)), Math.max(1, Math.ceil(total / pageSize)));
        const docs = items.slice((shown - 1) * pageSize, shown * pageSize);
        return { items: docs.map((doc) => summary(doc, state)), total, page: shown, pageSize };
      }
      const [state, found] = await Promise.all([tenantState(tenantId), candidates(tenantId, filter)]);
      const matching = found.filter(matcherOf(filter, state));
      const total = matching.length;
      const shown = Math.min(Math.max(1, Math.floor(page)), Math.max(1, Math.ceil(total / pageSize)));
      const docs = matching.slice((shown - 1) * pageSize, shown * pageSize);
      return { items: docs.map((doc) => summary(doc, state)), total, page: shown, pageSize };
    },

    async get(tenantId, transferId) {
      const [doc, state] = await Promise.all([
        models.Transfer.findOne({ _id: transferDocId(tenantId, transferId) }).lean(),
        tenantState(tenantId),
      ]);
      if (!doc) return undefined;
      const payloadOf = (side: NonNullable<typeof doc.source>) => ({
        system: side.system,
        format: side.format,
        payload: side.payloadJson == null ? undefined : (JSON.parse(side.payloadJson) as unknown),
      });
      const blockedBy =
        doc.status === 'failed' || doc.status === 'held' ? state.blockedBy(doc.connectionId) : undefined;
      const detail: TransferDetail = {
        ...summary(doc as ListedTransfer, state),
        stages: (doc.stages ?? []).map((stage) => ({
          name: stage.name,
          status: stage.status,
          ...(stage.message ? { message: stage.message } : {}),
          at: stage.at,
        })),
        ...(doc.source ? { source: payloadOf(doc.source) } : {}),
        ...(doc.target ? { target: payloadOf(doc.target) } : {}),
        ...(doc.startedAt ? { startedAt: doc.startedAt } : {}),
        ...(doc.finishedAt ? { finishedAt: doc.finishedAt } : {}),
        updatedAt: doc.updatedAt,
        ...(blockedBy ? { blockedBy } : {}),
      };
      return detail;
    },

    async planRetry(tenantId, filter, limit) {
      const [state, found] = await Promise.all([tenantState(tenantId), candidates(tenantId, filter)]);
      const matching = found.filter(matcherOf(filter, state));
      const connectionIds = [...new Set(matching.map(({ connectionId }) => connectionId))];
      // What blocks a run is a property of the connection (and its systems, module, tenant).
      const blockedBy = new Map(connectionIds.map((id) => [id, state.blockedBy(id)] as const));
      const blockedCounts = new Map<string, { cause: HoldCause; count: number }>();
      for (const doc of matching) {
        const cause = blockedBy.get(doc.connectionId);
        if (!cause) continue;
        const key = JSON.stringify(cause);
        blockedCounts.set(key, { cause, count: (blockedCounts.get(key)?.count ?? 0) + 1 });
      }
      const blocked = [...blockedCounts.values()];
      const targets: RetryTarget[] = matching
        .filter((doc) => !blockedBy.get(doc.connectionId))
        .filter((doc) => doc.status === 'failed' || doc.status === 'held')
        // Oldest first: the longest-waiting go to the engine first.
        .reverse()
        .slice(0, Math.max(0, limit))
        .map((doc) => ({
          transferId: doc.transferId,
          connectionId: doc.connectionId,
          status: doc.status as RetryTarget['status'],
        }));
      return { matched: matching.length, blocked, connectionLabels: connectionIds.map(state.label), targets };
    },

    async sendRetries(tenantId, targets, { actor, batch, now }) {
      const queued = await retryJobs.enqueue({
        tenantId,
        batch,
        actor,
        issuedAt: now,
        targets: targets.map(({ transferId, connectionId, status }) => ({
          transferId,
          connectionId,
          reason: status === 'held' ? 'release' : 'retry',
        })),
      });
      return {
        queued: queued.total,
        perSecond: queued.perSecond,
        sent: queued.sent,
        ...(queued.already ? { alreadyQueuedAt: queued.queuedAt } : {}),
      };
    },

    async retryOutcome(tenantId, batch, after) {
      const entry = await models.AuditEntry.findOne({ tenantId, at: { $gte: after }, 'details.batch': batch })
        .sort({ at: 1 })
        .lean();
      const recorded = retryAuditSchema.safeParse(entry?.details);
      if (!entry || !recorded.success) return undefined;
      const retriedAt = entry.at ?? after;
      const { transferIds } = recorded.data;
      const found = await mapBounded(transferIds, 8, (transferId) =>
        models.Transfer.findOne(
          { _id: transferDocId(tenantId, transferId) },
          { transferId: 1, status: 1, updatedAt: 1, error: 1 },
        ).lean(),
      );
      const docs = found.flatMap((doc) => (doc ? [doc] : []));
      const sending = await retryJobs.progress(tenantId, batch);
      const outcome: RetryOutcome = {
        retriedAt,
        total: transferIds.length,
        succeeded: 0,
        failedAgain: [],
        running: 0,
        waiting: 0,
        gone: 0,
      };
      const codes = new Map<string, number>();
      for (const doc of docs) {
        const changed = doc.updatedAt > retriedAt;
        if (doc.status === 'succeeded') outcome.succeeded += 1;
        else if (doc.status === 'failed' && changed)
          codes.set(doc.error?.code ?? 'unknown', (codes.get(doc.error?.code ?? 'unknown') ?? 0) + 1);
        else if (doc.status === 'started') outcome.running += 1;
        else outcome.waiting += 1;
      }
      outcome.failedAgain = [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
      outcome.gone = transferIds.length - docs.length;
      if (sending && sending.state === 'sending') outcome.unsent = Math.max(0, sending.total - sending.sent);
      return outcome;
    },
  };
}
