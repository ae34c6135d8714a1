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

export function cronInWords(expression: string): string | undefined {
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
  if (minuteStep !== undefined && hourField === '*' && everyDay)
    return minuteStep === 1 ? 'every minute' : `every ${minuteStep} minutes`;

  const minute = number(minuteField, 59);
  if (minute === undefined) return undefined;
  const hourStep = step(hourField);
  if (hourStep !== undefined && everyDay) {
    const every = hourStep === 1 ? 'every hour' : `every ${hourStep} hours`;
    return minute === 0 ? `${every}, on the hour` : `${every} at ${minute} minute${minute === 1 ? '' : 's'} past`;
  }

  const hour = number(hourField, 23);
  if (hour === undefined) return undefined;
  const at = `at ${clock(hour, minute)}`;
  if (everyDay) return `every day ${at}`;
  if (dayField === '*') {
    if (/^(1-5|mon-fri)$/i.test(weekdayField)) return `on weekdays ${at}`;
    const day = weekday(weekdayField);
    return day === undefined ? undefined : `every ${DAY_NAMES[day]} ${at}`;
  }
  const day = number(dayField, 31);
  if (weekdayField === '*' && day !== undefined && day >= 1) return `on the ${ordinal(day)} of every month ${at}`;
  return undefined;
}
