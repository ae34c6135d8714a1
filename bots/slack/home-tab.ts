import type { types } from '@slack/bolt';
import type { Logger } from '../../src/config/logger';
import type { CommandCore } from '../../src/commands/core';
import type { Caller, TenancyPort } from '../../src/commands/ports/tenancy';
import type { HomeViewers } from '../../src/store';
import { callerFromHome } from './parse';
import { renderHomeView } from './render';

export interface HomeTabDeps {
  core: Pick<CommandCore, 'handleCommand'>;
  /** The viewer with their Slack locale, so the tab speaks their language (as their own answers do). */
  withLocale?(caller: Caller): Promise<Caller>;
  tenancy: Pick<TenancyPort, 'resolveTenant'>;
  /** views.publish for one user, with the token of their workspace. */
  publish(viewer: Pick<Caller, 'workspaceId' | 'userId'>, view: types.HomeView): Promise<void>;
  logger: Logger;
  /** Who opened the tab, per tenant, shared by every instance. */
  viewers: Pick<HomeViewers, 'remember' | 'list'>;
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
 * kept in the store per tenant (bounded, expiring), so a change learnt by any instance refreshes
 * the tabs opened through every other.
 */
export function createHomeTab({ core, tenancy, publish, logger, viewers, withLocale }: HomeTabDeps): HomeTab {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const show = async (caller: Caller) => {
    const viewer = withLocale ? await withLocale(caller) : caller;
    return publish(caller, renderHomeView(await core.handleCommand(viewer, 'status')));
  };

  const publishAll = async (tenantId: string) => {
    // The App Home belongs to no channel, so a viewer is who they are in their workspace.
    const callers = (await viewers.list('slack', tenantId)).map((viewer) =>
      callerFromHome(viewer.workspaceId, viewer.userId),
    );
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
      // The person sees their tab even when remembering them for refreshes fails.
      await show(caller);
      const tenantId = await tenancy.resolveTenant(caller);
      if (!tenantId) return;
      await viewers
        .remember('slack', tenantId, {
          workspaceId: caller.workspaceId,
          userId: caller.userId,
          ...(caller.displayName ? { displayName: caller.displayName } : {}),
        })
        .catch((error: unknown) =>
          logger.warn({ err: error, tenantId, user: caller.userId }, 'could not remember who opened a Slack Home tab'),
        );
    },
    refresh,
    async refreshFor(caller) {
      const tenantId = await tenancy.resolveTenant(caller);
      if (tenantId) await refresh(tenantId);
    },
  };
}
