import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets kept at rest (a Slack workspace's bot token) are sealed with AES-256-GCM: a random
 * 12-byte IV per seal, the 16-byte authentication tag checked on opening, and the document's id
 * as additional authenticated data, so a sealed token copied into another workspace's document
 * does not open there.
 */

export const ENCRYPTION_KEY_BYTES = 32;

/** A sealed secret as the store keeps it, each part base64. */
export interface SealedSecret {
  iv: string;
  tag: string;
  data: string;
}

export interface TokenCipher {
  seal(plain: string, boundTo: string): SealedSecret;
  /** Throws when the key is not the one that sealed it, or any part was altered. */
  open(sealed: SealedSecret, boundTo: string): string;
}

/**
 * Reads a 32-byte key written as 64 hex characters or as base64 (44 characters with padding, or
 * base64url), or says what is wrong with it.
 */
export function parseEncryptionKey(text: string): { key: Buffer } | { problem: string } {
  const trimmed = text.trim();
  const key =
    /^[0-9a-f]+$/i.test(trimmed) && trimmed.length % 2 === 0
      ? Buffer.from(trimmed, 'hex')
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
        ? Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64')
        : undefined;
  if (!key) return { problem: 'must be 32 bytes written as 64 hex characters or as base64' };
  if (key.length !== ENCRYPTION_KEY_BYTES) {
    return {
      problem: `must be 32 bytes (64 hex characters or 44 base64 characters); this one is ${key.length} bytes. Make one with: openssl rand -base64 32`,
    };
  }
  return { key };
}

export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== ENCRYPTION_KEY_BYTES) throw new Error('the token cipher needs a 32-byte key');
  return {
    seal(plain, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(boundTo, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    },
    open(sealed, boundTo) {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), {
        // Without it Node takes a shortened tag, which is easier to forge.
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
