import { digestGroupKey } from '../../src/domain/alerts';
import { translator } from '../../src/i18n';
import { digestMessage, type DigestAlert } from '../../src/services/alerts/kinds/digest';

const digest: DigestAlert = {
  kind: 'digest',
  id: digestGroupKey('acme', '2025-11-26'),
  tenantId: 'acme',
  groupKey: digestGroupKey('acme', '2025-11-26'),
  occurredAt: '2025-11-27T07:00:00.000Z',
  day: '2025-11-26',
  period: '2025-11',
  transfers: {
    order: { created: 1200, updated: 4, failed: 9 },
    product: { created: 0, updated: 37, failed: 0 },
    stock: { created: 0, updated: 211, failed: 1 },
  },
  failuresByCause: [
    { code: 'economic.vat_zone_unknown', reason: 'Unknown VAT zone for country', count: 4 },
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((code) => ({ code, reason: code, count: 1 })),
  ],
  quota: { used: 1430, allowance: 1500 },
  held: 1,
};
const links = {
  transfer: (tenantId: string, transferId: string) => `https://iex.test/t/${tenantId}/${transferId}`,
  subscription: (tenantId: string) => `https://iex.test/s/${tenantId}`,
  usage: (tenantId: string) => `https://iex.test/u/${tenantId}`,
};
const ctx = { timezone: 'Europe/Copenhagen', now: new Date('2025-11-27T07:00:00Z'), links };

describe('the daily digest message', () => {
  it('speaks Danish to a Danish tenant: day, counts, causes, quota, holds and buttons', () => {
    const message = digestMessage(digest, { ...ctx, t: translator('da') });
    expect(message.fallback).toBe('Daglig oversigt — onsdag den 26. november');
    expect(message.blocks).toContainEqual({
      type: 'fields',
      fields: [
        { label: 'Ordrer', value: '1.200 oprettet · 4 opdateret · 9 fejlede' },
        { label: 'Produkter', value: '0 oprettet · 37 opdateret · 0 fejlede' },
        { label: 'Lager', value: '0 oprettet · 211 opdateret · 1 fejlede' },
      ],
    });
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('*Fejl efter årsag*');
    expect(all).toContain('og 2 mere (2 fejl)');
    expect(all).toContain('Ordrer i november 2025: 1.430 af 1.500 brugt · 70 tilbage · 1 overførsel tilbageholdt');
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));
    expect(buttons.map(({ label }) => label)).toEqual(['Åbn log', 'Abonnement']);
    // No English words of ours (the cause's reason is the engine's own text, shown as it came).
    const words = JSON.stringify(message.blocks.filter((block) => block.type !== 'actions')).replace(
      'Unknown VAT zone for country',
      '',
    );
    expect(words).not.toMatch(/daily|created|updated|failed|failures|orders|held|left|used/i);
  });

  it('says nothing is held and there were no failures, in each language', () => {
    const quiet = { ...digest, failuresByCause: [], held: 0 };
    expect(JSON.stringify(digestMessage(quiet, { ...ctx, t: translator('da') }).blocks)).toContain('Ingen fejl.');
    expect(JSON.stringify(digestMessage(quiet, { ...ctx, t: translator('da') }).blocks)).toContain(
      'Intet tilbageholdt',
    );
    const en = JSON.stringify(digestMessage(quiet, { ...ctx, t: translator('en') }).blocks);
    expect(en).toContain('No failures.');
    expect(en).toContain('Orders in November 2025: 1,430 of 1,500 used · 70 left · Nothing held');
  });

  it('shows the usage chart it is handed as a PNG picture (mails cannot show SVG)', () => {
    const picture = {
      png: Buffer.from('png'),
      svg: '<svg/>',
      width: 914,
      height: 251,
      alt: 'Diagram',
      fileName: 'usage-2025-11.png',
    };
    const message = digestMessage(digest, { ...ctx, t: translator('da'), picture });
    const images = message.blocks.flatMap((block) => (block.type === 'image' ? [block.image] : []));
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ png: picture.png, width: 914, height: 251, alt: 'Diagram' });
    expect(images[0]!.svg).toBeUndefined();
    expect(digestMessage(digest, { ...ctx, t: translator('da') }).blocks.some((block) => block.type === 'image')).toBe(
      false,
    );
  });
});
