import type { ChatPlatform, PlatformSetup } from '../chat-platform';
import { noHomeView } from '../chat-platform';
import { createDiscordAlertSender } from './alert-sender';
import { createAutocomplete } from './autocomplete';
import { createDiscordBot, DISCORD_INTERACTIONS_PATH, type DiscordBot } from './discord-bot';
import { createGoneServers } from './gone-servers';

export interface DiscordPlatform extends ChatPlatform {
  readonly bot: DiscordBot;
}

/**
 * Discord, on when DISCORD_PUBLIC_KEY (interactions over HTTP) or DISCORD_BOT_TOKEN (through the
 * gateway) is set; the config check guarantees an application id alongside either.
 */
export const discordPlatform: PlatformSetup<DiscordPlatform> = ({ config, core, ports, models, logger }) => {
  if (!config.DISCORD_APPLICATION_ID || !(config.DISCORD_PUBLIC_KEY || config.DISCORD_BOT_TOKEN)) {
    return {
      off: 'the Discord bot is off: set DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY (or DISCORD_BOT_TOKEN) to turn it on',
    };
  }
  const goneServers = createGoneServers(models);
  const bot = createDiscordBot({
    ...(config.DISCORD_PUBLIC_KEY ? { publicKey: config.DISCORD_PUBLIC_KEY } : {}),
    ...(config.DISCORD_BOT_TOKEN ? { botToken: config.DISCORD_BOT_TOKEN } : {}),
    applicationId: config.DISCORD_APPLICATION_ID,
    apiUrl: config.DISCORD_API_URL,
    ...(config.DISCORD_ADMIN_ROLE_ID ? { adminRoleId: config.DISCORD_ADMIN_ROLE_ID } : {}),
    core,
    autocomplete: createAutocomplete(ports),
    goneServers,
    logger,
  });
  return {
    name: 'discord',
    bot,
    routes: bot.router ? [{ path: DISCORD_INTERACTIONS_PATH, router: bot.router }] : [],
    // Posting to a channel needs the bot token, whichever way interactions arrive.
    ...(config.DISCORD_BOT_TOKEN
      ? {
          alerts: createDiscordAlertSender({
            token: config.DISCORD_BOT_TOKEN,
            apiUrl: config.DISCORD_API_URL,
            models,
            goneServers,
            logger,
          }),
        }
      : {}),
    async start() {
      logger.info(
        { mode: bot.mode, ...(bot.router ? { path: DISCORD_INTERACTIONS_PATH } : {}) },
        'the Discord bot is on',
      );
      await bot.start();
    },
    stop: () => bot.stop(),
    // Discord has no home view.
    refreshHome: noHomeView,
  };
};
