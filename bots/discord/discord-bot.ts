import express, { type Router } from 'express';
import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  REST,
  Routes,
  type APIInteraction,
  type GatewayGuildDeleteDispatchData,
  type GatewayDispatchPayload,
} from 'discord.js';
import type { CommandCore } from '../../src/commands/core';
import { checkJsonDepth, tooDeepMessage } from '../../src/http/json-limits';
import type { Logger } from '../../src/config/logger';
import { withDeadline } from '../../src/domain/with-deadline';
import type { GoneServers } from './gone-servers';
import type { Autocomplete } from './autocomplete';
import { malformedInteraction } from './interaction-shape';
import { createInteractionHandler, type InteractionHandler, type Respond } from './interactions';
import { checkDiscordSignature, discordPublicKey } from './verify';

/** Where Discord posts interactions (the application's Interactions Endpoint URL). */
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

export interface DiscordBotOptions {
  /** DISCORD_PUBLIC_KEY: interactions arrive over HTTP, each verified against it. */
  publicKey?: string;
  /** DISCORD_BOT_TOKEN: without a public key, interactions arrive through the gateway instead. */
  botToken?: string;
  applicationId: string;
  /** DISCORD_API_URL: every REST call goes there (the client adds the version). */
  apiUrl: string;
  adminRoleId?: string;
  core: CommandCore;
  autocomplete: Autocomplete;
  logger: Logger;
  /** How long `stop()` waits for interactions that were answered but are still being finished. */
  drainTimeoutMs?: number;
  /** Where a server the bot was removed from has its bindings marked gone (gateway). */
  goneServers?: GoneServers;
}

export interface DiscordBot {
  mode: 'http' | 'gateway';
  /** Over HTTP: mount on the service's HTTP app at DISCORD_INTERACTIONS_PATH. */
  router?: Router;
  /** Through the gateway: its discord.js client (tests hand it a dispatch as the gateway would). */
  client?: Client;
  /** The gateway connects here; over HTTP there is nothing to start. */
  start(): Promise<void>;
  /** Waits for deferred interactions to be finished, then disconnects (gateway). */
  stop(): Promise<void>;
}

/**
 * The Discord adapter: answer at once (Discord's 3-second rule) → parse who asks and what → the
 * command core → render embeds and components → edit the response or follow up. Interactions come
 * from the HTTP endpoint or from the gateway; both hand the API's interaction object to one handler.
 */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { logger } = options;
  const log = logger.child({ component: 'discord' });
  // No token: every call it makes is authorised by the interaction's own token in the route.
  const rest = new REST({ api: options.apiUrl });
  const handle = createInteractionHandler({
    core: options.core,
    autocomplete: options.autocomplete,
    rest,
    applicationId: options.applicationId,
    ...(options.adminRoleId ? { adminRoleId: options.adminRoleId } : {}),
    logger,
  });

  const inFlight = new Set<Promise<void>>();
  /** Runs one interaction to its end; a failure after the initial response can only be logged. */
  function run(interaction: APIInteraction, respond: Respond): Promise<void> {
    const work = handle(interaction, respond)
      .catch((error: unknown) => {
        log.error(
          { err: restError(error), interaction: interaction.id, type: interaction.type },
          'a Discord interaction failed',
        );
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
    return work;
  }

  async function drain() {
    if (inFlight.size === 0) return;
    await withDeadline(
      Promise.allSettled([...inFlight]),
      options.drainTimeoutMs ?? 10_000,
      'finishing Discord interactions',
    ).catch((error: unknown) => log.warn({ err: error }, 'stopped before every Discord interaction was finished'));
  }

  if (options.publicKey) {
    return {
      mode: 'http',
      router: createInteractionsRouter(options.publicKey, run, log),
      start: async () => {},
      stop: drain,
    };
  }
  if (!options.botToken)
    throw new Error('the Discord bot needs DISCORD_PUBLIC_KEY (HTTP) or DISCORD_BOT_TOKEN (gateway)');

  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
  // The gateway's own interaction object, not discord.js's class of it: the very shape the HTTP
  // endpoint receives, so one parser and one handler serve both ways in.
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t === GatewayDispatchEvents.GuildDelete && options.goneServers) {
      void onGuildDelete(packet.d, { servers: options.goneServers, logger: log }).catch((error: unknown) =>
        // Not lost for good: the next alert to the server is refused, and that marks it gone too.
        log.error({ err: error, guildId: packet.d.id }, 'could not mark the bindings of a Discord server gone'),
      );
      return;
    }
    if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
    const interaction = packet.d;
    void run(interaction, async (response) => {
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: response, auth: false });
    });
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'the Discord gateway reported an error'));

  return {
    mode: 'gateway',
    client,
    async start() {
      try {
        await client.login(options.botToken);
        log.info({ user: client.user?.tag }, 'Discord bot connected to the gateway');
      } catch (error) {
        // The rest of the service (webhooks, Slack, alerts) is still of use without Discord.
        log.error({ err: error }, 'the Discord gateway could not connect; check DISCORD_BOT_TOKEN');
      }
    },
    async stop() {
      await drain();
      await client
        .destroy()
        .catch((error: unknown) => log.warn({ err: error }, 'the Discord gateway did not close cleanly'));
    },
  };
}

