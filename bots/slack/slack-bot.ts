import { App, ExpressReceiver, webApi, type BlockAction, type ButtonAction } from '@slack/bolt';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../../src/config/logger';
import type { CommandCore } from '../../src/commands/core';
import type { Caller, TenancyPort } from '../../src/commands/ports/tenancy';
import type { ChatDeliveries, HomeViewers } from '../../src/store';
import { withDeadline } from '../../src/domain/with-deadline';
import { createBoltLogger } from './bolt-logger';
import { createSlackDeliveries, type DeliveryDecision, type DeliveryRequest } from './deliveries';
import { createHomeTab } from './home-tab';
import { createUserLocales } from './user-locales';
import { callerFromAction, callerFromCommand, callerFromHome } from './parse';
import { oauthCallbackOptions, SLACK_BOT_SCOPES } from './oauth-pages';
import { uploadPictures } from './pictures';
import { ACTION_ID_PREFIX, renderMessage, renderResponse } from './render';
import { malformedSlackRequest, slackTimestampProblem } from './request-shape';
import { singleWorkspaceTokens, type WorkspaceRef, type WorkspaceTokens } from './workspace-tokens';

export const SLASH_COMMAND = '/iex';
/** Where the bot's router is mounted; every path below is under it. */
export const SLACK_PATH = '/slack';
/** Where Slack posts slash commands, interactions and events (the manifest's request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Distributed: the page with the "Add to Slack" link. */
export const SLACK_INSTALL_PATH = '/slack/install';
/** Distributed: where Slack sends the installer back with a code (the manifest's redirect URL). */
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';
const below = (path: string) => path.slice(SLACK_PATH.length);

/** The app distributed with OAuth v2: each workspace installs it and has a token of its own. */
export interface SlackDistribution {
  clientId: string;
  clientSecret: string;
  /** Signs the state parameter of the OAuth flow. */
  stateSecret: string;
  /** The installations (distributed WorkspaceTokens), read by Bolt's authorize and by the Home tab. */
  tokens: WorkspaceTokens;
  /** PUBLIC_URL + SLACK_OAUTH_REDIRECT_PATH; without it Slack uses the app's one configured redirect URL. */
  redirectUri?: string;
}

