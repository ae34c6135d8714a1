import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isSignatureTimely } from '../../src/domain/signature-age';

/**
 * Discord signs every interaction it posts to the endpoint: Ed25519 over `X-Signature-Timestamp`
 * followed by the raw body, with the application's key pair. Node's crypto checks it; no library.
 */

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Older than this (or this far ahead of our clock), a signed request is taken for a replay. */

/** The application's Public Key as the Developer Portal shows it (64 hex characters) → a key object. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('a Discord public key is 64 hex characters (32 bytes)');
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
}

export type SignatureCheck = 'valid' | 'missing' | 'invalid' | 'stale';

/** Checks one request; anything but 'valid' means it must not run. */
export function checkDiscordSignature(input: {
  publicKey: KeyObject;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  now?: Date;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return 'missing';
  // A signature is 64 bytes; anything else (or not hex) is forged or garbled, not worth verifying.
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), input.rawBody]);
  if (!verify(null, signed, input.publicKey, Buffer.from(signature, 'hex'))) return 'invalid';
  // Checked after the signature, so a stale answer is only given to what Discord really signed.
  if (!isSignatureTimely(Number(timestamp), (input.now ?? new Date()).getTime())) return 'stale';
  return 'valid';
}
