/**
 * Wall-clock time in a time zone, both ways, with summer time. Times are milliseconds; a "wall"
 * time is the zone's wall clock written as if it were UTC, so calendar arithmetic on it is plain
 * Date.UTC arithmetic.
 */

import { DEFAULT_TIMEZONE } from './closed-lists';

/**
 * The time zone a tenant's times are read in: the most specific one set (a job's, its connection's,
 * the tenant's, in that order), else Copenhagen.
 */
export function timeZoneOf(...zones: ReadonlyArray<string | null | undefined>): string {
  return zones.find((zone): zone is string => typeof zone === 'string' && zone.length > 0) ?? DEFAULT_TIMEZONE;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time of an instant in a time zone, as if that wall clock were UTC. */
export function wallClock(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(new Date(instant))
      .filter(({ type }) => type !== 'literal')
      .map(({ type, value }) => [type, Number(value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/**
 * The instant at which the wall clock of `timeZone` shows `wall`, or undefined when it never does
 * (the hour skipped when summer time starts). Of the two instants of the hour repeated when it
 * ends, the earlier.
 */
export function instantOf(wall: number, timeZone: string): number | undefined {
  const earlier = wall - (wallClock(wall, timeZone) - wall) - 60 * 60 * 1000;
  for (const guess of [earlier, wall - (wallClock(wall, timeZone) - wall)]) {
    const instant = wall - (wallClock(guess, timeZone) - guess);
    if (wallClock(instant, timeZone) === wall) return instant;
  }
  return undefined;
}

/**
 * The instant a wall-clock time has in a time zone. A time in the hour skipped when summer time
 * starts is read with the offset before the switch (02:30 becomes 03:30), rather than refused.
 */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const dayBefore = wall - 86_400_000;
  return new Date(instantOf(wall, timeZone) ?? wall - (wallClock(dayBefore, timeZone) - dayBefore));
}
