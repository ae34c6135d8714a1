/**
 * Common schedules in words ("every 15 minutes", "on weekdays at 06:00") for the Run settings.
 * Anything less common returns undefined and is shown as its expression: a wrong sentence is
 * worse than a cron expression.
 */

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_ABBREVIATIONS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const number = (field: string, max: number): number | undefined => {
  if (!/^\d{1,2}$/.test(field)) return undefined;
  const value = Number(field);
  return value <= max ? value : undefined;
};

/** `*\/N` → N, `*` → 1. */
function step(field: string): number | undefined {
  if (field === '*') return 1;
  const match = /^\*\/(\d{1,2})$/.exec(field);
  return match && Number(match[1]) > 0 ? Number(match[1]) : undefined;
}

function weekday(field: string): number | undefined {
  const index = DAY_ABBREVIATIONS.indexOf(field.toLowerCase().slice(0, 3));
  if (index >= 0 && /^[a-z]+$/i.test(field)) return index;
  const value = number(field, 7);
  return value === undefined ? undefined : value % 7;
}

const ordinal = (day: number) =>
  `${day}${day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th'}`;

const clock = (hour: number, minute: number) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/** A common schedule, as words can say it; see `cronInWords` and the jobs catalogue. */
export type CronShape =
  | { kind: 'minutes'; every: number }
  | { kind: 'hours'; every: number; minute: number }
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'weekdays'; hour: number; minute: number }
  | { kind: 'weekly'; weekday: number; hour: number; minute: number }
  | { kind: 'monthly'; day: number; hour: number; minute: number };

/** The common schedule a cron expression is, or undefined for anything less common. */
export function cronShape(expression: string): CronShape | undefined {
  let words = expression.trim().split(/\s+/);
  if (words.length === 6) {
    if (words[0] !== '0') return undefined;
    words = words.slice(1);
  }
  if (words.length !== 5) return undefined;
  const [minuteField, hourField, dayField, monthField, weekdayField] = words as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (monthField !== '*') return undefined;
  const everyDay = dayField === '*' && weekdayField === '*';

  const minuteStep = step(minuteField);
  if (minuteStep !== undefined && hourField === '*' && everyDay) return { kind: 'minutes', every: minuteStep };

  const minute = number(minuteField, 59);
  if (minute === undefined) return undefined;
  const hourStep = step(hourField);
  if (hourStep !== undefined && everyDay) return { kind: 'hours', every: hourStep, minute };

  const hour = number(hourField, 23);
  if (hour === undefined) return undefined;
  if (everyDay) return { kind: 'daily', hour, minute };
  if (dayField === '*') {
    if (/^(1-5|mon-fri)$/i.test(weekdayField)) return { kind: 'weekdays', hour, minute };
    const day = weekday(weekdayField);
    return day === undefined ? undefined : { kind: 'weekly', weekday: day, hour, minute };
  }
  const day = number(dayField, 31);
  if (weekdayField === '*' && day !== undefined && day >= 1) return { kind: 'monthly', day, hour, minute };
  return undefined;
}

/** The schedule in English words ("every 15 minutes", "on weekdays at 06:00"), or undefined. */
export function cronInWords(expression: string): string | undefined {
  const shape = cronShape(expression);
  if (!shape) return undefined;
  switch (shape.kind) {
    case 'minutes':
      return shape.every === 1 ? 'every minute' : `every ${shape.every} minutes`;
    case 'hours': {
      const every = shape.every === 1 ? 'every hour' : `every ${shape.every} hours`;
      return shape.minute === 0
        ? `${every}, on the hour`
        : `${every} at ${shape.minute} minute${shape.minute === 1 ? '' : 's'} past`;
    }
    case 'daily':
      return `every day at ${clock(shape.hour, shape.minute)}`;
    case 'weekdays':
      return `on weekdays at ${clock(shape.hour, shape.minute)}`;
    case 'weekly':
      return `every ${DAY_NAMES[shape.weekday]} at ${clock(shape.hour, shape.minute)}`;
    case 'monthly':
      return `on the ${ordinal(shape.day)} of every month at ${clock(shape.hour, shape.minute)}`;
  }
}