/**
 * The gateway's GUILD_DELETE: the bot left or was removed from a server (marks its bindings gone,
 * logged once), or — with `unavailable: true` — the server is in an outage, which changes nothing:
 * Discord sends it again when it is back.
 */
export async function onGuildDelete(
  guild: GatewayGuildDeleteDispatchData,
  deps: { servers: GoneServers; logger: Logger },
): Promise<void> {
  if (guild.unavailable) {
    deps.logger.info(
      { guildId: guild.id },
      'a Discord server is unavailable (an outage); its bindings stay as they are',
    );
    return;
  }
  const tenants = await deps.servers.markGone(guild.id, 'removed');
  if (tenants.length > 0)
    deps.logger.warn(
      { guildId: guild.id, tenants },
      'the bot was removed from a Discord server: its bindings are marked gone and its alerts stop until it is linked again',
    );
}

/** POST /discord/interactions: verify, answer PING, hand everything else to the handler. */
function createInteractionsRouter(
  publicKeyHex: string,
  run: (interaction: APIInteraction, respond: Respond) => Promise<void>,
  log: Logger,
): Router {
  const publicKey = discordPublicKey(publicKeyHex);
  const router = express.Router();
  // The signature covers the raw bytes: parse only after checking them.
  router.post('/', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = checkDiscordSignature({
      publicKey,
      signature: req.get('x-signature-ed25519'),
      timestamp: req.get('x-signature-timestamp'),
      rawBody,
    });
    if (check !== 'valid') {
      log.warn({ check }, 'refused a Discord interaction request: its signature is not valid');
      res.status(401).json({ error: 'invalid_signature' });
      return;
    }
    // Signed but malformed: a 400 that says why, never a crash in the handler (a 500).
    const refuse = (message: string) => {
      log.warn({ problem: message }, 'refused a signed Discord interaction request: its body is malformed');
      res.status(400).json({ error: 'bad_request', message });
    };
    if (!checkJsonDepth(rawBody).ok) return refuse(tooDeepMessage());
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return refuse('the body is not JSON');
    }
    const problem = malformedInteraction(body);
    if (problem) return refuse(`the body is not an interaction: ${problem}`);
    const interaction = body as APIInteraction;
    void run(interaction, async (response) => {
      res.json(response);
    }).then(() => {
      // Failed before its initial response (already logged): Discord shows the person a failure.
      if (!res.headersSent) res.status(500).json({ error: 'internal' });
    });
  });
  return router;
}

/**
 * A REST failure without what identifies the interaction: @discordjs/rest's errors carry the URL
 * (with the interaction's token, a credential for 15 minutes) and the body sent.
 */
function restError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { status, code } = error as Error & { status?: number; code?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(status ? { status } : {}),
    ...(code ? { code } : {}),
    stack: error.stack,
  };
}
