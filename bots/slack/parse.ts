import type { BlockAction, SlashCommand } from '@slack/bolt';
import type { Caller } from '../../src/commands/ports/tenancy';

/**
 * Slack payloads → who is asking. The workspace is the Slack team id (what `/iex link` binds to a
 * tenant); the channel lets a channel binding win over the workspace's.
 */

export function callerFromCommand(
  command: Pick<SlashCommand, 'user_id' | 'team_id' | 'channel_id' | 'user_name'>,
): Caller {
  return {
    platform: 'slack',
    userId: command.user_id,
    workspaceId: command.team_id,
    ...(command.channel_id ? { channelId: command.channel_id } : {}),
    ...(command.user_name ? { displayName: command.user_name } : {}),
  };
}

export function callerFromAction(body: Pick<BlockAction, 'user' | 'team' | 'channel'>): Caller {
  const name = body.user.name ?? body.user.username;
  return {
    platform: 'slack',
    userId: body.user.id,
    // `team` is null for an org-wide install; the user's own team is then the workspace.
    workspaceId: body.team?.id ?? body.user.team_id ?? '',
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(name ? { displayName: name } : {}),
  };
}

/** The App Home belongs to no channel: the workspace's binding decides its tenant. */
export function callerFromHome(teamId: string, userId: string): Caller {
  return { platform: 'slack', userId, workspaceId: teamId };
}

/**
 * What identifies one delivery of a request, so a repeated delivery is recognised: the event id of
 * an Events API callback (Slack retries those, with X-Slack-Retry-Num), the trigger id of a slash
 * command or an interaction (Slack does not retry those, but a proxy or a double submit might).
 */
export function deliveryKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { event_id: eventId, trigger_id: triggerId } = body as { event_id?: unknown; trigger_id?: unknown };
  if (typeof eventId === 'string' && eventId) return `event:${eventId}`;
  if (typeof triggerId === 'string' && triggerId) return `trigger:${triggerId}`;
  return undefined;
}
