import { wallClock } from './zoned-time';

/**
 * Usage periods are calendar months in the tenant's time zone: an order placed at 00:30 on the
 * 1st in Copenhagen belongs to the new month even though it is still the old one in UTC.
 */

/** The day ('YYYY-MM-DD') and period ('YYYY-MM') of an instant in a time zone. */
export function dayAndPeriod(at: Date, timeZone: string): { day: string; period: string } {
  const day = new Date(wallClock(at.getTime(), timeZone)).toISOString().slice(0, 10);
  return { day, period: day.slice(0, 7) };
}

/** True for a time zone name the runtime knows, e.g. 'Europe/Copenhagen'. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
