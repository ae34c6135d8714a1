import { z } from 'zod';
import { entitySchema, HOLD_REASONS, transferErrorSchema } from './events';

/** Longest dead-letter reason an alert carries. */
export const DEAD_LETTER_REASON_MAX = 300;

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

/**
 * A message of one consumer group that the pipeline gave up on (src/kafka/dead-letter-alerts.ts).
 * `origin` (`<topic>:<partition>:<offset>` where it was read) tells one dead-lettered message from
 * another, so the same message dead-lettered twice (a crash before the commit) is one.
 */
const pipelineBase = {
  ...base,
  origin: z.string().min(1).max(400),
  /** The topic it was read from and the consumer group that gave up on it. */
  topic: z.string().min(1).max(300),
  group: z.string().min(1).max(300),
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
  /**
   * The engine ran a transfer that a switch (the integration, its module, the connection or its
   * source system) had switched off before it started: the engine did not obey the switch.
   */
  z.object({
    kind: z.literal('switch.ignored'),
    ...transferBase,
    reason: z.enum(
      HOLD_REASONS.filter((reason) => reason !== 'quota_exceeded') as [
        'integration_off',
        'module_off',
        'connection_off',
      ],
    ),
    /** When the switch was last changed (it was off from then on). */
    switchedAt: z.iso.datetime({ offset: true }),
  }),
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
  /**
   * A message of the tenant went to the dead-letter topic: nothing was recorded for it. `reason`
   * says why, without the message's content (see `deadLetterReasonForChat`).
   */
  z.object({
    kind: z.literal('pipeline.dead_letter'),
    ...pipelineBase,
    reason: z.string().min(1).max(DEAD_LETTER_REASON_MAX),
    transferId: z.string().min(1).max(200).optional(),
    reference: z.string().min(1).max(200).optional(),
  }),
  /** An operator put a dead-lettered message back on its topic (npm run dlq -- replay). */
  z.object({
    kind: z.literal('pipeline.replayed'),
    ...pipelineBase,
    /** The dead letter's id on the dead-letter topic (`<partition>:<offset>`). */
    deadLetterId: z.string().min(1).max(100),
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

/** One message per tenant and consumer group whose messages were dead-lettered. */
/** One group per switch an engine ignored: `scope` is `*` (the integration), a module or a connection. */
export function switchIgnoredGroupKey(tenantId: string, reason: string, scope: string): string {
  return `switch.ignored:${tenantId}:${reason}:${scope}`;
}

export function deadLetterGroupKey(tenantId: string, group: string): string {
  return `pipeline.dead_letter:${tenantId}:${group}`;
}

/** Quoted text longer than this in a reason is most likely a piece of the message: left out. */
const QUOTED_MAX = 24;

/**
 * A dead letter's reason as chat and mail may show it: on one line, credentials masked, quoted
 * pieces of the message (a JSON parser quotes what it could not read) cut out, at most
 * DEAD_LETTER_REASON_MAX characters. The reason never needs the content to say what went wrong.
 */
export function deadLetterReasonForChat(reason: string): string {
  const text = reason
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    .replace(/\b(bearer|bot|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***')
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox*-***')
    // JSON.parse quotes the start of what it could not read, quotes inside included.
    .replace(/"[^]*"(?:\.\.\.)?(?= is not valid JSON)/, '"…"')
    .replace(/"(?:[^"\\]|\\.)*"?/g, (quoted) => (quoted.length > QUOTED_MAX + 2 ? '"…"' : quoted))
    .replace(/'(?:[^'\\]|\\.)*'/g, (quoted) => (quoted.length > QUOTED_MAX + 2 ? "'…'" : quoted));
  if (!text) return 'unknown reason';
  return text.length > DEAD_LETTER_REASON_MAX ? `${text.slice(0, DEAD_LETTER_REASON_MAX - 1)}…` : text;
}

export function digestGroupKey(tenantId: string, day: string): string {
  return `digest:${tenantId}:${day}`;
}

export function quotaGroupKey(tenantId: string, period: string, what: string): string {
  return `quota:${tenantId}:${period}:${what}`;
}
