import type { Platform, Role } from '../../domain/closed-lists';

/** A chat platform's name, or 'console' for the terminal. */
export type ChatPlatform = Platform | 'console';

/** Who is asking, as the platform adapter saw it. */
export interface Caller {
  platform: ChatPlatform;
  userId: string;
  /** Slack team id, Discord guild id; 'console' for the terminal. */
  workspaceId: string;
  channelId?: string;
  /** The platform says this user administers the workspace (Discord: Manage Server). */
  platformAdmin?: boolean;
  /** The platform's display name, for replies and the audit trail. */
  displayName?: string;
  /**
   * The person's locale where the platform says it (Discord's interaction `locale`, Slack's user
   * locale): their replies come in its language, else in the tenant's.
   */
  locale?: string;
}

/** What `/iex link` did: the tenant it linked to, and who owns that tenant now (perhaps the caller). */
export interface LinkOutcome {
  tenantId: string;
  tenantName: string;
  owner?: { platform: string; userId: string };
}

/** Which tenant a workspace or channel is bound to, and what role a caller has in it. */
export interface TenancyPort {
  /** A channel binding wins over the workspace's binding. */
  resolveTenant(caller: Caller): Promise<string | undefined>;
  roleOf(tenantId: string, caller: Caller): Promise<Role>;
  /** The tenant's language (`/iex settings language`): its mails, and replies where the person's is unknown. */
  languageOf(tenantId: string): Promise<string | undefined>;
  /**
   * Uses a one-time link code: binds the caller's workspace (or only its channel) to the code's
   * tenant, and makes the caller the owner when the tenant has none yet.
   */
  link(code: string, caller: Caller, scope: 'workspace' | 'channel'): Promise<LinkOutcome | 'invalid'>;
}
