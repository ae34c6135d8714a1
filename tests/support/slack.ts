import { createHmac, randomBytes } from 'node:crypto';
import type { FakeSlackApi, RecordedCall } from '../fakes/slack-api';
import { waitFor } from './wait-for';

/**
 * Signs a request body exactly as Slack does: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`
 * with the app's signing secret, in X-Slack-Signature, with X-Slack-Request-Timestamp.
 */
export function slackHeaders(
  signingSecret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'x-slack-signature': signature,
    'x-slack-request-timestamp': String(timestamp),
  };
}

/** The form body of a slash command, as Slack posts it. */
export function slashCommandBody(fields: {
  text: string;
  teamId: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  triggerId?: string;
  userName?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId,
    team_domain: 'acme',
    channel_id: fields.channelId,
    channel_name: 'integration',
    user_id: fields.userId,
    user_name: fields.userName ?? 'ada',
    command: '/iex',
    text: fields.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? triggerId(),
  }).toString();
}

/** A trigger id as Slack makes one: unique per command or click (the bot recognises repeats by it). */
export function triggerId(): string {
  return `${Date.now()}.${randomBytes(6).toString('hex')}`;
}

/** The form body of an interaction (e.g. block_actions), as Slack posts it: payload=<json>. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A button from a message the bot sent, as the test found it in a recorded call. */
export interface SentButton {
  action_id: string;
  value?: string;
  text: { text: string };
}

/**
 * The block_actions payload of a click on `button`, as Slack sends it: from a message (with a
 * response_url) or, with `homeViewId`, from the App Home tab (no response_url, no channel).
 */
export function buttonClickPayload(fields: {
  button: SentButton;
  teamId: string;
  userId: string;
  userName?: string;
  channelId?: string;
  responseUrl?: string;
  homeViewId?: string;
  triggerId?: string;
}): Record<string, unknown> {
  const user = {
    id: fields.userId,
    username: fields.userName ?? 'ada',
    name: fields.userName ?? 'ada',
    team_id: fields.teamId,
  };
  const container = fields.homeViewId
    ? { type: 'view', view_id: fields.homeViewId }
    : { type: 'message', message_ts: '1700000000.000100', channel_id: fields.channelId ?? 'C1', is_ephemeral: true };
  return {
    type: 'block_actions',
    user,
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    container,
    trigger_id: fields.triggerId ?? triggerId(),
    team: { id: fields.teamId, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    ...(fields.homeViewId
      ? { view: { id: fields.homeViewId, type: 'home', team_id: fields.teamId, blocks: [] } }
      : { channel: { id: fields.channelId ?? 'C1', name: 'integration' }, response_url: fields.responseUrl }),
    actions: [
      {
        type: 'button',
        block_id: 'b1',
        action_id: fields.button.action_id,
        text: { type: 'plain_text', text: fields.button.text.text, emoji: true },
        ...(fields.button.value !== undefined ? { value: fields.button.value } : {}),
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** The JSON body of an Events API delivery (event_callback), as Slack posts it. */
export function eventCallbackBody(fields: { teamId: string; eventId: string; event: Record<string, unknown> }): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: fields.teamId,
    api_app_id: 'A1',
    event: fields.event,
    type: 'event_callback',
    event_id: fields.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: fields.teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/** Someone opened the bot's App Home on its Home tab. */
export function appHomeOpenedEvent(userId: string): Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D${userId}`,
    tab: 'home',
    event_ts: `${Date.now() / 1000}`,
  };
}

/**
 * Runs `/iex <text>` as a Slack user against the service at `appUrl`, signed as Slack signs it,
 * and waits for the answer at the command's own response_url on the fake Slack API.
 */
export async function runSlashCommand(options: {
  appUrl: string;
  signingSecret: string;
  slack: FakeSlackApi;
  text: string;
  teamId: string;
  userId: string;
  channelId?: string;
}): Promise<{ name: string; answer: RecordedCall }> {
  const name = `cmd-${randomBytes(4).toString('hex')}`;
  const body = slashCommandBody({
    text: options.text,
    teamId: options.teamId,
    userId: options.userId,
    channelId: options.channelId ?? 'C1',
    responseUrl: options.slack.responseUrl(name),
  });
  const response = await fetch(`${options.appUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackHeaders(options.signingSecret, body) },
    body,
  });
  if (response.status !== 200) throw new Error(`/iex ${options.text} was answered ${response.status}`);
  const answer = await waitFor(
    `the answer to /iex ${options.text}`,
    () => options.slack.callsTo(`response_url:${name}`)[0],
  );
  return { name, answer };
}
