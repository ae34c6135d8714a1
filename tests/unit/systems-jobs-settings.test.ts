import { translator } from '../../src/i18n';
import { jobState } from '../../src/commands/catalog/jobs';

const MISSED_GRACE_MS = 10 * 60 * 1000;
import { mention, parseMention } from '../../src/commands/mentions';
import { pageControls, pageOf } from '../../src/commands/paging';
import type { JobView } from '../../src/commands/ports/jobs';
import { looksSecret, readSettingValue } from '../../src/domain/system-settings';

describe('parseMention', () => {
  test.each([
    ['<@U024BE7LH>', 'slack', 'U024BE7LH'],
    ['<@U024BE7LH|anna>', 'slack', 'U024BE7LH'],
    ['U024BE7LH', 'slack', 'U024BE7LH'],
    ['<@W0123ABCD>', 'slack', 'W0123ABCD'],
    ['<@123456789012345678>', 'discord', '123456789012345678'],
    ['<@!123456789012345678>', 'discord', '123456789012345678'],
    ['123456789012345678', 'discord', '123456789012345678'],
  ] as const)('%s on %s is %s', (word, platform, id) => {
    expect(parseMention(word, platform)).toBe(id);
  });

  test.each([
    ['@anna', 'slack'],
    ['anna', 'slack'],
    ['<@123456789012345678>', 'slack'],
    ['<@U024BE7LH>', 'discord'],
    ['<#C024BE7LH>', 'slack'],
    ['<@&123456789012345678>', 'discord'],
  ] as const)('%s on %s is no user', (word, platform) => {
    expect(parseMention(word, platform)).toBeUndefined();
  });

  test('a mention renders on chat platforms and as the name on the console', () => {
    expect(mention('slack', 'U1')).toBe('<@U1>');
    expect(mention('console', 'operator', 'Anna')).toBe('Anna');
  });
});

describe('settings chat may change', () => {
  test('names that look secret are kept out of chat', () => {
    expect(['apiKey', 'api_key', 'accessToken', 'clientSecret', 'password', 'hmacKey'].every(looksSecret)).toBe(true);
    expect(['vatZone', 'agreementNumber', 'shopDomain', 'currency'].some(looksSecret)).toBe(false);
  });

  test('a typed value keeps the type the setting has', () => {
    expect(readSettingValue('654321', 123456)).toBe(654321);
    expect(readSettingValue('abc', 123456)).toBeUndefined();
    expect(readSettingValue('', 1)).toBeUndefined();
    expect(readSettingValue('off', true)).toBe(false);
    expect(readSettingValue('maybe', true)).toBeUndefined();
    expect(readSettingValue('19', 'domestic')).toBe('19');
  });
});

describe('paging', () => {
  test('a page past the last gives the last; buttons only where there is somewhere to go', () => {
    const page = pageOf([1, 2, 3, 4, 5], 9, 2);
    expect(page).toEqual({ items: [5], page: 3, pages: 3, total: 5 });
    const [info, buttons] = pageControls(page, 'systems.page', {}, translator('en'));
    expect(info).toEqual({ type: 'context', text: 'Page 3 of 3 · 5 in all' });
    expect(buttons).toEqual({ type: 'actions', buttons: [{ label: 'Previous', action: 'systems.page?page=2' }] });
    expect(pageControls(pageOf([1], 1, 2), 'systems.page', {}, translator('en'))).toEqual([]);
  });
});

describe('jobState', () => {
  const now = new Date('2025-06-10T10:07:00Z');
  const job = (overrides: Partial<JobView>): JobView => ({
    connectionId: 'products',
    label: 'Shopify > e-conomic',
    entity: 'product',
    mode: 'schedule',
    cron: '*/15 * * * *',
    timezone: 'UTC',
    ...overrides,
  });

  test('without a stored next run, the next run comes from the schedule', () => {
    const state = jobState(
      job({ lastRunAt: new Date('2025-06-10T10:00:00Z'), lastStatus: 'succeeded' }),
      now,
      MISSED_GRACE_MS,
    );
    expect(state.next?.toISOString()).toBe('2025-06-10T10:15:00.000Z');
    expect(state.missed).toBe(false);
  });

  test('a run due longer ago than the grace period was missed', () => {
    const late = jobState(job({ lastRunAt: new Date('2025-06-10T09:30:00Z') }), now, MISSED_GRACE_MS);
    expect(late.missed).toBe(true);
    expect(late.missedRun?.toISOString()).toBe('2025-06-10T09:45:00.000Z');
    const stored = jobState(job({ nextRunAt: new Date(now.getTime() - MISSED_GRACE_MS + 1000) }), now, MISSED_GRACE_MS);
    expect(stored.missed).toBe(false);
    expect(
      jobState(job({ nextRunAt: new Date(now.getTime() - MISSED_GRACE_MS - 1000) }), now, MISSED_GRACE_MS).missed,
    ).toBe(true);
  });

  test('the grace period is the configured one (JOB_MISSED_GRACE_SECONDS), as the missed-runs job uses', () => {
    const twoMinutesLate = job({ nextRunAt: new Date(now.getTime() - 120_000) });
    expect(jobState(twoMinutesLate, now, 60_000).missed).toBe(true);
    expect(jobState(twoMinutesLate, now, MISSED_GRACE_MS).missed).toBe(false);
  });

  test('a run the scheduler reported missed is flagged; a paused job is not', () => {
    expect(
      jobState(job({ lastRunAt: new Date('2025-06-10T10:00:00Z'), lastStatus: 'missed' }), now, MISSED_GRACE_MS).missed,
    ).toBe(true);
    const paused = jobState(
      job({ lastRunAt: new Date('2025-06-09T10:00:00Z'), heldBy: { kind: 'connection', name: 'Shopify > e-conomic' } }),
      now,
      MISSED_GRACE_MS,
    );
    expect(paused.missed).toBe(false);
  });

  test('event-driven connections have no runs', () => {
    expect(jobState(job({ mode: 'webhook', cron: undefined }), now, MISSED_GRACE_MS)).toEqual({
      job: expect.anything(),
      missed: false,
    });
  });
});
