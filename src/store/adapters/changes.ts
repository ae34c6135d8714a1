import { randomUUID } from 'node:crypto';
import type { ChangesPort } from '../../commands/ports/changes';
import type { Command } from '../../domain/commands';
import type { AdapterDeps } from './deps';

/** Every change from chat: one audit entry, one `settings.changed` command for the engines. */
export function createChangesPort({ models, producer }: AdapterDeps): ChangesPort {
  return {
    async record({ tenantId, caller, action, target, details }) {
      const now = new Date();
      const actor = { platform: caller.platform, userId: caller.userId };
      await models.AuditEntry.create({
        tenantId,
        actor,
        action,
        target,
        details: { ...details, by: caller.displayName },
        at: now,
      });
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
    },
  };
}
