import { createSlackInstallations } from '../../src/store';
import { createTokenCipher, parseEncryptionKey } from '../../src/domain/token-cipher';
import type { ChatPlatform, PlatformSetup } from '../chat-platform';
import { createSlackAlertSender } from './alert-sender';
import { createChannelWorkspaces } from './channel-workspaces';
import {
  createSlackBot,
  SLACK_EVENTS_PATH,
  SLACK_INSTALL_PATH,
  SLACK_OAUTH_REDIRECT_PATH,
  SLACK_PATH,
  type SlackBot,
  type SlackDistribution,
} from './slack-bot';
import { installedWorkspaceTokens } from './workspace-tokens';

export interface SlackPlatform extends ChatPlatform {
  readonly bot: SlackBot;
}

/**
 * Slack, in one of two ways (the config check guarantees what each needs):
 * - one workspace, on when SLACK_BOT_TOKEN is set: over HTTP at SLACK_EVENTS_PATH (signing
 *   secret), or in Socket Mode (app token);
 * - distributed, on when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: over HTTP, installed by
 *   each workspace at SLACK_INSTALL_PATH, each call with its workspace's token. SLACK_BOT_TOKEN,
 *   if given too, keeps serving its own workspace until that workspace installs the app.
 */
export const slackPlatform: PlatformSetup<SlackPlatform> = ({
  config,
  core,
  ports,
  deliveries,
  homeViewers,
  models,
  logger,
}) => {
  const distributed = Boolean(config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET);
  if (!config.SLACK_BOT_TOKEN && !distributed) {
    return {
      off: 'the Slack bot is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace), or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (distributed) to turn it on',
    };
  }
  let distribution: SlackDistribution | undefined;
  if (distributed) {
    const key = parseEncryptionKey(config.INSTALLATION_ENCRYPTION_KEY ?? '');
    if ('problem' in key) throw new Error(`INSTALLATION_ENCRYPTION_KEY ${key.problem}`);
    const tokens = installedWorkspaceTokens({
      installations: createSlackInstallations({ models, cipher: createTokenCipher(key.key) }),
      fallbackToken: config.SLACK_BOT_TOKEN,
      apiUrl: config.SLACK_API_URL,
      logger: logger.child({ component: 'slack' }),
    });
    distribution = {
      clientId: config.SLACK_CLIENT_ID!,
      clientSecret: config.SLACK_CLIENT_SECRET!,
      stateSecret: config.SLACK_STATE_SECRET!,
      tokens,
      ...(config.PUBLIC_URL ? { redirectUri: new URL(SLACK_OAUTH_REDIRECT_PATH, config.PUBLIC_URL).toString() } : {}),
    };
  }
  const bot = createSlackBot({
    ...(distribution ? { distribution } : { botToken: config.SLACK_BOT_TOKEN! }),
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    apiUrl: config.SLACK_API_URL,
    core,
    tenancy: ports.tenancy,
    deliveries,
    homeViewers,
    logger,
  });
  const channelWorkspaces = distribution ? createChannelWorkspaces({ models }) : undefined;
  const alerts =
    distribution && channelWorkspaces
      ? createSlackAlertSender({
          apiUrl: config.SLACK_API_URL,
          logger,
          tokens: async (channel, meta) => {
            const candidates = meta ? await channelWorkspaces.candidates(meta.tenantId, channel) : [];
            const installed: Array<{ workspaceId: string; token: string }> = [];
            for (const workspaceId of candidates) {
              const token = await distribution.tokens.tokenFor({ teamId: workspaceId });
              if (token) installed.push({ workspaceId, token });
            }
            return { candidates, installed };
          },
        })
      : createSlackAlertSender({ token: config.SLACK_BOT_TOKEN!, apiUrl: config.SLACK_API_URL, logger });
  return {
    name: 'slack',
    bot,
    routes: bot.router ? [{ path: SLACK_PATH, router: bot.router }] : [],
    alerts,
    async start() {
      logger.info(
        {
          mode: bot.mode,
          ...(bot.router ? { path: SLACK_EVENTS_PATH } : {}),
          ...(distribution
            ? { distributed: true, install: SLACK_INSTALL_PATH, redirect: SLACK_OAUTH_REDIRECT_PATH }
            : {}),
        },
        'the Slack bot is on',
      );
      await bot.start();
    },
    stop: () => bot.stop(),
    refreshHome: (tenantId) => bot.refreshHome(tenantId),
  };
};
