import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
} from 'discord.js';
import type { Caller } from '../../src/commands/ports/tenancy';

/**
 * Discord interactions → who is asking and what. The workspace is the guild (what `/iex link`
 * binds to a tenant); the channel lets a channel binding win over the guild's. The same parser
 * serves both ways in, since both deliver the API's own interaction object.
 */

/** Members with either permission administer the server: they act as admins of its tenant. */
const ADMIN_PERMISSIONS = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator;

export interface CallerOptions {
  /** DISCORD_ADMIN_ROLE_ID: members holding it act as admins too. */
  adminRoleId?: string;
}

/** The caller of a guild interaction; undefined in a DM, which belongs to no server and so to no tenant. */
export function callerFromInteraction(interaction: APIInteraction, options: CallerOptions = {}): Caller | undefined {
  const { member, guild_id: guildId } = interaction;
  if (!guildId || !member) return undefined;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  const displayName = member.nick ?? member.user.global_name ?? member.user.username;
  // The language the member set in their Discord client; every command and component interaction carries it.
  const locale = 'locale' in interaction && typeof interaction.locale === 'string' ? interaction.locale : undefined;
  return {
    platform: 'discord',
    userId: member.user.id,
    workspaceId: guildId,
    ...(channelId ? { channelId } : {}),
    platformAdmin: isServerAdmin(member.permissions, member.roles, options.adminRoleId),
    ...(displayName ? { displayName } : {}),
    ...(locale ? { locale } : {}),
  };
}

/** `permissions` is the member's computed permission bit set in the channel, as a decimal string. */
export function isServerAdmin(permissions: string, roles: readonly string[], adminRoleId?: string): boolean {
  if (adminRoleId && roles.includes(adminRoleId)) return true;
  try {
    return (BigInt(permissions) & ADMIN_PERMISSIONS) !== 0n;
  } catch {
    // Not a number: Discord sent something we do not understand, so it grants nothing.
    return false;
  }
}

export type DataOption = APIApplicationCommandInteractionDataOption;

/**
 * `/iex <subcommand> options…` (or `/iex <group> <subcommand> …`): the subcommand's name, with a
 * group's name before it, and the options given to it.
 */
export function subcommandOf(options: readonly DataOption[] | undefined): {
  path: string[];
  options: DataOption[];
} {
  const path: string[] = [];
  let current = options ?? [];
  for (;;) {
    const nested = current.find(
      (option) =>
        option.type === ApplicationCommandOptionType.Subcommand ||
        option.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (!nested) return { path, options: [...current] };
    path.push(nested.name);
    // Discord leaves `options` out of a subcommand given none.
    current = ('options' in nested ? nested.options : undefined) ?? [];
  }
}

/** While someone types: the option they are typing in, and what they typed so far. */
export function focusedOption(options: readonly DataOption[] | undefined): { name: string; value: string } | undefined {
  const { options: given } = subcommandOf(options);
  const focused = given.find((option) => 'focused' in option && option.focused);
  if (!focused || !('value' in focused)) return undefined;
  return { name: focused.name, value: String(focused.value) };
}
