import type { WorkspaceGoneReason } from '../../src/domain/closed-lists';
import { isWorkspaceGone, markWorkspaceGone, type Models } from '../../src/store';

/** The Discord servers the bot was removed from, as their bindings say; shared by the gateway and the alert sender. */
export interface GoneServers {
  /** Whether the server's bindings are marked gone. */
  isGone(guildId: string): Promise<boolean>;
  /** Marks the server's bindings gone; the tenants newly marked (empty when they already were). */
  markGone(guildId: string, reason: WorkspaceGoneReason): Promise<string[]>;
}

/**
 * Asked before every alert post or edit, so a server found live is taken as live for `liveForMs`
 * rather than the bindings read each time. A removal marked meanwhile by another instance costs at
 * most one refused post here, which marks nothing new and stops the rest. A gone server is read
 * each time, so linking it again lets alerts through at once.
 */
export function createGoneServers(
  models: Pick<Models, 'Binding'>,
  { liveForMs = 10_000, clock = () => Date.now() }: { liveForMs?: number; clock?: () => number } = {},
): GoneServers {
  const liveUntil = new Map<string, number>();
  return {
    async isGone(guildId) {
      if ((liveUntil.get(guildId) ?? 0) > clock()) return false;
      const gone = await isWorkspaceGone(models, 'discord', guildId);
      if (gone) liveUntil.delete(guildId);
      else liveUntil.set(guildId, clock() + liveForMs);
      return gone;
    },
    async markGone(guildId, reason) {
      liveUntil.delete(guildId);
      return markWorkspaceGone(models, 'discord', guildId, reason);
    },
  };
}
