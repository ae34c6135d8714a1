import type { types } from '@slack/bolt';
import type { Logger } from '../../src/config/logger';
import type { CommandCore } from '../../src/commands/core';
import type { Caller, TenancyPort } from '../../src/commands/ports/tenancy';
import { renderHomeView } from './render';

export interface HomeTabDeps {
  core: Pick<CommandCore, 'handleCommand'>;
  tenancy: Pick<TenancyPort, 'resolveTenant'>;
  /** views.publish for one user. */
  publish(userId: string, view: types.HomeView): Promise<void>;
  logger: Logger;
  /** Bounds the memory of who to refresh; the oldest viewer is forgotten first. */
  maxViewersPerTenant?: number;
}

export interface HomeTab {
  /** Someone opened the Home tab: publish their dashboard, and remember them for refreshes. */
  opened(caller: Caller): Promise<void>;
  /** Re-publishes the Home tab of everyone who opened it for this tenant (e.g. after an alert). */
  refresh(tenantId: string): Promise<void>;
  /** Refreshes the Home tabs of the caller's tenant, e.g. after a change made from chat. */
  refreshFor(caller: Caller): Promise<void>;
}

/**
 * The App Home tab shows the same dashboard as `/iex status`, through the command core, so the
 * caller's role and tenant apply; an unlinked workspace sees how to link it. Who opened the tab is
 * kept in memory per tenant: after a restart a viewer's tab refreshes again once they reopen it.
 */
export function createHomeTab({ core, tenancy, publish, logger, maxViewersPerTenant = 1000 }: HomeTabDeps): HomeTab {
  const viewers = new Map<string, Map<string, Caller>>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const show = async (caller: Caller) =>
    publish(caller.userId, renderHomeView(await core.handleCommand(caller, 'status')));

  const remember = (tenantId: string, caller: Caller) => {
    const known = viewers.get(tenantId) ?? new Map<string, Caller>();
    const key = `${caller.workspaceId}:${caller.userId}`;
    known.delete(key);
    known.set(key, caller);
    if (known.size > maxViewersPerTenant) known.delete(known.keys().next().value!);
    viewers.set(tenantId, known);
  };

  const publishAll = async (tenantId: string) => {
    const callers = [...(viewers.get(tenantId)?.values() ?? [])];
    const results = await Promise.allSettled(callers.map(show));
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        logger.warn(
          { err: result.reason, tenantId, user: callers[index]?.userId },
          'could not refresh a Slack Home tab',
        );
      }
    });
  };

  const refresh = (tenantId: string): Promise<void> => {
    // Alerts can come in bursts: while one refresh runs, further requests fold into one more run.
    const current = running.get(tenantId);
    if (current) {
      again.add(tenantId);
      return current;
    }
    const run = (async () => {
      do {
        again.delete(tenantId);
        await publishAll(tenantId);
      } while (again.has(tenantId));
    })().finally(() => running.delete(tenantId));
    running.set(tenantId, run);
    return run;
  };

  return {
    async opened(caller) {
      const tenantId = await tenancy.resolveTenant(caller);
      if (tenantId) remember(tenantId, caller);
      await show(caller);
    },
    refresh,
    async refreshFor(caller) {
      if (viewers.size === 0) return;
      const tenantId = await tenancy.resolveTenant(caller);
      if (tenantId && viewers.has(tenantId)) await refresh(tenantId);
    },
  };
}
