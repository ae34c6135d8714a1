import { randomUUID } from 'node:crypto';
import type { Change, ChangesPort } from '../../commands/ports/changes';
import type { Command } from '../../domain/commands';
import type { AdapterDeps } from './deps';

/** Every change from chat: one audit entry, one `settings.changed` command for the engines. */
export function createChangesPort({ models, producer }: AdapterDeps): ChangesPort {
  const announce = async ({ tenantId, caller, action, target, details }: Change, now: Date) => {
    const actor = { platform: caller.platform, userId: caller.userId };
    const command: Command = {
      type: 'settings.changed',
      id: randomUUID(),
      tenantId,
      issuedAt: now.toISOString(),
      actor,
      action,
      ...(target ? { target } : {}),
      ...(details ? { details } : {}),
    };
    await producer.sendJson('commands', [{ key: tenantId, value: command }]);
  };
  return {
    async record(change) {
      const now = new Date();
      const { tenantId, caller, action, target, details } = change;
      await models.AuditEntry.create({
        tenantId,
        actor: { platform: caller.platform, userId: caller.userId },
        action,
        target,
        details: { ...details, by: caller.displayName },
        at: now,
      });
      await announce(change, now);
    },
    announce: (change) => announce(change, new Date()),
  };
}
