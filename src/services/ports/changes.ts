import type { Change, ChangesPort } from '../../commands/ports/changes';
import { announceChange, recordChange, type ChangeRecord } from '../audit/record-change';
import type { AdapterDeps } from './deps';

const fromChat = ({ tenantId, caller, action, target, details }: Change): ChangeRecord => ({
  tenantId,
  actor: { platform: caller.platform, userId: caller.userId },
  by: caller.displayName,
  action,
  ...(target ? { target } : {}),
  ...(details ? { details } : {}),
});

/** Every change from chat: one audit entry, one `settings.changed` command for the engines. */
export function createChangesPort({ models, producer }: AdapterDeps): ChangesPort {
  return {
    record: (change) => recordChange({ models, producer }, fromChat(change)),
    announce: (change) => announceChange({ producer }, fromChat(change)),
  };
}
