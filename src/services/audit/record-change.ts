import { randomUUID } from 'node:crypto';
import type { Actor, Command } from '../../domain/commands';
import type { EventProducer } from '../../kafka/producer';
import type { Models } from '../../store';

/** A change to a tenant, by a person in chat or by an operator (CLI, admin API, the platform's events). */
export interface ChangeRecord {
  tenantId: string;
  actor: Actor;
  /** The person's name as the audit trail shows it, when known. */
  by?: string;
  /** e.g. 'connection.deactivate', 'tenant.applied'. */
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

export interface ChangeDeps {
  models: Pick<Models, 'AuditEntry'>;
  producer: Pick<EventProducer, 'sendJson'>;
}

/** Publishes a change on iex.commands.v1 as `settings.changed`, so the engines obey it. */
export async function announceChange(
  { producer }: Pick<ChangeDeps, 'producer'>,
  change: ChangeRecord,
  now = new Date(),
) {
  const { tenantId, actor, action, target, details } = change;
  const command: Command = {
    type: 'settings.changed',
    id: randomUUID(),
    tenantId,
    issuedAt: now.toISOString(),
    actor: { platform: actor.platform, userId: actor.userId },
    action,
    ...(target ? { target } : {}),
    ...(details ? { details } : {}),
  };
  await producer.sendJson('commands', [{ key: tenantId, value: command }]);
}

/** Every change: one audit entry, then one `settings.changed` command for the engines. */
export async function recordChange(deps: ChangeDeps, change: ChangeRecord, now = new Date()): Promise<void> {
  const { tenantId, actor, by, action, target, details } = change;
  await deps.models.AuditEntry.create({
    tenantId,
    actor: { platform: actor.platform, userId: actor.userId },
    action,
    target,
    // Chat changes always name the person (even as unknown); an operator's actor is enough.
    details: 'by' in change ? { ...details, by } : details,
    at: now,
  });
  await announceChange(deps, change, now);
}
