import { randomBytes } from 'node:crypto';
import type { Logger } from '../../config/logger';
import type { EventProducer } from '../../kafka/producer';
import type { Models } from '../../store';
import { recordChange } from '../audit/record-change';
import { withTenantClaim } from './claim';
import { TenantNotFound, type Operator } from './contract';

/** How long the replaced secret keeps working when no overlap is given: a day to redeploy the engines. */
export const DEFAULT_SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** A week: an overlap longer than that is a second secret, not a rotation. */
export const MAX_SECRET_OVERLAP_MS = 7 * 24 * 60 * 60 * 1000;

export interface RotateDeps {
  models: Pick<Models, 'Tenant' | 'AuditEntry' | 'Lease'>;
  producer: Pick<EventProducer, 'sendJson'>;
  logger: Logger;
}

export interface RotatedSecret {
  /** The new secret: shown to the operator once, never stored anywhere they can read it back. */
  secret: string;
  /** Until when the replaced secret still verifies; undefined when the overlap is zero. */
  previousValidUntil?: Date;
}

/**
 * Gives a tenant's engines a new webhook secret without a refused request: during `overlapMs`
 * both the new and the replaced secret verify (src/ingest/tenant-secrets.ts), after it only the
 * new one. It holds the tenant's change claim (a concurrent apply or erasure: TenantBusy). A second rotation inside an overlap ends the first one's: only the secret in use
 * until now stays valid beside the new one.
 */
export async function rotateWebhookSecret(
  deps: RotateDeps,
  tenantId: string,
  options: { actor: Operator; overlapMs?: number; now?: Date },
): Promise<RotatedSecret> {
  const now = options.now ?? new Date();
  const overlapMs = options.overlapMs ?? DEFAULT_SECRET_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0 || overlapMs > MAX_SECRET_OVERLAP_MS) {
    throw new RangeError('the overlap is between 0 and 7 days');
  }
  return withTenantClaim(deps.models, tenantId, () => rotate(deps, tenantId, options.actor, overlapMs, now));
}

async function rotate(
  deps: RotateDeps,
  tenantId: string,
  actor: Operator,
  overlapMs: number,
  now: Date,
): Promise<RotatedSecret> {
  const tenant = await deps.models.Tenant.findOne({ tenantId }, { webhookSecret: 1 }).select('+webhookSecret').lean();
  if (!tenant) throw new TenantNotFound(tenantId);

  const secret = randomBytes(32).toString('hex');
  const previousValidUntil = overlapMs > 0 && tenant.webhookSecret ? new Date(now.getTime() + overlapMs) : undefined;
  await deps.models.Tenant.updateOne(
    { tenantId },
    previousValidUntil
      ? {
          $set: {
            webhookSecret: secret,
            previousWebhookSecret: { secret: tenant.webhookSecret, until: previousValidUntil },
          },
        }
      : { $set: { webhookSecret: secret }, $unset: { previousWebhookSecret: 1 } },
  );
  await recordChange(
    deps,
    {
      tenantId,
      actor,
      action: 'tenant.webhook-secret.rotated',
      target: tenantId,
      details: { previousValidUntil: previousValidUntil?.toISOString() ?? null },
    },
    now,
  );
  deps.logger.info({ tenantId, previousValidUntil, by: `${actor.platform}:${actor.userId}` }, 'webhook secret rotated');
  return { secret, ...(previousValidUntil ? { previousValidUntil } : {}) };
}
