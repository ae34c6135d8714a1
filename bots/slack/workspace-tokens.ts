import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/config/logger';
import type { SlackInstallation, SlackInstallationKey, SlackInstallations } from '../../src/store';
import { keyOfInstallation, slackInstallationId, UnreadableInstallationError } from '../../src/store';

/**
 * Which bot token speaks to which Slack workspace.
 *
 * - One workspace (SLACK_BOT_TOKEN alone): that token, for every call.
 * - Distributed (SLACK_CLIENT_ID): the token of the workspace's installation, stored sealed by the
 *   OAuth flow. Bolt reads it through `installationStore` (its `authorize`), the alert sender and
 *   the Home tab through `tokenFor`. Looked up by `_id` and kept a short while per instance.
 *   With SLACK_BOT_TOKEN as well, that token still serves its own workspace (asked of Slack with
 *   auth.test, once) until the workspace installs the app, whose installation then wins: a
 *   one-workspace setup can turn distribution on without its workspace going quiet in between.
 */

export interface WorkspaceRef {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export interface WorkspaceTokens {
  readonly distributed: boolean;
  /** The bot token for the workspace, or undefined when the app is not installed there. */
  tokenFor(workspace: WorkspaceRef): Promise<string | undefined>;
  /** Bolt's view of the installations (the OAuth flow stores, `authorize` fetches); distributed only. */
  readonly installationStore?: InstallationStore;
  /**
   * Slack said the app was uninstalled from the workspace, or its bot token revoked: forget the
   * installation, so nothing more is sent there. True when there was one.
   */
  uninstalled(workspace: WorkspaceRef): Promise<boolean>;
}

export function singleWorkspaceTokens(botToken: string): WorkspaceTokens {
  return {
    distributed: false,
    tokenFor: async () => botToken,
    uninstalled: async () => false,
  };
}

interface Cached {
  installation: SlackInstallation | undefined;
  until: number;
}

export interface InstalledWorkspaceTokensOptions {
  installations: SlackInstallations;
  /** SLACK_BOT_TOKEN, serving its own workspace while that has no installation. */
  fallbackToken?: string | undefined;
  /** SLACK_API_URL, for learning the fallback token's workspace. */
  apiUrl: string;
  logger: Logger;
  /** How long a found installation is reused before it is read again. */
  cacheMs?: number;
  /** How long "not installed" is believed: short, an install on another instance should be seen soon. */
  missCacheMs?: number;
  clock?: () => number;
}

export function installedWorkspaceTokens(options: InstalledWorkspaceTokensOptions): WorkspaceTokens {
  const { installations, fallbackToken, logger } = options;
  const cacheMs = options.cacheMs ?? 30_000;
  const missCacheMs = options.missCacheMs ?? 5_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, Cached>();
  const unreadable = new Set<string>();
  const CACHE_MAX = 10_000;

  const keyOf = (workspace: WorkspaceRef): SlackInstallationKey | undefined => {
    if (workspace.isEnterpriseInstall && workspace.enterpriseId) return { enterpriseId: workspace.enterpriseId };
    if (workspace.teamId) return { teamId: workspace.teamId };
    if (workspace.enterpriseId) return { enterpriseId: workspace.enterpriseId };
    return undefined;
  };

  async function find(key: SlackInstallationKey): Promise<SlackInstallation | undefined> {
    const id = slackInstallationId(key);
    const now = clock();
    const hit = cache.get(id);
    if (hit && hit.until > now) return hit.installation;
    const installation = await installations.find(key).catch((error: unknown) => {
      // Taken as not installed, so alerts there stop instead of retrying forever; said once per installation.
      if (!(error instanceof UnreadableInstallationError)) throw error;
      if (!unreadable.has(id)) {
        unreadable.add(id);
        logger.error(
          { installation: id },
          'a Slack installation does not open with INSTALLATION_ENCRYPTION_KEY (was the key changed?): nothing is sent to that workspace until it installs the app again',
        );
      }
      return undefined;
    });
    if (installation) unreadable.delete(id);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(id, { installation, until: now + (installation ? cacheMs : missCacheMs) });
    return installation;
  }

  // The fallback token's workspace, asked once; a failed ask is asked again next time.
  let fallbackTeam: Promise<string | undefined> | undefined;
  const teamOfFallback = (): Promise<string | undefined> => {
    if (!fallbackToken) return Promise.resolve(undefined);
    fallbackTeam ??= new WebClient(fallbackToken, {
      slackApiUrl: options.apiUrl,
      retryConfig: { retries: 1 },
      timeout: 2_000,
    }).auth
      .test()
      .then((answer) => answer.team_id)
      .catch((error: unknown) => {
        fallbackTeam = undefined;
        logger.warn({ err: error }, 'could not ask Slack which workspace SLACK_BOT_TOKEN belongs to');
        return undefined;
      });
    return fallbackTeam;
  };

  async function tokenFor(workspace: WorkspaceRef): Promise<string | undefined> {
    const key = keyOf(workspace);
    if (!key) return undefined;
    const installation = await find(key);
    if (installation) return installation.botToken;
    if (fallbackToken && workspace.teamId && workspace.teamId === (await teamOfFallback())) return fallbackToken;
    return undefined;
  }

  const installationStore: InstallationStore = {
    async storeInstallation(installation) {
      const record = fromBolt(installation);
      await installations.save(record);
      cache.delete(slackInstallationId(keyOfInstallation(record)));
      logger.info(
        {
          teamId: record.teamId,
          teamName: record.teamName,
          enterpriseId: record.enterpriseId,
          installer: record.installerUserId,
          scopes: record.botScopes,
        },
        'the Slack app was installed in a workspace',
      );
    },
    async fetchInstallation(query) {
      const key = keyOfQuery(query);
      const installation = key ? await find(key) : undefined;
      if (installation) return toBolt(installation);
      if (fallbackToken && query.teamId && query.teamId === (await teamOfFallback())) {
        return toBolt({
          teamId: query.teamId,
          isEnterpriseInstall: false,
          botUserId: '',
          botScopes: [],
          botToken: fallbackToken,
          installerUserId: '',
          installedAt: new Date(0),
        });
      }
      throw new Error(`the Slack app is not installed in ${key ? slackInstallationId(key) : 'this workspace'}`);
    },
    async deleteInstallation(query) {
      const key = keyOfQuery(query);
      if (key) await remove(key);
    },
  };

  async function remove(key: SlackInstallationKey): Promise<boolean> {
    const removed = await installations.remove(key);
    cache.set(slackInstallationId(key), { installation: undefined, until: clock() + missCacheMs });
    return removed;
  }

  return {
    distributed: true,
    tokenFor,
    installationStore,
    async uninstalled(workspace) {
      const key = keyOf(workspace);
      return key ? remove(key) : false;
    },
  };
}

function keyOfQuery(query: InstallationQuery<boolean>): SlackInstallationKey | undefined {
  if (query.isEnterpriseInstall && query.enterpriseId) return { enterpriseId: query.enterpriseId };
  if (query.teamId) return { teamId: query.teamId };
  return undefined;
}

/** What the OAuth flow produced (oauth.v2.access, auth.test) → what the store keeps. */
function fromBolt(installation: Installation<'v1' | 'v2', boolean>): SlackInstallation {
  const { bot } = installation;
  if (!bot?.token) throw new Error('the installation holds no bot token: the app must ask for bot scopes');
  return {
    ...(installation.team?.id ? { teamId: installation.team.id } : {}),
    ...(installation.team?.name ? { teamName: installation.team.name } : {}),
    ...(installation.enterprise?.id ? { enterpriseId: installation.enterprise.id } : {}),
    ...(installation.enterprise?.name ? { enterpriseName: installation.enterprise.name } : {}),
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
    ...(installation.appId ? { appId: installation.appId } : {}),
    ...(bot.id ? { botId: bot.id } : {}),
    botUserId: bot.userId,
    botScopes: bot.scopes,
    botToken: bot.token,
    installerUserId: installation.user.id,
    installedAt: new Date(),
  };
}

/** What the store keeps → what Bolt's authorize reads (bot token, ids); no user token is kept. */
function toBolt(installation: SlackInstallation): Installation<'v2', boolean> {
  return {
    team: installation.teamId
      ? { id: installation.teamId, ...(installation.teamName ? { name: installation.teamName } : {}) }
      : undefined,
    enterprise: installation.enterpriseId
      ? {
          id: installation.enterpriseId,
          ...(installation.enterpriseName ? { name: installation.enterpriseName } : {}),
        }
      : undefined,
    user: { id: installation.installerUserId, token: undefined, scopes: undefined },
    bot: {
      token: installation.botToken,
      scopes: installation.botScopes,
      id: installation.botId ?? '',
      userId: installation.botUserId,
    },
    ...(installation.appId ? { appId: installation.appId } : {}),
    tokenType: 'bot',
    isEnterpriseInstall: installation.isEnterpriseInstall,
    authVersion: 'v2',
  } as Installation<'v2', boolean>;
}
