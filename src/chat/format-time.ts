import { wallClock } from '../domain/zoned-time';

/** The calendar fields of an instant on a time zone's wall clock. */
export function zoneParts(at: Date, timeZone: string) {
  const wall = new Date(wallClock(at.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();
function display(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = displayFormatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', ...options });
    displayFormatters.set(key, format);
  }
  return format;
}

/** "13:05" today, "27 Nov 13:05" this year, "27 Nov 2025 13:05" before; `seconds` adds ":12". */
export function formatWhen(at: Date, now: Date, timeZone: string, { seconds = false } = {}): string {
  const time = display(timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  }).format(at);
  const [a, b] = [zoneParts(at, timeZone), zoneParts(now, timeZone)];
  if (a.year === b.year && a.month === b.month && a.day === b.day) return time;
  const date = display(timeZone, {
    day: 'numeric',
    month: 'short',
    ...(a.year === b.year ? {} : { year: 'numeric' }),
  }).format(at);
  return `${date} ${time}`;
}

/** "2 Dec 2026": a day on the time zone's wall clock, with its year. */
export function formatDay(at: Date, timeZone: string): string {
  return display(timeZone, { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}
