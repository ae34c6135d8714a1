import type { ChatPlatform, PlatformSetup } from '../chat-platform';
import { createSlackAlertSender } from './alert-sender';
import { createSlackBot, SLACK_EVENTS_PATH, type SlackBot } from './slack-bot';

export interface SlackPlatform extends ChatPlatform {
  readonly bot: SlackBot;
}

/**
 * Slack, on when SLACK_BOT_TOKEN is set: over HTTP at SLACK_EVENTS_PATH (signing secret), or in
 * Socket Mode (app token). The config check guarantees one of the two alongside the bot token.
 */
export const slackPlatform: PlatformSetup<SlackPlatform> = ({
  config,
  core,
  ports,
  deliveries,
  homeViewers,
  logger,
}) => {
  if (!config.SLACK_BOT_TOKEN) {
    return { off: 'the Slack bot is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on' };
  }
  const bot = createSlackBot({
    botToken: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
    apiUrl: config.SLACK_API_URL,
    core,
    tenancy: ports.tenancy,
    deliveries,
    homeViewers,
    logger,
  });
  return {
    name: 'slack',
    bot,
    routes: bot.router ? [{ path: SLACK_EVENTS_PATH, router: bot.router }] : [],
    alerts: createSlackAlertSender({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL, logger }),
    async start() {
      logger.info({ mode: bot.mode, ...(bot.router ? { path: SLACK_EVENTS_PATH } : {}) }, 'the Slack bot is on');
      await bot.start();
    },
    stop: () => bot.stop(),
    refreshHome: (tenantId) => bot.refreshHome(tenantId),
  };
};
