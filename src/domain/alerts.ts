import { z } from 'zod';
import { entitySchema, transferErrorSchema } from './events';

/**
 * Alert events on iex.alerts.v1, keyed by tenant. `groupKey` is what a notifier groups by: one chat
 * message per group, updated in place. `id` is deterministic (derived from the event that caused
 * the alert), so an alert re-sent after a consumer restart is recognised as the same alert.
 */
const base = {
  id: z.string().min(1),
  tenantId: z.string().min(1),
  groupKey: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
};

const transferBase = {
  ...base,
  transferId: z.string().min(1),
  connectionId: z.string().min(1),
  entity: entitySchema,
  reference: z.string().optional(),
};

const quotaBase = {
  ...base,
  period: z.string().regex(/^\d{4}-\d{2}$/),
  used: z.number().int().nonnegative(),
  allowance: z.number().int().nonnegative(),
};

/** A scheduled sync job of one connection (src/jobs/connection-sync). */
const jobBase = {
  ...base,
  jobId: z.string().min(1),
  connectionId: z.string().min(1),
  entity: entitySchema,
};

const outcomeCounts = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});

export const alertEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transfer.failed'), ...transferBase, error: transferErrorSchema }),
  /** A transfer of a failure group succeeded (on retry): the group's message can say so. */
  z.object({ kind: z.literal('transfer.recovered'), ...transferBase }),
  z.object({ kind: z.literal('quota.threshold'), ...quotaBase, threshold: z.number().int().positive() }),
  z.object({
    kind: z.literal('quota.topup'),
    ...quotaBase,
    orders: z.number().int().positive(),
    invoiceNumber: z.string().min(1),
    totalOre: z.number().int().nonnegative(),
  }),
  /** Over the allowance with no automatic top-up left: orders are held until a top-up. */
  z.object({ kind: z.literal('quota.exceeded'), ...quotaBase }),
  /** A job did not run when due (the service was down): `missedRuns` slots, the latest due at `dueAt`. */
  z.object({
    kind: z.literal('job.missed'),
    ...jobBase,
    dueAt: z.iso.datetime({ offset: true }),
    missedRuns: z.number().int().positive(),
  }),
  /** The last `failures` runs of a job in a row failed or got no answer from the engine. */
  z.object({
    kind: z.literal('job.failing'),
    ...jobBase,
    failures: z.number().int().positive(),
    lastStatus: z.enum(['failed', 'no_answer']),
    lastRunAt: z.iso.datetime({ offset: true }),
    /** What the failed transfers of the last run said, when it had any. */
    reason: z.string().optional(),
  }),
  /** A run of a job that was failing or missed succeeded: its alert is resolved. */
  z.object({ kind: z.literal('job.recovered'), ...jobBase, runAt: z.iso.datetime({ offset: true }) }),
  /** The daily digest of one tenant: yesterday (`day`, in its time zone) and the period so far. */
  z.object({
    kind: z.literal('digest'),
    ...base,
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    period: z.string().regex(/^\d{4}-\d{2}$/),
    transfers: z.object({ order: outcomeCounts, product: outcomeCounts, stock: outcomeCounts }),
    /** Yesterday's failures by error code, most first. */
    failuresByCause: z
      .array(z.object({ code: z.string().min(1), reason: z.string(), count: z.number().int().positive() }))
      .max(20),
    quota: z.object({
      used: z.number().int().nonnegative(),
      allowance: z.number().int().nonnegative(),
    }),
    /** Transfers held now (connection, module, integration off, or the quota). */
    held: z.number().int().nonnegative(),
  }),
]);

export type AlertEvent = z.infer<typeof alertEventSchema>;
export type AlertKind = AlertEvent['kind'];

/** The group of a transfer failure: tenant, connection and error code (DESIGN.md §2). */
export function failureGroupKey(tenantId: string, connectionId: string, errorCode: string): string {
  return `transfer.failed:${tenantId}:${connectionId}:${errorCode}`;
}

/** One message per job: missed runs and repeated failures update it, a good run resolves it. */
export function jobGroupKey(tenantId: string, jobId: string): string {
  return `job:${tenantId}:${jobId}`;
}

export function digestGroupKey(tenantId: string, day: string): string {
  return `digest:${tenantId}:${day}`;
}

export function quotaGroupKey(tenantId: string, period: string, what: string): string {
  return `quota:${tenantId}:${period}:${what}`;
}