export interface SlackBotOptions {
  /** Verifies every request over HTTP; not needed in Socket Mode. */
  signingSecret?: string;
  /** One workspace: its bot token (SLACK_BOT_TOKEN). Not used when `distribution` is given. */
  botToken?: string;
  /** Distributed: install routes, and each workspace's own token (over HTTP only). */
  distribution?: SlackDistribution;
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
  /** Over HTTP: mount on the service's HTTP app at SLACK_PATH (events, and when distributed the install routes). */
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
    router.post(below(SLACK_EVENTS_PATH), (req: Request, res: Response, next: NextFunction) => {
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
  const { core, logger, distribution } = options;
  const log = logger.child({ component: 'slack' });
  const { botToken } = options;
  if (!distribution && !botToken) throw new Error('the Slack bot needs a bot token, or the settings to be distributed');
  const tokens = distribution?.tokens ?? singleWorkspaceTokens(botToken!);
  const boltLogger = createBoltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: options.apiUrl,
    logger: boltLogger,
    // A dashboard published half an hour late is no use: give up after a few minutes.
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
  };
  // No token of its own: each call names the token of the workspace it goes to.
  const client = new webApi.WebClient(undefined, clientOptions);

  const deliveries = createSlackDeliveries({ deliveries: options.deliveries, logger: log });
  const userLocales = createUserLocales({ apiUrl: options.apiUrl, logger: log });
  /** The caller with their Slack locale, asked with the workspace's token (Bolt's, or looked up). */
  const withLocale = async (caller: Caller, token?: string): Promise<Caller> => {
    const botToken = token ?? (await tokens.tokenFor({ teamId: caller.workspaceId }).catch(() => undefined));
    const locale = await userLocales.localeOf(caller.workspaceId, caller.userId, botToken);
    return locale ? { ...caller, locale } : caller;
  };
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
  if (socketMode && distribution)
    throw new Error('a distributed Slack app takes its requests over HTTP, not Socket Mode');
  let receiver: ExpressReceiver | undefined;
  if (!socketMode) {
    if (!options.signingSecret) throw new Error('the Slack bot needs a signing secret to take requests over HTTP');
    receiver = new GuardedExpressReceiver(
      {
        signingSecret: options.signingSecret,
        // The router is mounted at SLACK_PATH by the service; its paths are below that.
        endpoints: below(SLACK_EVENTS_PATH),
        logger: boltLogger,
        // Distributed: Bolt's own OAuth (InstallProvider) with our installation store; its install
        // and redirect routes sit on this router, so at SLACK_INSTALL_PATH and SLACK_OAUTH_REDIRECT_PATH.
        ...(distribution
          ? {
              clientId: distribution.clientId,
              clientSecret: distribution.clientSecret,
              stateSecret: distribution.stateSecret,
              scopes: [...SLACK_BOT_SCOPES],
              ...(distribution.redirectUri ? { redirectUri: distribution.redirectUri } : {}),
              ...(distribution.tokens.installationStore
                ? { installationStore: distribution.tokens.installationStore }
                : {}),
              installerOptions: {
                installPath: below(SLACK_INSTALL_PATH),
                redirectUriPath: below(SLACK_OAUTH_REDIRECT_PATH),
                callbackOptions: oauthCallbackOptions(log),
                clientOptions: { slackApiUrl: options.apiUrl },
              },
            }
          : {}),
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
    // Distributed, Bolt's authorize is its installer's: our installation store, by workspace.
    // One workspace: its bot token. Bolt's default with `token` calls auth.test at construction (a
    // rejection nobody awaits when Slack is unreachable) or before every request; we need neither.
    ...(distribution ? {} : { authorize: async () => ({ botToken: botToken! }) }),
    logger: boltLogger,
    clientOptions,
  });

  const home = createHomeTab({
    core,
    withLocale: (caller) => withLocale(caller),
    tenancy: options.tenancy,
    viewers: options.homeViewers,
    logger: log,
    publish: async ({ workspaceId, userId }, view) => {
      const token = await tokens.tokenFor({ teamId: workspaceId });
      // Uninstalled since the person opened the tab: nobody there can see it any more.
      if (!token) return;
      await client.views.publish({ token, user_id: userId, view });
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

  app.command(SLASH_COMMAND, async ({ command, ack, respond, context, client: workspaceClient }) => {
    await ack();
    const caller = await withLocale(callerFromCommand(command), context.botToken);
    const reply = await core.handleCommand(caller, command.text, `slack:${command.trigger_id}`);
    await respond(renderResponse(reply));
    await uploadPictures(workspaceClient, reply, { channelId: command.channel_id, userId: caller.userId }, log);
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX}`) },
    async ({ ack, body, action, respond, client: workspaceClient, context }) => {
      await ack();
      // Slack reports clicks on link buttons too; the browser already did what they ask.
      if (action.type !== 'button' || !action.value) return;
      const caller = await withLocale(callerFromAction(body), context.botToken);
      const reply = await core.handleAction(caller, action.value, `slack:${body.trigger_id}`);
      if (body.response_url) await respond(renderResponse(reply));
      // A button on the App Home tab comes without a response_url: answer in the app's messages.
      else await workspaceClient.chat.postMessage({ channel: caller.userId, ...renderMessage(reply) });
      await uploadPictures(
        workspaceClient,
        reply,
        { channelId: caller.channelId ?? caller.userId, userId: caller.userId },
        log,
      );
      await home.refreshFor(caller);
    },
  );

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await home.opened(callerFromHome(body.team_id, event.user));
  });

  /** Slack no longer lets the app into a workspace: one line, and nothing more is sent there. */
  const gone = async (
    why: 'uninstalled' | 'revoked',
    body: { team_id?: string; enterprise_id?: string; authorizations?: Array<{ is_enterprise_install?: boolean }> },
  ) => {
    const workspace: WorkspaceRef = {
      teamId: body.team_id,
      enterpriseId: body.enterprise_id,
      isEnterpriseInstall: body.authorizations?.[0]?.is_enterprise_install === true,
    };
    const removed = await tokens.uninstalled(workspace);
    log.info(
      { teamId: workspace.teamId, enterpriseId: workspace.enterpriseId, removed },
      tokens.distributed
        ? `the Slack app was ${why === 'uninstalled' ? 'uninstalled from' : 'refused its token by'} a workspace: its installation is removed and nothing more is sent there`
        : `the Slack app was ${why === 'uninstalled' ? 'uninstalled from' : 'refused its token by'} its workspace: SLACK_BOT_TOKEN no longer works there`,
    );
  };
  app.event('app_uninstalled', async ({ body }) => gone('uninstalled', body));
  app.event('tokens_revoked', async ({ event, body }) => {
    // A user's token revoked leaves the bot's working; only the bot's matters here.
    if ((event.tokens.bot ?? []).length > 0) await gone('revoked', body);
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
