import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { InteractionType } from 'discord.js';
import type { FakeDiscordApi, RecordedDiscordCall } from '../fakes/discord-api';
import { waitFor } from './wait-for';

/** The `locale` a test interaction carries (the member's Discord client language) unless the test sets another. */
export const DEFAULT_DISCORD_LOCALE = 'en-US';

/**
 * A key pair for the test, as Discord holds one for an application: the public key goes into
 * DISCORD_PUBLIC_KEY (hex, 32 bytes), and requests are signed with the private key exactly as
 * Discord signs interactions: Ed25519 over `timestamp + raw body`.
 */
export function discordKeys(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  // The last 32 bytes of the SPKI encoding are the raw key Discord shows as hex.
  return { publicKeyHex: der.subarray(der.length - 32).toString('hex'), privateKey };
}

export function discordHeaders(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
}

export interface CommandInteractionOptions {
  applicationId: string;
  guildId: string;
  channelId: string;
  userId: string;
  username?: string;
  /** The member's Discord client language. */
  locale?: string;
  subcommand: string;
  options?: unknown[];
}

/** `/iex <subcommand>` as Discord sends it for a member of a server: an application-command interaction. */
export function commandInteraction(o: CommandInteractionOptions): Record<string, unknown> & { token: string } {
  return {
    id: String(1_400_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
    application_id: o.applicationId,
    type: InteractionType.ApplicationCommand,
    token: `tok-${randomBytes(12).toString('hex')}`,
    version: 1,
    guild_id: o.guildId,
    channel_id: o.channelId,
    channel: { id: o.channelId, type: 0 },
    app_permissions: '0',
    locale: o.locale ?? DEFAULT_DISCORD_LOCALE,
    guild_locale: DEFAULT_DISCORD_LOCALE,
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    member: {
      user: {
        id: o.userId,
        username: o.username ?? `user${o.userId.slice(-2)}`,
        global_name: null,
        discriminator: '0',
        avatar: null,
      },
      roles: [],
      permissions: '0',
      nick: null,
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    data: { id: '1', name: 'iex', type: 1, options: [{ name: o.subcommand, type: 1, options: o.options ?? [] }] },
  };
}

/** The edit of an interaction's deferred @original: where the service's answer lands. */
export const originalEdit = (discord: FakeDiscordApi, applicationId: string, token: string) =>
  waitFor(`the answer to interaction ${token}`, () =>
    discord.callsTo('PATCH', new RegExp(`^/webhooks/${applicationId}/${token}/messages/(@|%40)original$`)).at(-1),
  );

/** POSTs a signed interaction to the service's endpoint and returns its answer (the edit of @original). */
export async function runDiscordInteraction(o: {
  appUrl: string;
  privateKey: KeyObject;
  discord: FakeDiscordApi;
  interaction: Record<string, unknown> & { token: string; application_id?: unknown };
}): Promise<RecordedDiscordCall> {
  const raw = JSON.stringify(o.interaction);
  const response = await fetch(`${o.appUrl}/discord/interactions`, {
    method: 'POST',
    headers: discordHeaders(o.privateKey, raw),
    body: raw,
  });
  if (response.status !== 200) throw new Error(`the interaction was answered ${response.status}, not 200`);
  return originalEdit(o.discord, String(o.interaction.application_id), o.interaction.token);
}
