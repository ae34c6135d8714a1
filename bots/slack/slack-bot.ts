import { App, ExpressReceiver, webApi, type BlockAction, type ButtonAction } from '@slack/bolt';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../../src/config/logger';
import type { CommandCore } from '../../src/commands/core';
import type { TenancyPort } from '../../src/commands/ports/tenancy';
import type { ChatDeliveries, HomeViewers } from '../../src/store';
import { withDeadline } from '../../src/domain/with-deadline';
import { createBoltLogger } from './bolt-logger';
import { createSlackDeliveries, type DeliveryDecision, type DeliveryRequest } from './deliveries';
import { createHomeTab } from './home-tab';
import { callerFromAction, callerFromCommand, callerFromHome } from './parse';
import { ACTION_ID_PREFIX, renderMessage, renderResponse } from './render';
import { malformedSlackRequest, slackTimestampProblem } from './request-shape';

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
  /** Which deliveries were handled, shared by every instance (a repeat acts once wherever it lands). */
  deliveries: ChatDeliveries;
  /** Who opened the App Home, shared by every instance. */
  homeViewers: Pick<HomeViewers, 'remember' | 'list'>;
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

/** What the receiver asks of the bot for each request Bolt verified and we found well formed. */
type DeliveryHandler = (request: DeliveryRequest, res: Response, dispatch: () => Promise<void>) => Promise<void>;

/**
 * Bolt's Express receiver with steps of ours around its own:
 * - before it, a request dated more than five minutes ahead of our clock is refused with 401 (Bolt
 *   refuses only old ones, so a request signed for next year would be replayable until then);
 * - between its signature check (which answers 401) and its dispatch, a signed body Bolt cannot
 *   handle is answered 400, not crashed on, and the delivery is checked against the ones handled
 *   by any instance (a repeat is acknowledged, or for an event still in hand answered 503).
 * Bolt offers no hook at those points (processEventErrorHandler only sees a crash, after the fact,
 * and a slash command without text would be acknowledged 200 before anything failed): the first
 * step is a route registered on the router before Bolt registers its own, and for the others the
 * receiver binds `requestHandler` in its constructor, so overriding it here is what Bolt calls.
 */
class GuardedExpressReceiver extends ExpressReceiver {
  constructor(
    options: ConstructorParameters<typeof ExpressReceiver>[0],
    private readonly guards: {
      onRefused(problem: string, status: 400 | 401): void;
      handleDelivery: DeliveryHandler;
    },
  ) {
    const router = express.Router();
    router.post('/', (req: Request, res: Response, next: NextFunction) => {
      const problem = slackTimestampProblem(req.headers['x-slack-request-timestamp']);
      if (problem !== 'in the future') return next();
      guards.onRefused(`the request timestamp is ${problem}`, 401);
      res.status(401).send();
    });
    super({ ...options, router });
  }

  override async requestHandler(req: Request, res: Response): Promise<void> {
    const problem = malformedSlackRequest(req.body);
    if (problem) {
      this.guards.onRefused(problem, 400);
      res.status(400).json({ error: 'bad_request', message: `not a Slack request this app handles: ${problem}` });
      return;
    }
    const retryNum = Number.parseInt(String(req.headers['x-slack-retry-num'] ?? ''), 10);
    const retryReason = req.headers['x-slack-retry-reason'];
    await this.guards.handleDelivery(
      {
        body: req.body,
        ...(Number.isNaN(retryNum) ? {} : { retryNum }),
        ...(typeof retryReason === 'string' ? { retryReason } : {}),
      },
      res,
      () => super.requestHandler(req, res),
    );
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

  const deliveries = createSlackDeliveries({ deliveries: options.deliveries, logger: log });
  const inFlight = new Set<Promise<void>>();
  /** Runs a delivery this instance handles, so that stop() can wait for it. */
  const track = async (decision: Extract<DeliveryDecision, { kind: 'handle' }>, work: () => Promise<void>) => {
    const running = decision.hold(work);
    inFlight.add(running);
    try {
      await running;
    } finally {
      inFlight.delete(running);
    }
  };

  const socketMode = Boolean(options.appToken);
  let receiver: ExpressReceiver | undefined;
  if (!socketMode) {
    if (!options.signingSecret) throw new Error('the Slack bot needs a signing secret to take requests over HTTP');
    receiver = new GuardedExpressReceiver(
      {
        signingSecret: options.signingSecret,
        // The router is mounted at SLACK_EVENTS_PATH by the service; here it answers its own root.
        endpoints: '/',
        logger: boltLogger,
        // false: ack() writes the HTTP response at once and the work goes on after it. True would hold
        // the response until the listener finished, which is for FaaS hosts, not a server.
        processBeforeResponse: false,
      },
      {
        onRefused: (problem, status) =>
          log.warn(
            { problem, status },
            status === 401
              ? 'refused a Slack request dated in the future'
              : 'refused a signed Slack request with a malformed body',
          ),
        handleDelivery: async (request, res, dispatch) => {
          const decision = await deliveries.decide(request);
          if (decision.kind === 'ignore') {
            res.status(200).send();
            return;
          }
          if (decision.kind === 'retry-later') {
            res.status(503).json({ error: 'retry_later', message: 'this delivery is still being handled' });
            return;
          }
          await track(decision, dispatch);
        },
      },
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
    viewers: options.homeViewers,
    logger: log,
    publish: async (userId, view) => {
      await client.views.publish({ user_id: userId, view });
    },
  });

  if (socketMode) {
    // Over a socket there is no HTTP answer to refuse with: a repeat is acknowledged and dropped,
    // and one still in another instance's hands is dropped as well (its owner acknowledged it).
    app.use(async (args) => {
      const decision = await deliveries.decide({
        body: args.body,
        retryNum: args.context.retryNum,
        retryReason: args.context.retryReason,
      });
      if (decision.kind !== 'handle') {
        if ('ack' in args && typeof args.ack === 'function') await args.ack();
        return;
      }
      await track(decision, () => args.next());
    });
  }

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
