import type { TokenCipher } from '../domain/token-cipher';
import type { Models } from './models';

/**
 * The Slack app's installations, one per workspace (or org-wide per Enterprise Grid org), with the
 * bot token sealed at rest: this repository seals on save and opens on find, so no other code
 * sees the sealed form and nothing but the repository sees the key. Read and written by `_id`.
 */

/** Which installation: a workspace's, or an org-wide one. */
export type SlackInstallationKey = { teamId: string } | { enterpriseId: string };

export interface SlackInstallation {
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall: boolean;
  appId?: string;
  botId?: string;
  botUserId: string;
  botScopes: string[];
  /** In the clear: sealed by save, opened by find. */
  botToken: string;
  installerUserId: string;
  installedAt: Date;
}

export interface SlackInstallations {
  /** Stores (or replaces, on a reinstall) the installation. */
  save(installation: SlackInstallation): Promise<void>;
  find(key: SlackInstallationKey): Promise<SlackInstallation | undefined>;
  /** True when there was one to remove. */
  remove(key: SlackInstallationKey): Promise<boolean>;
}

/**
 * The stored token does not open with the key the service has: INSTALLATION_ENCRYPTION_KEY was
 * changed, or the document altered. The workspace has to install the app again.
 */
export class UnreadableInstallationError extends Error {
  constructor(readonly installationId: string) {
    super(`the bot token of Slack installation ${installationId} does not open with INSTALLATION_ENCRYPTION_KEY`);
    this.name = 'UnreadableInstallationError';
  }
}

export const slackInstallationId = (key: SlackInstallationKey): string =>
  'enterpriseId' in key ? `enterprise:${key.enterpriseId}` : `team:${key.teamId}`;

/** The key an installation is stored under: org-wide installs by their org, the others by workspace. */
export function keyOfInstallation(
  installation: Pick<SlackInstallation, 'isEnterpriseInstall' | 'teamId' | 'enterpriseId'>,
): SlackInstallationKey {
  if (installation.isEnterpriseInstall && installation.enterpriseId) return { enterpriseId: installation.enterpriseId };
  if (installation.teamId) return { teamId: installation.teamId };
  throw new Error('a Slack installation names neither a workspace nor an org-wide install');
}

export function createSlackInstallations({
  models,
  cipher,
}: {
  models: Pick<Models, 'SlackInstallation'>;
  cipher: TokenCipher;
}): SlackInstallations {
  const { SlackInstallation } = models;
  const open = (sealed: Parameters<TokenCipher['open']>[0], _id: string) => {
    try {
      return cipher.open(sealed, _id);
    } catch {
      throw new UnreadableInstallationError(_id);
    }
  };
  return {
    async save(installation) {
      const _id = slackInstallationId(keyOfInstallation(installation));
      const { botToken, ...rest } = installation;
      // A replacement, not a merge: a reinstall with fewer scopes or another installer leaves nothing of the old one.
      await SlackInstallation.replaceOne(
        { _id },
        { ...rest, _id, botToken: cipher.seal(botToken, _id) },
        { upsert: true, runValidators: true },
      );
    },
    async find(key) {
      const _id = slackInstallationId(key);
      const doc = await SlackInstallation.findOne({ _id }).lean();
      if (!doc) return undefined;
      return {
        ...(doc.teamId ? { teamId: doc.teamId } : {}),
        ...(doc.teamName ? { teamName: doc.teamName } : {}),
        ...(doc.enterpriseId ? { enterpriseId: doc.enterpriseId } : {}),
        ...(doc.enterpriseName ? { enterpriseName: doc.enterpriseName } : {}),
        isEnterpriseInstall: doc.isEnterpriseInstall ?? false,
        ...(doc.appId ? { appId: doc.appId } : {}),
        ...(doc.botId ? { botId: doc.botId } : {}),
        botUserId: doc.botUserId,
        botScopes: [...(doc.botScopes ?? [])],
        botToken: open(doc.botToken, _id),
        installerUserId: doc.installerUserId,
        installedAt: doc.installedAt,
      };
    },
    async remove(key) {
      const { deletedCount } = await SlackInstallation.deleteOne({ _id: slackInstallationId(key) });
      return deletedCount > 0;
    },
  };
}
