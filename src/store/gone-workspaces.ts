import type { WorkspaceGoneReason } from '../domain/closed-lists';
import { isDuplicateKeyError } from './errors';
import type { Models } from './models';

/**
 * Workspaces the bot is no longer in (a Discord server it was removed from): their bindings are
 * marked gone, not deleted, so the owner sees what happened, alerts there stop, and linking again
 * clears the mark (services/ports/tenancy.ts). The bindings collection is small (one or a few per
 * tenant), so filtering it by workspace is fine on FerretDB.
 */

/** The tenants whose bindings of the workspace were marked now; empty when they all were already. */
export async function markWorkspaceGone(
  models: Pick<Models, 'Binding'>,
  platform: string,
  workspaceId: string,
  reason: WorkspaceGoneReason,
  at = new Date(),
): Promise<string[]> {
  const live = { platform, workspaceId, goneAt: { $exists: false } };
  const bindings = await models.Binding.find(live, { tenantId: 1 }).lean();
  if (bindings.length === 0) return [];
  const { modifiedCount } = await models.Binding.updateMany(live, { $set: { goneAt: at, goneReason: reason } });
  // Another instance marked them a moment ago: it says so, not this one.
  return modifiedCount > 0 ? [...new Set(bindings.map((binding) => binding.tenantId))] : [];
}

/** True when the workspace has bindings and every one is marked gone; one linked again makes it live. */
export async function isWorkspaceGone(
  models: Pick<Models, 'Binding'>,
  platform: string,
  workspaceId: string,
): Promise<boolean> {
  const bindings = await models.Binding.find({ platform, workspaceId }, { goneAt: 1 }).lean();
  return bindings.length > 0 && bindings.every((binding) => binding.goneAt);
}

export const channelWorkspaceId = (platform: string, channelId: string): string => `${platform}:${channelId}`;

/** The workspace that holds a channel, as remembered by `rememberChannelWorkspace`. */
export async function workspaceOfChannel(
  models: Pick<Models, 'ChannelWorkspace'>,
  platform: string,
  channelId: string,
): Promise<string | undefined> {
  const found = await models.ChannelWorkspace.findById(channelWorkspaceId(platform, channelId)).lean();
  return found?.workspaceId;
}

/** Remembers which workspace holds a channel (a channel never moves, so a second write changes nothing). */
export async function rememberChannelWorkspace(
  models: Pick<Models, 'ChannelWorkspace'>,
  platform: string,
  channelId: string,
  workspaceId: string,
): Promise<void> {
  try {
    await models.ChannelWorkspace.updateOne(
      { _id: channelWorkspaceId(platform, channelId) },
      { $set: { platform, channelId, workspaceId } },
      { upsert: true },
    );
  } catch (error) {
    // Two first posts to the channel at once: the other one remembered it.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
