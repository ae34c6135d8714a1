import { filterToValues, filterValuesSchema, normalizeReference } from '../../src/chat/log-link';
import { parseTimeSpec } from '../../src/commands/time-spec';
import { shortenText, splitText } from '../../src/chat/text';
import { encodeAction } from '../../src/chat/actions';
import { flagsToValues, readLogWords } from '../../src/commands/catalog/log';
import { UserError } from '../../src/commands/errors';
import { translator } from '../../src/i18n';

const en = translator('en');
const da = translator('da');

const CPH = 'Europe/Copenhagen';
// 14:30:45.500 in Copenhagen (winter time, UTC+1).
const now = new Date('2026-11-28T13:30:45.500Z');

describe('time specs', () => {
  test('durations count back from now, to the whole second', () => {
    expect(parseTimeSpec('2h', now, CPH, 'since')).toEqual(new Date('2026-11-28T11:30:45Z'));
    expect(parseTimeSpec('30m', now, CPH, 'since')).toEqual(new Date('2026-11-28T13:00:45Z'));
    expect(parseTimeSpec('3d', now, CPH, 'since')).toEqual(new Date('2026-11-25T13:30:45Z'));
    expect(parseTimeSpec('1w', now, CPH, 'since')).toEqual(new Date('2026-11-21T13:30:45Z'));
    expect(parseTimeSpec('2H', now, CPH, 'since')).toEqual(new Date('2026-11-28T11:30:45Z'));
  });

  test('days and clock times are read in the tenant time zone; a day as until means its end', () => {
    expect(parseTimeSpec('2026-11-27', now, CPH, 'since')).toEqual(new Date('2026-11-26T23:00:00Z'));
    expect(parseTimeSpec('2026-11-27', now, CPH, 'until')).toEqual(new Date('2026-11-27T23:00:00Z'));
    expect(parseTimeSpec('2026-07-01T13:05', now, CPH, 'since')).toEqual(new Date('2026-07-01T11:05:00Z'));
    expect(parseTimeSpec('13:05', now, CPH, 'since')).toEqual(new Date('2026-11-28T12:05:00Z'));
    expect(parseTimeSpec('2026-11-27', now, 'UTC', 'since')).toEqual(new Date('2026-11-27T00:00:00Z'));
  });

  test('the day clocks go forward ends 23 hours after it starts', () => {
    const start = parseTimeSpec('2026-03-29', now, CPH, 'since')!;
    const end = parseTimeSpec('2026-03-29', now, CPH, 'until')!;
    expect(start).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(end.getTime() - start.getTime()).toBe(23 * 3_600_000);
    // 02:30 does not exist that night; it is read as 03:30 summer time.
    expect(parseTimeSpec('2026-03-29T02:30', now, CPH, 'since')).toEqual(new Date('2026-03-29T01:30:00Z'));
    // 02:30 happens twice when summer time ends; the first is meant.
    expect(parseTimeSpec('2026-10-25T02:30', now, CPH, 'since')).toEqual(new Date('2026-10-25T00:30:00Z'));
  });

  test.each(['yesterday', '2026-02-30', '2026-13-01', '25:00', '2x', '', '2026-11-27T24:00'])(
    '"%s" is not a time',
    (spec) => {
      expect(parseTimeSpec(spec, now, CPH, 'since')).toBeUndefined();
    },
  );

  test('times are shown short: today the clock, else the day too, and the year when it differs', () => {
    expect(en.when(new Date('2026-11-28T12:05:00Z'), now, CPH)).toBe('13:05');
    expect(en.when(new Date('2026-11-28T12:05:09Z'), now, CPH, { seconds: true })).toBe('13:05:09');
    expect(en.when(new Date('2026-11-27T12:05:00Z'), now, CPH)).toBe('27 Nov 13:05');
    expect(en.when(new Date('2025-11-27T12:05:00Z'), now, CPH)).toBe('27 Nov 2025 13:05');
    expect(da.when(new Date('2026-11-27T12:05:00Z'), now, CPH)).toBe('27. nov. 13.05');
    expect(da.when(new Date('2025-11-27T12:05:00Z'), now, CPH)).toBe('27. nov. 2025 13.05');
  });
});

