import { timeZoneOf } from '../../domain/zoned-time';
import type { Logger } from '../../config/logger';
import { SYSTEM_ACTOR, type Actor, type Command } from '../../domain/commands';
import { nextCronRun } from '../../domain/cron-next';
import { holdCauseFor, holdMessage, type HoldCause } from '../../domain/holds';
import type { Entity } from '../../domain/events';
import { connectionLabel } from '../../domain/labels';
import type { EventProducer } from '../../kafka/producer';
import { recordJobRun, type Models } from '../../store';

export interface SyncRunDeps {
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection' | 'Job' | 'JobRun' | 'OpenRun' | 'JobRunView'>;
  producer: Pick<EventProducer, 'sendJson'>;
  logger: Logger;
  /** A run that produced no transfer within this long gets "no answer". */
  answerTimeoutMs: number;
}

export interface SyncRunRequest {
  tenantId: string;
  connectionId: string;
  /** The cron slot; for a manual run, the moment of the click. */
  tick: Date;
  manual?: boolean;
  actor?: Actor;
  now: Date;
}

export type SyncRunResult =
  | { status: 'running'; runId: string; label: string; entity: Entity }
  | { status: 'skipped'; runId: string; label: string; entity: Entity; reason: string; cause: HoldCause }
  | { status: 'no_connection' }
  | { status: 'webhook'; label: string };

/**
 * The id of one run: the `connection.sync` command's id, which the engine echoes as `runId` on
 * the transfers it sends. Deterministic per tick, so every instance (and a takeover) agrees on it.
 */
export function syncRunId(tenantId: string, jobId: string, tick: Date, manual = false): string {
  return `sync:${tenantId}:${jobId}@${tick.toISOString()}${manual ? ':manual' : ''}`;
}

/** The job of a scheduled connection is named after the connection: one job per connection. */
export const jobIdOf = (connectionId: string) => connectionId;

/**
 * Runs a connection's job once: asks the engine to sync the connection (on iex.commands.v1) and
 * records the run, or records it as skipped when the integration, its module, the source system or
 * the connection is switched off. Safe to repeat for one tick: the run is recorded once and the
 * command carries the same id, so the engine can tell it has it.
 *
 * The run is recorded by `recordJobRun` under `_id: runId` (on MongoDB the primary index), listed
 * in `openRuns` while running and in its day's retention bucket; nothing here reads `jobRuns`.
 */
export async function startSyncRun(deps: SyncRunDeps, request: SyncRunRequest): Promise<SyncRunResult> {
  const { models } = deps;
  const { tenantId, connectionId, tick, now } = request;
  const manual = request.manual ?? false;
  const [tenant, connection] = await Promise.all([
    models.Tenant.findOne({ tenantId }, { active: 1, modules: 1, timezone: 1 }).lean(),
    models.DataConnection.findOne({ tenantId, connectionId }).lean(),
  ]);
  if (!tenant || !connection) return { status: 'no_connection' };
  const systems = await models.System.find(
    { tenantId, systemId: { $in: [connection.fromSystemId, connection.toSystemId] } },
    { systemId: 1, name: 1, connected: 1 },
  ).lean();
  const label = connectionLabel(connection, systems);
  if (connection.mode !== 'schedule') return { status: 'webhook', label };
  const { entity } = connection;
  const jobId = jobIdOf(connectionId);
  const runId = syncRunId(tenantId, jobId, tick, manual);
  const job = await models.Job.findOne({ tenantId, jobId }, { cron: 1, timezone: 1 }).lean();
  const timezone = timeZoneOf(job?.timezone, connection.timezone, tenant.timezone);
  const cron = job?.cron ?? connection.cron;
  const nextRunAt = cron ? nextCronRun(cron, timezone, tick > now ? tick : now) : undefined;
  const log = deps.logger.child({ tenantId, jobId, runId });

  const held = holdCauseFor({
    tenant,
    system: systems.find((system) => system.systemId === connection.fromSystemId),
    connection: { active: connection.active, name: label },
    entity,
  });
  const base = { tenantId, jobId, connectionId, runId, tick, manual };
  const recordJob = (lastStatus: 'running' | 'skipped') =>
    models.Job.updateOne(
      { tenantId, jobId },
      { $set: { lastRunAt: tick, lastStatus, lastRunId: runId, ...(nextRunAt ? { nextRunAt } : {}) } },
    );

  if (held) {
    const reason = holdMessage(held.cause);
    await recordJobRun(models, { ...base, status: 'skipped', reason, finishedAt: now }, now);
    await recordJob('skipped');
    log.info({ reason: held.reason }, 'sync run skipped: something is switched off');
    return { status: 'skipped', runId, label, entity, reason, cause: held.cause };
  }

  // A run recorded already (another instance's attempt at this tick) is kept as it is.
  await recordJobRun(
    models,
    { ...base, status: 'running', answerBy: new Date(now.getTime() + deps.answerTimeoutMs) },
    now,
  );
  const command: Command = {
    type: 'connection.sync',
    id: runId,
    tenantId,
    issuedAt: now.toISOString(),
    actor: request.actor ?? SYSTEM_ACTOR,
    connectionId,
    jobId,
  };
  await deps.producer.sendJson('commands', [{ key: tenantId, value: command }]);
  await recordJob('running');
  log.info({ manual }, 'sync requested');
  return { status: 'running', runId, label, entity };
}
