import { createHash } from 'node:crypto';
import type { Command } from '../domain/commands';
import type { Entity, Operation, TransferError } from '../domain/events';
import { createRandom } from './random';
import type { SimulationRoute } from './routes';
import { createTraffic, RATE_LIMITED, type EngineStep, type SimulatedTransfer } from './traffic';

/**
 * What the demo engine reports for a command, decided before anything is sent. Everything is drawn
 * from a seed derived from the command's id, so a redelivered command yields the same transfers
 * and event ids, and the pipeline keeps each event once.
 */

export type SyncCommand = Extract<Command, { type: 'connection.sync' }>;
export type RetryCommand = Extract<Command, { type: 'transfer.retry' }>;

export interface EnginePlanOptions {
  /** Mixed into every command's seed; keep it fixed, or a redelivered command becomes new transfers. */
  seed: number;
  /** Share of transfers (synced or retried) that fail, 0..1. */
  failureShare: number;
  /** How many transfers a scheduled run finds to transfer, both ends included. */
  transfersPerRun: { min: number; max: number };
}

/** 32 bits of a hash of `parts`: the same parts always give the same seed. */
export function seedOf(...parts: ReadonlyArray<string | number>): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/** Command ids may hold colons, which event ids may not: a digest of them is id-safe and short. */
function idOf(...parts: ReadonlyArray<string | number>): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/**
 * The transfers a scheduled run finds for a connection, each reported in full by the engine
 * (started → stages → succeeded or failed) and carrying the command's id as its `runId`. Payloads
 * are dated at the command's issue time, so a redelivery sends byte-for-byte the same transfers.
 */
export function planSync(
  command: SyncCommand,
  route: SimulationRoute,
  options: EnginePlanOptions,
): SimulatedTransfer[] {
  if (!route.runs) return [];
  const { min, max } = options.transfersPerRun;
  const count = createRandom(seedOf(options.seed, command.tenantId, command.id, 'count')).int(min, max);
  if (count <= 0) return [];
  const traffic = createTraffic({
    tenantId: command.tenantId,
    routes: { [route.entity]: route },
    seed: seedOf(options.seed, command.tenantId, command.id),
    failureShare: options.failureShare,
    pull: true,
  });
  const issuedAt = new Date(command.issuedAt);
  return Array.from({ length: count }, () => {
    const transfer = traffic.next(issuedAt);
    const steps = transfer.steps.map((step) => ({ ...step, event: { ...step.event, runId: command.id } }));
    return { ...transfer, steps };
  });
}

/** What the engine knows of a transfer it is asked to run again (from the transfer log). */
export interface RetriedTransfer {
  entity: Entity;
  operation: Operation;
  reference?: string | null;
  /** The error it last failed with; a held transfer has none. */
  error?: TransferError | null;
  /** The stage it last failed at, e.g. "post to e-conomic". */
  failedStage?: string;
}

/**
 * A retry or release: the transfer starts again and succeeds, or, for `failureShare` of them,
 * fails again the way it failed before (a rate limit when it had not failed). The event ids derive
 * from the command, so each retry is a new attempt and a redelivered one is the same attempt.
 */
export function planRetry(command: RetryCommand, transfer: RetriedTransfer, options: EnginePlanOptions): EngineStep[] {
  const id = `retry-${idOf(command.tenantId, command.id, command.transferId)}`;
  const random = createRandom(seedOf(options.seed, command.tenantId, command.id, command.transferId));
  const base = {
    tenantId: command.tenantId,
    transferId: command.transferId,
    connectionId: command.connectionId,
    entity: transfer.entity,
    operation: transfer.operation,
  };
  const started: EngineStep = {
    afterMs: 0,
    event: {
      ...base,
      id: `${id}-started`,
      type: 'transfer.started',
      ...(transfer.reference ? { reference: transfer.reference } : {}),
    },
  };
  const failsAgain = random.chance(options.failureShare);
  const afterMs = random.int(250, 1_200);
  if (!failsAgain) {
    return [started, { afterMs, event: { ...base, id: `${id}-succeeded`, type: 'transfer.succeeded' } }];
  }
  const error = transfer.error ?? RATE_LIMITED;
  return [
    started,
    {
      afterMs,
      event: {
        ...base,
        id: `${id}-failed`,
        type: 'transfer.failed',
        ...(transfer.failedStage ? { stage: { name: transfer.failedStage, status: 'failed' } } : {}),
        error: { code: error.code, message: error.message, retryable: error.retryable },
      },
    },
  ];
}