describe('filters', () => {
  test('an order number is the same with or without #', () => {
    expect(normalizeReference('#1001')).toBe('1001');
    expect(normalizeReference(' 1001 ')).toBe('1001');
    expect(normalizeReference('%231001')).toBe('1001');
    expect(normalizeReference('SKU-9')).toBe('SKU-9');
  });

  test('the words after log: a status, an order number, or one id', () => {
    expect(readLogWords(en, ['failed', '#1001'])).toEqual({ status: 'failed', ref: '1001' });
    expect(readLogWords(en, ['HELD'])).toEqual({ status: 'held' });
    expect(readLogWords(en, ['shopify-abc'])).toEqual({ idOrRef: 'shopify-abc' });
    expect(() => readLogWords(en, ['failed', 'held'])).toThrow(/one status/);
    expect(() => readLogWords(en, ['#1', '#2'])).toThrow(/one order number/);
    expect(() => readLogWords(da, ['failed', 'held'])).toThrow(
      'Angiv én status, ikke både "failed" og "held". Brug: /iex log',
    );
  });

  test('typed options become a filter; a bad time names the option and shows the usage', () => {
    const values = flagsToValues(
      en,
      { status: 'failed', entity: 'order', ref: '#1001', since: '2h' },
      now,
      CPH,
      '/iex log …',
    );
    expect(values).toEqual({ status: 'failed', entity: 'order', ref: '1001', since: new Date('2026-11-28T11:30:45Z') });

    const bad = () => flagsToValues(en, { since: 'yesterday' }, now, CPH, '/iex log …');
    expect(bad).toThrow(UserError);
    expect(bad).toThrow(/--since: "yesterday" is not a time; use 30m, 2h.*Usage: \/iex log …/);
    expect(() => flagsToValues(en, { since: '23:59' }, now, CPH, 'u')).toThrow(/in the future/);
    expect(() => flagsToValues(da, { since: 'i går' }, now, CPH, '/iex log …')).toThrow(
      '--since: "i går" er ikke et tidspunkt; brug 30m, 2h, 3d, 1w, 13:05, 2026-11-27 eller 2026-11-27T13:05. Brug: /iex log …',
    );
    expect(() => flagsToValues(da, { since: '23:59' }, now, CPH, 'u')).toThrow(
      '--since: 23.59 ligger i fremtiden. Brug: u',
    );
  });

  test('a filter survives a button: encoded short, decoded the same', () => {
    const filter = {
      status: 'failed' as const,
      entity: 'order' as const,
      conn: 'orders',
      code: 'economic.vat_zone_unknown',
      since: new Date('2026-11-28T11:30:45Z'),
      until: new Date('2026-11-28T13:30:45Z'),
    };
    const values = filterToValues(filter);
    expect(filterValuesSchema.parse(values)).toEqual(filter);
    // A bulk retry's confirm button with every option a person is likely to give fits the limit.
    const { status: _failedIsTheDefault, ...rest } = values;
    expect(encodeAction('retry.run', rest).length).toBeLessThanOrEqual(100);
  });
});

describe('payloads in chat', () => {
  const json = JSON.stringify(
    { line_items: Array.from({ length: 300 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i })) },
    null,
    2,
  );

  test('the preview is the start of the payload, cut at a line, and says it is shortened', () => {
    const preview = shortenText(json, 1500);
    expect(preview.shortened).toBe(true);
    expect(preview.text.endsWith('\n…')).toBe(true);
    expect(preview.shownChars).toBeLessThanOrEqual(1500);
    expect(json.startsWith(preview.text.slice(0, -2))).toBe(true);
    expect(shortenText('{"a":1}', 1500)).toEqual({ text: '{"a":1}', shortened: false, shownChars: 7 });
  });

  test('show all splits into parts that join to the whole, or stops at the cap and says where', () => {
    const all = splitText(json, 1800, 100);
    expect(all.parts.join('')).toBe(json);
    expect(all.shownChars).toBe(json.length);
    expect(Math.max(...all.parts.map((part) => part.length))).toBeLessThanOrEqual(1800);

    const capped = splitText(json, 1800, 3);
    expect(capped.parts).toHaveLength(3);
    expect(capped.shownChars).toBe(capped.parts.join('').length);
    expect(capped.shownChars).toBeLessThan(json.length);
  });
});
