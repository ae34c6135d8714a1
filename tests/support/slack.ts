import { createHmac } from 'node:crypto';

/**
 * Signs a request body exactly as Slack does: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`
 * with the app's signing secret, in X-Slack-Signature, with X-Slack-Request-Timestamp.
 */
export function slackHeaders(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
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
    trigger_id: fields.triggerId ?? `${Date.now()}.trigger`,
  }).toString();
}

/** The form body of an interaction (e.g. block_actions), as Slack posts it: payload=<json>. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
