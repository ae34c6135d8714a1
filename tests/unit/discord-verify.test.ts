import { checkDiscordSignature, discordPublicKey } from '../../bots/discord/verify';
import { MAX_SIGNATURE_AGE_SECONDS } from '../../src/domain/signature-age';
import { discordHeaders, discordKeys } from '../support/discord';

describe('the Discord interaction signature check', () => {
  const keys = discordKeys();
  const publicKey = discordPublicKey(keys.publicKeyHex);
  const body = JSON.stringify({ type: 1, id: '1', application_id: '2', token: 't', version: 1 });
  const now = new Date('2026-03-02T10:00:00Z');
  const at = (date: Date) => String(Math.floor(date.getTime() / 1000));

  function check(headers: Record<string, string>, rawBody = body, when = now) {
    return checkDiscordSignature({
      publicKey,
      signature: headers['x-signature-ed25519'],
      timestamp: headers['x-signature-timestamp'],
      rawBody: Buffer.from(rawBody),
      now: when,
    });
  }

  it('accepts a request signed as Discord signs it: Ed25519 over timestamp + raw body', () => {
    expect(check(discordHeaders(keys.privateKey, body, at(now)))).toBe('valid');
  });

  it('refuses a signature by another key, over another body, or over another timestamp', () => {
    const other = discordKeys();
    expect(check(discordHeaders(other.privateKey, body, at(now)))).toBe('invalid');
    const signed = discordHeaders(keys.privateKey, body, at(now));
    expect(check(signed, body.replace('"t"', '"u"'))).toBe('invalid');
    expect(check({ ...signed, 'x-signature-timestamp': String(Number(at(now)) - 1) })).toBe('invalid');
  });

  it('refuses a missing or garbled signature without throwing', () => {
    const signed = discordHeaders(keys.privateKey, body, at(now));
    expect(check({ 'x-signature-timestamp': at(now) })).toBe('missing');
    expect(check({ 'x-signature-ed25519': signed['x-signature-ed25519']! })).toBe('missing');
    expect(check({ ...signed, 'x-signature-ed25519': 'zz' })).toBe('invalid');
    expect(check({ ...signed, 'x-signature-ed25519': signed['x-signature-ed25519']!.slice(2) })).toBe('invalid');
    expect(check({ ...signed, 'x-signature-timestamp': 'yesterday' })).toBe('invalid');
  });

  it('refuses a genuine signature that is too old (a replay) or too far ahead', () => {
    const old = new Date(now.getTime() - (MAX_SIGNATURE_AGE_SECONDS + 1) * 1000);
    expect(check(discordHeaders(keys.privateKey, body, at(old)))).toBe('stale');
    const ahead = new Date(now.getTime() + (MAX_SIGNATURE_AGE_SECONDS + 1) * 1000);
    expect(check(discordHeaders(keys.privateKey, body, at(ahead)))).toBe('stale');
    const recent = new Date(now.getTime() - (MAX_SIGNATURE_AGE_SECONDS - 5) * 1000);
    expect(check(discordHeaders(keys.privateKey, body, at(recent)))).toBe('valid');
  });

  it('refuses a malformed public key when it is loaded, not on the first request', () => {
    expect(() => discordPublicKey('abc')).toThrow('a Discord public key is 64 hex characters (32 bytes)');
    expect(() => discordPublicKey('g'.repeat(64))).toThrow('64 hex characters');
    expect(() => discordPublicKey(`${keys.publicKeyHex}00`)).toThrow('64 hex characters');
    expect(discordPublicKey(keys.publicKeyHex.toUpperCase()).asymmetricKeyType).toBe('ed25519');
  });
});
