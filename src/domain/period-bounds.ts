import { zonedTime } from './zoned-time';

/**
 * Where periods begin, for changes that wait for the next period (a plan downgrade). A period is a
 * calendar month in the tenant's time zone (see periods.ts), so it begins at local midnight on the
 * 1st, which is a different instant in UTC in winter and in summer.
 */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function parsePeriod(period: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new Error(`not a period (YYYY-MM): ${period}`);
  return { year: Number(match[1]), month };
}

/** '2026-12' after '2026-11', '2027-01' after '2026-12'. */
export function nextPeriod(period: string): string {
  const { year, month } = parsePeriod(period);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** 'November 2026' — how a period is named to people. */
export function periodName(period: string): string {
  const { year, month } = parsePeriod(period);
  return `${MONTHS[month - 1]} ${year}`;
}

/** The instant a period begins: local midnight of its 1st day in `timeZone`. */
export function periodStartsAt(period: string, timeZone: string): Date {
  const { year, month } = parsePeriod(period);
  return zonedTime(year, month, 1, 0, 0, timeZone);
}

/** How many days a period (a calendar month) has: 28 to 31. */
export function daysInPeriod(period: string): number {
  const { year, month } = parsePeriod(period);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The days of `day`'s period ('YYYY-MM-DD') from that day to the period's end, both included. */
export function daysLeftInPeriod(day: string): number {
  const period = day.slice(0, 7);
  const dayOfMonth = Number(day.slice(8, 10));
  const days = daysInPeriod(period);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || dayOfMonth < 1 || dayOfMonth > days) throw new Error(`not a day: ${day}`);
  return days - dayOfMonth + 1;
}
