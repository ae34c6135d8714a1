import { wallClock } from '../domain/zoned-time';

/** The calendar fields of an instant on a time zone's wall clock. */
export function zoneParts(at: Date, timeZone: string) {
  const wall = new Date(wallClock(at.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}
