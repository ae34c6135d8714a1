import { z } from 'zod';
import { SPEC_ID, tenantSpecSchema } from './tenant-spec';

/**
 * Events on iex.tenants.v1, keyed by tenant id: the IEX platform publishes its customers, and the
 * service follows. An upsert carries the whole specification (applied declaratively, so a
 * redelivery changes nothing); a delete erases the tenant (again: nothing left to remove).
 */
const base = {
  /** The event's own id, for the platform's tracing; handling is idempotent without it. */
  id: z.string().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true }),
};

export const tenantEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tenant.upserted'), ...base, spec: tenantSpecSchema }),
  z.object({ type: z.literal('tenant.deleted'), ...base, tenantId: z.string().regex(SPEC_ID) }),
]);

export type TenantEvent = z.infer<typeof tenantEventSchema>;
export type TenantEventInput = z.input<typeof tenantEventSchema>;

/** The tenant an event is about: the Kafka key it is published under. */
export const tenantOfEvent = (event: TenantEventInput): string =>
  event.type === 'tenant.upserted' ? event.spec.id : event.tenantId;
