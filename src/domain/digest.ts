import { dayAndPeriod } from './periods';
import { wallClock, zonedTime } from './zoned-time';

/**
 * The calendar days the daily digest speaks of. A day is 'YYYY-MM-DD' in the tenant's time zone,
 * like the usage day buckets, so the digest's counts and its log link cover the same hours.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

function parseDay(day: string): { year: number; month: number; date: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`not a day (YYYY-MM-DD): ${day}`);
  return { year: Number(match[1]), month: Number(match[2]), date: Number(match[3]) };
}

/** '2025-11-26' before '2025-11-27' (and across months and years). */
export function previousDay(day: string): string {
  const { year, month, date } = parseDay(day);
  return new Date(Date.UTC(year, month - 1, date) - DAY_MS).toISOString().slice(0, 10);
}

/** The instants a day begins and ends in a time zone: 23, 24 or 25 hours apart. */
export function dayBounds(day: string, timeZone: string): { start: Date; end: Date } {
  const { year, month, date } = parseDay(day);
  const next = new Date(Date.UTC(year, month - 1, date) + DAY_MS);
  return {
    start: zonedTime(year, month, date, 0, 0, timeZone),
    end: zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone),
  };
}

/** 'Thursday 26 November' — how a digest names its day. */
export function dayName(day: string): string {
  const { year, month, date } = parseDay(day);
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, date)),
  );
}

/**
 * Which day's digest is due at `now` in a time zone: yesterday's, once the local hour has reached
 * `digestHour`; before that, none (yesterday's digest of the day before was the last one due).
 */
export function digestDue(now: Date, timeZone: string, digestHour: number): string | undefined {
  const hour = new Date(wallClock(now.getTime(), timeZone)).getUTCHours();
  if (hour < digestHour) return undefined;
  return previousDay(dayAndPeriod(now, timeZone).day);
}
