import type { MODULE_OF } from '../../domain/holds';
import type { Platform, Role } from '../../domain/closed-lists';
import type { Language } from '../../i18n';
import type { Caller } from './tenancy';

/** orders, products, stock: each can be switched off on its own (e.g. while testing). */
export type Module = (typeof MODULE_OF)[keyof typeof MODULE_OF];

export interface MemberView {
  platform: Platform;
  userId: string;
  role: Role;
}

/** A binding of the tenant to a workspace (or one channel of it) that the bot is no longer in. */
export interface GoneBindingView {
  platform: Platform;
  workspaceId: string;
  /** Set when only this channel was bound. */
  channelId?: string;
  goneAt: Date;
}

/** The dashboard's Settings: the whole integration and its modules on or off, and who manages it. */
export interface SettingsView {
  tenantName: string;
  active: boolean;
  modules: Record<Module, boolean>;
  /** Owners first, then admins, then viewers. */
  members: MemberView[];
  /** Transfers held because the integration or a module is off. */
  held: { integrationOff: number; moduleOff: number };
  /** Workspaces the bot was removed from: nothing is sent there until they are linked again. */
  gone: GoneBindingView[];
  /** The tenant's time zone, for dates. */
  timezone: string;
  /** The tenant's language: its alerts and mails, and answers where the person's own is unknown. */
  language: Language;
}

export type InviteOutcome =
  | { outcome: 'added' }
  | { outcome: 'changed'; previous: Role }
  | { outcome: 'unchanged' }
  /** An owner keeps their role: invite cannot demote them. */
  | { outcome: 'is_owner' };

export interface SettingsPort {
  get(tenantId: string): Promise<SettingsView>;
  /** Switches the whole integration; false when it already was so. */
  setActive(tenantId: string, active: boolean): Promise<boolean>;
  /** Switches one module; false when it already was so. */
  setModule(tenantId: string, module: Module, on: boolean): Promise<boolean>;
  /** Sets the tenant's language; the one it had, or undefined when it already was `language`. */
  setLanguage(tenantId: string, language: Language): Promise<Language | undefined>;
  /**
   * Sends again every transfer held because something was switched off (integration, module,
   * system, connection) that nothing holds any more; how many. Quota holds stay: a top-up
   * releases those.
   */
  releaseHeld(tenantId: string, caller: Caller): Promise<number>;
  /** Makes a chat user a member with a role, or changes a member's role. */
  invite(
    tenantId: string,
    member: { platform: MemberView['platform']; userId: string; teamId?: string; role: 'admin' | 'viewer' },
  ): Promise<InviteOutcome>;
  /** 'last_owner' when removing them would leave the integration without an owner. */
  removeMember(
    tenantId: string,
    platform: MemberView['platform'],
    userId: string,
  ): Promise<'removed' | 'not_member' | 'last_owner'>;
}
