import type { Models } from '../../src/store';

/**
 * Which Slack workspace an alert's channel is in, from the tenant's Slack bindings: a binding of
 * that very channel first, then the workspaces bound as a whole, then those with other channels
 * bound. A notification rule names a channel, not its workspace; a tenant has one workspace in
 * nearly every case, and a channel of another workspace is found by trying the next one.
 *
 * The bindings of a tenant are read with one query (bindings are few per tenant) and kept for a
 * short while, since alerts come in bursts.
 */
export interface ChannelWorkspaces {
  /** The workspaces to try for the channel, most likely first; empty when the tenant has none. */
  candidates(tenantId: string, channelId: string): Promise<string[]>;
}

export function createChannelWorkspaces({
  models,
  cacheMs = 30_000,
  clock = Date.now,
}: {
  models: Pick<Models, 'Binding'>;
  cacheMs?: number;
  clock?: () => number;
}): ChannelWorkspaces {
  const cache = new Map<string, { bindings: Array<{ workspaceId: string; channelId: string }>; until: number }>();

  async function bindingsOf(tenantId: string) {
    const hit = cache.get(tenantId);
    if (hit && hit.until > clock()) return hit.bindings;
    const bindings = (
      await models.Binding.find({ platform: 'slack', tenantId }, { workspaceId: 1, channelId: 1, goneAt: 1 }).lean()
    )
      // A binding marked gone binds nothing (src/store/gone-workspaces.ts).
      .filter((binding) => !binding.goneAt)
      .map(({ workspaceId, channelId }) => ({ workspaceId, channelId: channelId ?? '' }));
    if (cache.size >= 10_000) cache.clear();
    cache.set(tenantId, { bindings, until: clock() + cacheMs });
    return bindings;
  }

  return {
    async candidates(tenantId, channelId) {
      const bindings = await bindingsOf(tenantId);
      const rank = (binding: { channelId: string }) =>
        binding.channelId === channelId ? 0 : binding.channelId === '' ? 1 : 2;
      return [...new Set([...bindings].sort((a, b) => rank(a) - rank(b)).map((binding) => binding.workspaceId))];
    },
  };
}
