import type { Logger } from '../src/config/logger';
import { tenantEventSchema, type TenantEvent } from '../src/domain/tenant-events';
import { defineConsumer, type DecodedMessage } from '../src/kafka/consumer-runner';
import { TenantSpecRefused, type Operator } from '../src/services/tenants/contract';
import type { TenantOperations } from '../src/services/tenants/operations';

export interface TenantSpecsDeps {
  tenants: Pick<TenantOperations, 'apply' | 'erase'>;
  logger: Logger;
}

/** The audit trail's name for changes that came from the platform's events. */
export const PLATFORM_EVENTS_ACTOR: Operator = { platform: 'iex', userId: 'iex.tenants.v1' };

/**
 * Follows the IEX platform's customers on iex.tenants.v1: an upsert applies the spec, a delete
 * erases the tenant, in the order the platform published them (one tenant's events share a
 * partition). Both are idempotent, so a redelivery changes nothing. A spec that cannot be applied
 * (a problem the schema cannot see, e.g. a secret's environment variable missing here) is
 * dead-lettered with its problems; a tenant being changed by another door (TenantBusy) is waited
 * for, holding the partition, as an outage is (src/kafka/failure-kind.ts).
 * The webhook secret of a tenant created this way is not published anywhere: the platform
 * fetches one with the admin API's rotate, which shows it once.
 */
export function followTenantSpecs({ tenants, logger }: TenantSpecsDeps) {
  return defineConsumer<TenantEvent>({
    groupId: 'iex.tenant-specs',
    topics: ['tenants'],
    schema: tenantEventSchema,
    async handle(messages) {
      const rejected: Array<{ message: DecodedMessage<TenantEvent>; reason: string }> = [];
      for (const message of messages) {
        const event = message.value;
        if (event.type === 'tenant.deleted') {
          const { removed } = await tenants.erase(event.tenantId, { actor: PLATFORM_EVENTS_ACTOR });
          logger.info(
            { tenantId: event.tenantId, eventId: event.id, collections: Object.keys(removed).length },
            'tenant deleted by the platform',
          );
          continue;
        }
        try {
          const result = await tenants.apply(event.spec, { actor: PLATFORM_EVENTS_ACTOR });
          if (result.applied) {
            logger.info(
              { tenantId: result.tenantId, eventId: event.id, created: result.created, changes: result.changes.length },
              'tenant specification applied from the platform',
            );
          }
        } catch (error) {
          if (!(error instanceof TenantSpecRefused)) throw error;
          rejected.push({ message, reason: `the specification cannot be applied: ${error.message}` });
        }
      }
      return { rejected };
    },
  });
}
