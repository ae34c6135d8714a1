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
]);

export type AlertEvent = z.infer<typeof alertEventSchema>;
export type AlertKind = AlertEvent['kind'];

/** The group of a transfer failure: tenant, connection and error code (DESIGN.md §2). */
export function failureGroupKey(tenantId: string, connectionId: string, errorCode: string): string {
  return `transfer.failed:${tenantId}:${connectionId}:${errorCode}`;
}

export function quotaGroupKey(tenantId: string, period: string, what: string): string {
  return `quota:${tenantId}:${period}:${what}`;
}
