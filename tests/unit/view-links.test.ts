import { createViewLinks, signView, verifyViewLink } from '../../src/domain/view-links';

const SECRET = 'a-link-secret-of-at-least-32-characters!';
const NOW = new Date('2026-11-27T12:00:00Z');
const DAY = 24 * 60 * 60_000;

/** The path and the query of a link, as the view routes read them. */
function parse(link: string) {
  const url = new URL(link);
  return { url, query: Object.fromEntries(url.searchParams) as { exp?: string; sig?: string } };
}

describe('signed view links', () => {
  const links = createViewLinks({
    baseUrl: 'https://chatops.example.com/',
    secret: SECRET,
    ttlMs: 30 * DAY,
    now: () => NOW,
  });

  it('makes absolute links with an expiry in unix seconds and a base64url HMAC', () => {
    const { url, query } = parse(links.transfer('acme', 'order-1012'));
    expect(url.origin + url.pathname).toBe('https://chatops.example.com/view/transfer/acme/order-1012');
    expect(Number(query.exp)).toBe(Math.floor((NOW.getTime() + 30 * DAY) / 1000));
    expect(query.sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parse(links.subscription('acme')).url.pathname).toBe('/view/subscription/acme');
  });

  it('reads the base URL when it makes a link, for a server that learns its port when it listens', () => {
    let port = 0;
    const late = createViewLinks({
      baseUrl: () => `http://127.0.0.1:${port}`,
      secret: SECRET,
      ttlMs: DAY,
      now: () => NOW,
    });
    port = 4321;
    expect(parse(late.subscription('acme')).url.origin).toBe('http://127.0.0.1:4321');
  });

  it('encodes ids that are not path-safe', () => {
    expect(parse(links.transfer('acme', 'order/1 2?x')).url.pathname).toBe('/view/transfer/acme/order%2F1%202%3Fx');
  });

  it('accepts its own links until they expire', () => {
    const { query } = parse(links.transfer('acme', 'order-1012'));
    const target = { kind: 'transfer', tenantId: 'acme', transferId: 'order-1012' } as const;
    expect(verifyViewLink(target, query, SECRET, NOW)).toBe('ok');
    expect(verifyViewLink(target, query, SECRET, new Date(NOW.getTime() + 30 * DAY - 1000))).toBe('ok');
    expect(verifyViewLink(target, query, SECRET, new Date(NOW.getTime() + 30 * DAY))).toBe('expired');
    const sub = parse(links.subscription('acme')).query;
    expect(verifyViewLink({ kind: 'subscription', tenantId: 'acme' }, sub, SECRET, NOW)).toBe('ok');
  });

  it('refuses a link for anything else than it was made for', () => {
    const { query } = parse(links.transfer('acme', 'order-1012'));
    const check = (target: Parameters<typeof verifyViewLink>[0], q = query, secret = SECRET) =>
      verifyViewLink(target, q, secret, NOW);
    expect(check({ kind: 'transfer', tenantId: 'other', transferId: 'order-1012' })).toBe('mismatch');
    expect(check({ kind: 'transfer', tenantId: 'acme', transferId: 'order-1013' })).toBe('mismatch');
    expect(check({ kind: 'subscription', tenantId: 'acme' })).toBe('mismatch');
    expect(check({ kind: 'transfer', tenantId: 'acme', transferId: 'order-1012' }, query, `${SECRET}x`)).toBe(
      'mismatch',
    );
  });

  it('refuses a changed expiry or signature, and a link without them', () => {
    const target = { kind: 'transfer', tenantId: 'acme', transferId: 'order-1012' } as const;
    const { query } = parse(links.transfer('acme', 'order-1012'));
    const later = String(Number(query.exp) + 3600);
    expect(verifyViewLink(target, { ...query, exp: later }, SECRET, NOW)).toBe('mismatch');
    const flipped = `${query.sig!.slice(0, -1)}${query.sig!.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyViewLink(target, { ...query, sig: flipped }, SECRET, NOW)).toBe('mismatch');
    expect(verifyViewLink(target, { ...query, sig: query.sig!.slice(1) }, SECRET, NOW)).toBe('mismatch');
    expect(verifyViewLink(target, { ...query, exp: '12e9' }, SECRET, NOW)).toBe('mismatch');
    expect(verifyViewLink(target, { exp: query.exp }, SECRET, NOW)).toBe('missing');
    expect(verifyViewLink(target, {}, SECRET, NOW)).toBe('missing');
    expect(verifyViewLink(target, { exp: [query.exp], sig: [query.sig] }, SECRET, NOW)).toBe('missing');
  });

  it('signs ids apart, so a colon cannot move a part from one id to the other', () => {
    const exp = 1_900_000_000;
    expect(signView({ kind: 'transfer', tenantId: 'a:b', transferId: 'c' }, exp, SECRET)).not.toBe(
      signView({ kind: 'transfer', tenantId: 'a', transferId: 'b:c' }, exp, SECRET),
    );
  });
});
