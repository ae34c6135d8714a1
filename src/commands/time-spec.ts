import { zoneParts } from '../chat/format-time';
import { parseDuration } from '../domain/durations';
import { zonedTime } from '../domain/zoned-time';

/**
 * Time specs of `/iex log` and `/iex retry` (`--since 2h`, `--until 2026-11-27`) in the tenant's
 * time zone, as whole seconds so that a button carries the same filter.
 */

// ---------------------------------------------------------------- time in the tenant's zone

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;

/**
 * Times a filter is built from are whole seconds: a button carries seconds, so the count a
 * confirmation states and the transfers its button then retries come from the same filter.
 */
export const wholeSecond = (at: Date): Date => new Date(Math.floor(at.getTime() / 1000) * 1000);

/** The first whole second after `at`: an exclusive bound that still takes in everything up to `at`. */
export const nextWholeSecond = (at: Date): Date => new Date(wholeSecond(at).getTime() + 1000);

/**
 * Reads `--since` / `--until`: a duration back from now (30m, 2h, 3d, 1w), a clock time today
 * (13:05), a day (2026-11-27) or a day and time (2026-11-27T13:05), in the tenant's time zone.
 * A day as `until` means the end of that day. Undefined when it is none of these.
 */
export function parseTimeSpec(spec: string, now: Date, timeZone: string, edge: 'since' | 'until'): Date | undefined {
  const text = spec.trim();
  const back = parseDuration(text);
  if (back !== undefined) return wholeSecond(new Date(now.getTime() - back));
  const clock = CLOCK.exec(text);
  if (clock) {
    const [hour, minute] = [Number(clock[1]), Number(clock[2])];
    if (hour > 23 || minute > 59) return undefined;
    const today = zoneParts(now, timeZone);
    return zonedTime(today.year, today.month, today.day, hour, minute, timeZone);
  }
  const dated = DATE_TIME.exec(text);
  if (!dated) return undefined;
  const [year, month, day] = [Number(dated[1]), Number(dated[2]), Number(dated[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  if (dated[4] !== undefined) {
    const [hour, minute] = [Number(dated[4]), Number(dated[5])];
    if (hour > 23 || minute > 59) return undefined;
    return zonedTime(year, month, day, hour, minute, timeZone);
  }
  return edge === 'until'
    ? zonedTime(year, month, day + 1, 0, 0, timeZone)
    : zonedTime(year, month, day, 0, 0, timeZone);
}
