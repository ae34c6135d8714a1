import { App, ExpressReceiver, webApi, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { Request, Response, Router } from 'express';
import type { Logger } from '../../src/config/logger';
import type { CommandCore } from '../../src/commands/core';
import type { TenancyPort } from '../../src/commands/ports/tenancy';
import { withDeadline } from '../../src/util/with-deadline';
import { createBoltLogger } from './bolt-logger';
import { createDeliveries } from './deliveries';
import { createHomeTab } from './home-tab';
import { callerFromAction, callerFromCommand, callerFromHome, deliveryKey } from './parse';
import { ACTION_ID_PREFIX, renderMessage, renderResponse } from './render';
import { malformedSlackRequest } from './request-shape';

export const SLASH_COMMAND = '/iex';
/** Where Slack posts slash commands, interactions and events (the manifest's request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackBotOptions {
  /** Verifies every request over HTTP; not needed in Socket Mode. */
  signingSecret?: string;
  botToken: string;
  /** An app-level token (xapp-…) switches to Socket Mode: no public URL, no router. */
  appToken?: string;
  /** SLACK_API_URL: every Web API call goes there. */
  apiUrl: string;
  core: CommandCore;
  tenancy: Pick<TenancyPort, 'resolveTenant'>;
  logger: Logger;
  /** How long `stop()` waits for requests that were acknowledged but are still being answered. */
  drainTimeoutMs?: number;
}

export interface SlackBot {
  mode: 'http' | 'socket';
  /** Over HTTP: mount on the service's HTTP app at SLACK_EVENTS_PATH. */
  router?: Router;
  /** Socket Mode connects here; over HTTP there is nothing to start. */
  start(): Promise<void>;
  /** Waits for acknowledged requests to be answered, then disconnects (Socket Mode). */
  stop(): Promise<void>;
  /** Re-publishes the App Home tab of everyone who opened it for this tenant. */
  refreshHome(tenantId: string): Promise<void>;
}

/**
 * Bolt's Express receiver with one step added between its signature check (which runs first and
 * answers 401) and its dispatch: a signed body Bolt cannot handle is answered 400, not crashed on.
 * Bolt offers no hook at that point (processEventErrorHandler only sees a crash, after the fact, and
 * a slash command without text would be acknowledged 200 before anything failed); the receiver
 * binds `requestHandler` in its constructor, so overriding it here is what Bolt calls.
 */
class ValidatingExpressReceiver extends ExpressReceiver {
  constructor(
    options: ConstructorParameters<typeof ExpressReceiver>[0],
    private readonly onMalformed: (problem: string) => void,
  ) {
    super(options);
  }

  override async requestHandler(req: Request, res: Response): Promise<void> {
    const problem = malformedSlackRequest(req.body);
    if (problem) {
      this.onMalformed(problem);
      res.status(400).json({ error: 'bad_request', message: `not a Slack request this app handles: ${problem}` });
      return;
    }
    await super.requestHandler(req, res);
  }
}

/**
 * The Slack adapter: acknowledge at once (Slack's 3-second rule) → parse who asks and what →
 * the command core → render Block Kit → answer through the response_url (or the App Home).
 */
export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { core, logger, botToken } = options;
  const log = logger.child({ component: 'slack' });
  const boltLogger = createBoltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: options.apiUrl,
    logger: boltLogger,
    // A dashboard published half an hour late is no use: give up after a few minutes.
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
  };
  const client = new webApi.WebClient(botToken, clientOptions);

  const socketMode = Boolean(options.appToken);
  let receiver: ExpressReceiver | undefined;
  if (!socketMode) {
    if (!options.signingSecret) throw new Error('the Slack bot needs a signing secret to take requests over HTTP');
    receiver = new ValidatingExpressReceiver(
      {
        signingSecret: options.signingSecret,
        // The router is mounted at SLACK_EVENTS_PATH by the service; here it answers its own root.
        endpoints: '/',
        logger: boltLogger,
        // false: ack() writes the HTTP response at once and the work goes on after it. True would hold
        // the response until the listener finished, which is for FaaS hosts, not a server.
        processBeforeResponse: false,
      },
      (problem) => log.warn({ problem }, 'refused a signed Slack request with a malformed body'),
    );
  }

  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken }),
    // One workspace's bot token. Bolt's default with `token` calls auth.test at construction (a
    // rejection nobody awaits when Slack is unreachable) or before every request; we need neither.
    authorize: async () => ({ botToken }),
    logger: boltLogger,
    clientOptions,
  });

  const home = createHomeTab({
    core,
    tenancy: options.tenancy,
    logger: log,
    publish: async (userId, view) => {
      await client.views.publish({ user_id: userId, view });
    },
  });

  const deliveries = createDeliveries();
  const inFlight = new Set<Promise<void>>();

  // Runs before every listener: a repeated delivery is acknowledged and dropped, so it cannot act
  // twice; anything else is tracked until answered, so stop() can wait for it.
  app.use(async (args) => {
    const key = deliveryKey(args.body);
    if (key && !deliveries.firstTime(key)) {
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      log.info(
        { delivery: key, retryNum: args.context.retryNum, retryReason: args.context.retryReason },
        'ignored a repeated Slack delivery',
      );
      return;
    }
    const work = args.next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const reply = await core.handleCommand(callerFromCommand(command), command.text, `slack:${command.trigger_id}`);
    await respond(renderResponse(reply));
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX}`) },
    async ({ ack, body, action, respond }) => {
      await ack();
      // Slack reports clicks on link buttons too; the browser already did what they ask.
      if (action.type !== 'button' || !action.value) return;
      const caller = callerFromAction(body);
      const reply = await core.handleAction(caller, action.value, `slack:${body.trigger_id}`);
      if (body.response_url) await respond(renderResponse(reply));
      // A button on the App Home tab comes without a response_url: answer in the app's messages.
      else await client.chat.postMessage({ channel: caller.userId, ...renderMessage(reply) });
      await home.refreshFor(caller);
    },
  );

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await home.opened(callerFromHome(body.team_id, event.user));
  });

  app.error(async (error) => {
    // Every listener acknowledges first, so Slack already has its answer: only the log can tell.
    log.error({ err: error }, 'a Slack request failed after it was acknowledged');
  });

  return {
    mode: socketMode ? 'socket' : 'http',
    ...(receiver ? { router: receiver.router as Router } : {}),
    async start() {
      if (!socketMode) return;
      try {
        await app.start();
        log.info('Slack bot connected in Socket Mode');
      } catch (error) {
        // The rest of the service (webhooks, alerts by other channels) is still of use without Slack.
        log.error({ err: error }, 'Slack Socket Mode could not connect; check SLACK_APP_TOKEN');
      }
    },
    async stop() {
      if (inFlight.size > 0) {
        await withDeadline(
          Promise.allSettled([...inFlight]),
          options.drainTimeoutMs ?? 10_000,
          'answering Slack requests',
        ).catch((error: unknown) => log.warn({ err: error }, 'stopped before every Slack request was answered'));
      }
      if (!socketMode) return;
      await app.stop().catch((error: unknown) => log.warn({ err: error }, 'Slack Socket Mode did not close cleanly'));
    },
    refreshHome: (tenantId) => home.refresh(tenantId),
  };
}
