import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

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
