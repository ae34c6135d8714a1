import { parse, validate } from 'node-cron';
import { isTimeZone } from './periods';
import { instantOf, wallClock } from './zoned-time';

/** A scheduler under load may start a run a few minutes late; later than this, the run was missed. */
export const DEFAULT_MISSED_GRACE_SECONDS = 600;

/**
 * When a scheduled job runs next, for jobs whose `nextRunAt` is not stored. The expression is read
 * the way node-cron (the project's scheduler) reads it, so the answer matches what will happen:
 * an optional seconds field, names, `L`, `W`, `#`, and day-of-month AND day-of-week (node-cron
 * requires both to match, unlike classic cron's OR).
 */

type Parsed = ReturnType<typeof parse>;

/** Beyond this a schedule is as good as never (e.g. 29 February on a Monday is years away). */
const SEARCH_DAYS = 366 * 8;

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDayOfMonth(year, month);
  if (target < 1 || target > last) return -1;
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function dayOfMonthMatches(field: Parsed['dayOfMonth'], year: number, month: number, day: number): boolean {
  const last = lastDayOfMonth(year, month);
  return field.some((value) => {
    if (value === day) return true;
    if (typeof value !== 'string') return false;
    if (value === 'L') return day === last;
    const weekday = /^(\d{1,2}|L)W$/.exec(value);
    if (weekday) return nearestWeekday(year, month, weekday[1] === 'L' ? last : Number(weekday[1])) === day;
    const offset = /^L-(\d{1,2})$/.exec(value);
    return offset !== null && last - Number(offset[1]) === day;
  });
}

function dayOfWeekMatches(
  field: Parsed['dayOfWeek'],
  year: number,
  month: number,
  day: number,
  weekday: number,
): boolean {
  return field.some((value) => {
    if (value === weekday) return true;
    if (typeof value !== 'string') return false;
    const nth = /^([0-7])#([1-5])$/.exec(value);
    if (nth) return Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2]);
    const lastOf = /^([0-7])L$/i.exec(value);
    return lastOf !== null && Number(lastOf[1]) % 7 === weekday && day + 7 > lastDayOfMonth(year, month);
  });
}

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/**
 * The first time strictly after `after` at which `expression` fires in `timeZone`, or undefined
 * when the expression or time zone is invalid or it does not fire within eight years.
 */
export function nextCronRun(expression: string, timeZone: string, after: Date): Date | undefined {
  if (!validate(expression) || !isTimeZone(timeZone)) return undefined;
  const fields = parse(expression);
  const [hours, minutes, seconds] = [ascending(fields.hour), ascending(fields.minute), ascending(fields.second)];
  const from = Math.floor(after.getTime() / 1000) * 1000 + 1000;
  const start = new Date(wallClock(from, timeZone));

  for (let offset = 0; offset <= SEARCH_DAYS; offset += 1) {
    const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + offset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!fields.month.includes(month)) continue;
    if (!dayOfMonthMatches(fields.dayOfMonth, year, month, day)) continue;
    if (!dayOfWeekMatches(fields.dayOfWeek, year, month, day, date.getUTCDay())) continue;
    for (const hour of hours) {
      // On the first day, skip what is surely past; instantOf settles the hour around a clock change.
      if (offset === 0 && hour < start.getUTCHours() - 1) continue;
      for (const minute of minutes) {
        for (const second of seconds) {
          const instant = instantOf(Date.UTC(year, month - 1, day, hour, minute, second), timeZone);
          if (instant !== undefined && instant >= from) return new Date(instant);
        }
      }
    }
  }
  return undefined;
}
