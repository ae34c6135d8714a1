import { STAGE_STATUSES } from './closed-lists';
import { z } from 'zod';

/**
 * The v1 event contract (DESIGN.md §4). These schemas are the one source of truth for the
 * shapes that cross a boundary (HTTP body, Kafka message); the TypeScript types are inferred.
 */

export const ENTITIES = ['order', 'product', 'stock'] as const;
export const entitySchema = z.enum(ENTITIES);
export type Entity = z.infer<typeof entitySchema>;

export const OPERATIONS = ['create', 'update'] as const;
export const operationSchema = z.enum(OPERATIONS);
export type Operation = z.infer<typeof operationSchema>;

/**
 * `transfer.held` is an addition to the four types of DESIGN.md §4: the service itself emits it
 * when a transfer arrives for a connection, module or integration that is switched off, so the
 * transfer is kept (and can be released) instead of dropped.
 */
export const TRANSFER_EVENT_TYPES = [
  'transfer.started',
  'transfer.stage',
  'transfer.succeeded',
  'transfer.failed',
  'transfer.held',
] as const;
export const transferEventTypeSchema = z.enum(TRANSFER_EVENT_TYPES);
export type TransferEventType = z.infer<typeof transferEventTypeSchema>;

/** Longest id (event, tenant, transfer, connection) and longest reference the contract allows. */
export const ID_MAX_LENGTH = 200;
export const REFERENCE_MAX_LENGTH = 200;

/**
 * Ids appear in Kafka keys (`tenantId:transferId`), so they may not contain a colon. One definition
 * for the HTTP edge and the consumers: what the edge accepts, a consumer can record.
 */
export const idSchema = z
  .string()
  .min(1)
  .max(ID_MAX_LENGTH)
  .regex(/^[^:\s]+$/, 'must not contain ":" or whitespace');

/** What a person searches the log by: the order number, SKU, … */
export const referenceSchema = z.string().max(REFERENCE_MAX_LENGTH);

export const stageSchema = z.object({
  name: z.string().min(1).max(100),
  status: z.enum(STAGE_STATUSES),
  message: z.string().max(2000).optional(),
});
export type Stage = z.infer<typeof stageSchema>;

/** A payload in one system's own format, e.g. Shopify JSON or e-conomic REST JSON. */
export const payloadSchema = z.object({
  system: z.string().min(1).max(100),
  format: z.string().min(1).max(100),
  payload: z.unknown(),
});
export type Payload = z.infer<typeof payloadSchema>;

export const transferErrorSchema = z.object({
  code: z.string().min(1).max(100),
  message: z.string().max(2000),
  retryable: z.boolean(),
});
export type TransferError = z.infer<typeof transferErrorSchema>;

export const HOLD_REASONS = ['integration_off', 'module_off', 'connection_off', 'quota_exceeded'] as const;
export const holdSchema = z.object({
  reason: z.enum(HOLD_REASONS),
  message: z.string().max(2000),
});
export type Hold = z.infer<typeof holdSchema>;

export const transferEventSchema = z
  .object({
    id: idSchema,
    type: transferEventTypeSchema,
    tenantId: idSchema,
    transferId: idSchema,
    connectionId: idSchema,
    entity: entitySchema,
    operation: operationSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    stage: stageSchema.optional(),
    source: payloadSchema.optional(),
    target: payloadSchema.optional(),
    error: transferErrorSchema.optional(),
    hold: holdSchema.optional(),
    /** What a person searches the log by: the order number, SKU, … (optional, additive to §4). */
    reference: referenceSchema.optional(),
    /**
     * The id of the `connection.sync` command this transfer answers, so a scheduled run learns its
     * result (optional, additive to §4).
     */
    runId: z.string().max(300).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.type === 'transfer.stage' && !event.stage) {
      ctx.addIssue({ code: 'custom', path: ['stage'], message: 'required for transfer.stage' });
    }
    if (event.type === 'transfer.failed' && !event.error) {
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'required for transfer.failed' });
    }
    if (event.type === 'transfer.held' && !event.hold) {
      ctx.addIssue({ code: 'custom', path: ['hold'], message: 'required for transfer.held' });
    }
  });
export type TransferEvent = z.infer<typeof transferEventSchema>;

/** Kafka key of a transfer event: one transfer's events share a partition, so they stay in order. */
export function transferKey(event: Pick<TransferEvent, 'tenantId' | 'transferId'>): string {
  return `${event.tenantId}:${event.transferId}`;
}

/**
 * Formats zod issues as "path: message" lines, the form every boundary (HTTP 400, dead-letter
 * reason, configuration error) reports them in.
 */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
