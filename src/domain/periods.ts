/**
 * Usage periods are calendar months in the tenant's time zone: an order placed at 00:30 on the
 * 1st in Copenhagen belongs to the new month even though it is still the old one in UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The day ('YYYY-MM-DD') and period ('YYYY-MM') of an instant in a time zone. */
export function dayAndPeriod(at: Date, timeZone: string): { day: string; period: string } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map(({ type, value }) => [type, value]),
  );
  const period = `${parts.year}-${parts.month}`;
  return { day: `${period}-${parts.day}`, period };
}

/** True for a time zone name the runtime knows, e.g. 'Europe/Copenhagen'. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}
