import { nextCronRun } from '../../src/domain/cron-next';
import { cronInWords } from '../../src/domain/cron-words';

const next = (expression: string, timeZone: string, after: string) =>
  nextCronRun(expression, timeZone, new Date(after))?.toISOString();

describe('nextCronRun', () => {
  test('is strictly after the given time', () => {
    expect(next('*/15 * * * *', 'UTC', '2025-03-10T10:07:00Z')).toBe('2025-03-10T10:15:00.000Z');
    expect(next('*/15 * * * *', 'UTC', '2025-03-10T10:15:00Z')).toBe('2025-03-10T10:30:00.000Z');
    expect(next('* * * * * *', 'UTC', '2025-03-10T10:15:00.500Z')).toBe('2025-03-10T10:15:01.000Z');
  });

  test('reads the schedule on the wall clock of its time zone, summer and winter', () => {
    // Copenhagen is UTC+1 in winter, UTC+2 in summer.
    expect(next('0 6 * * *', 'Europe/Copenhagen', '2025-01-15T12:00:00Z')).toBe('2025-01-16T05:00:00.000Z');
    expect(next('0 6 * * *', 'Europe/Copenhagen', '2025-07-15T12:00:00Z')).toBe('2025-07-16T04:00:00.000Z');
    expect(next('0 9 * * mon-fri', 'America/New_York', '2025-03-08T12:00:00Z')).toBe('2025-03-10T13:00:00.000Z');
  });

  test('skips a time the clock jumps over and takes the first of a repeated hour', () => {
    // 30 March 2025: Copenhagen goes from 02:00 straight to 03:00.
    expect(next('30 2 * * *', 'Europe/Copenhagen', '2025-03-29T12:00:00Z')).toBe('2025-03-31T00:30:00.000Z');
    // 26 October 2025: 02:30 happens twice; the first is 00:30 UTC.
    expect(next('30 2 * * *', 'Europe/Copenhagen', '2025-10-25T12:00:00Z')).toBe('2025-10-26T00:30:00.000Z');
  });

  test('knows months, the last day and node-cron day tokens', () => {
    expect(next('0 0 L * *', 'UTC', '2024-02-10T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(next('0 0 1 */3 *', 'UTC', '2025-02-10T00:00:00Z')).toBe('2025-04-01T00:00:00.000Z');
    expect(next('0 12 * * 1#2', 'UTC', '2025-06-01T00:00:00Z')).toBe('2025-06-09T12:00:00.000Z');
    expect(next('0 12 * * 5L', 'UTC', '2025-06-01T00:00:00Z')).toBe('2025-06-27T12:00:00.000Z');
    // 1 June 2025 is a Sunday: the nearest weekday is Monday the 2nd.
    expect(next('0 8 1W * *', 'UTC', '2025-05-20T00:00:00Z')).toBe('2025-06-02T08:00:00.000Z');
  });

  test('needs day of month and day of week both to match, as node-cron does', () => {
    // The 13th that is a Friday: June 2025.
    expect(next('0 0 13 * 5', 'UTC', '2025-01-01T00:00:00Z')).toBe('2025-06-13T00:00:00.000Z');
  });

  test('is undefined for a bad expression, an unknown time zone or a schedule years away', () => {
    expect(next('not cron', 'UTC', '2025-01-01T00:00:00Z')).toBeUndefined();
    expect(next('0 0 * * *', 'Nowhere/Zone', '2025-01-01T00:00:00Z')).toBeUndefined();
    // 29 February on a Monday: next in 2044.
    expect(next('0 0 29 2 1', 'UTC', '2025-01-01T00:00:00Z')).toBeUndefined();
  });
});

describe('cronInWords', () => {
  test.each([
    ['* * * * *', 'every minute'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['0 * * * *', 'every hour, on the hour'],
    ['5 */2 * * *', 'every 2 hours at 5 minutes past'],
    ['30 6 * * *', 'every day at 06:30'],
    ['0 0 6 * * *', 'every day at 06:00'],
    ['0 9 * * 1-5', 'on weekdays at 09:00'],
    ['0 9 * * mon', 'every Monday at 09:00'],
    ['0 9 * * 7', 'every Sunday at 09:00'],
    ['15 3 1 * *', 'on the 1st of every month at 03:15'],
  ])('%s is "%s"', (expression, words) => {
    expect(cronInWords(expression)).toBe(words);
  });

  test.each(['0 0 L * *', '0 9 * 1 *', '0 8,18 * * *', '30 0 9 * * *', 'nonsense'])('%s has no words', (expression) => {
    expect(cronInWords(expression)).toBeUndefined();
  });
});
