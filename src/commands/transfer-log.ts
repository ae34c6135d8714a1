import { z } from 'zod';
import { ENTITIES, type Entity } from '../domain/events';
import type { TransferStatus } from '../domain/transfer-fold';
import { wallClock, zonedTime } from '../domain/zoned-time';

/**
 * The pure parts of `/iex log` and `/iex retry`: time specs in the tenant's time zone, the
 * forgiving order-number and entity spellings, the short form a filter takes in a button, and
 * payloads cut to what a chat message holds.
 */

/** The statuses a person filters by, in the order help lists them. */
export const STATUS_WORDS = ['failed', 'held', 'succeeded', 'started'] as const satisfies readonly TransferStatus[];

export const isStatusWord = (word: string): boolean => (STATUS_WORDS as readonly string[]).includes(word.toLowerCase());

export const statusSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase() : value),
  z.enum(STATUS_WORDS, { message: `must be one of ${STATUS_WORDS.join(', ')}` }),
) as z.ZodType<TransferStatus>;

/** `orders`, `Order` and `order` all mean the entity `order`. */
export const entityArgSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase().replace(/s$/, '') : value),
  z.enum(ENTITIES, { message: `must be one of ${ENTITIES.join(', ')}` }),
) as z.ZodType<Entity>;

/** "#1001", " 1001 " and "%231001" are the same order number; stored references may have the '#'. */
export function normalizeReference(raw: string): string {
  return raw
    .trim()
    .replace(/^(#|%23)+/, '')
    .trim();
}

// ---------------------------------------------------------------- time in the tenant's zone

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const RELATIVE = /^(\d{1,5})\s*(m|min|mins|h|hr|hrs|d|w)$/i;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;

export const TIME_SPEC_HELP = '30m, 2h, 3d, 1w, 13:05, 2026-11-27 or 2026-11-27T13:05';

/**
 * Times a filter is built from are whole seconds: a button carries seconds, so the count a
 * confirmation states and the transfers its button then retries come from the same filter.
 */
export const wholeSecond = (at: Date): Date => new Date(Math.floor(at.getTime() / 1000) * 1000);

/** The first whole second after `at`: an exclusive bound that still takes in everything up to `at`. */
export const nextWholeSecond = (at: Date): Date => new Date(wholeSecond(at).getTime() + 1000);

/** The calendar fields of an instant on a time zone's wall clock. */
function zoneParts(at: Date, timeZone: string) {
  const wall = new Date(wallClock(at.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * Reads `--since` / `--until`: a duration back from now (30m, 2h, 3d, 1w), a clock time today
 * (13:05), a day (2026-11-27) or a day and time (2026-11-27T13:05), in the tenant's time zone.
 * A day as `until` means the end of that day. Undefined when it is none of these.
 */
export function parseTimeSpec(spec: string, now: Date, timeZone: string, edge: 'since' | 'until'): Date | undefined {
  const text = spec.trim();
  const relative = RELATIVE.exec(text);
  if (relative) {
    const unit = relative[2]!.toLowerCase()[0] as keyof typeof UNIT_MS;
    return wholeSecond(new Date(now.getTime() - Number(relative[1]) * UNIT_MS[unit]));
  }
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

// ---------------------------------------------------------------- filters in buttons

/**
 * What a button carries of a filter. Keys are the ones `log.page` is specified with (status,
 * entity, system, ref, since, until) plus `conn` and `code`; times are Unix seconds in base 36
 * (six characters), so a filter fits the 100 characters of an encoded action.
 */
export interface FilterValues {
  status?: TransferStatus;
  entity?: Entity;
  /** A system id (or name: it is looked up either way). */
  system?: string;
  conn?: string;
  ref?: string;
  code?: string;
  since?: Date;
  until?: Date;
}

export const encodeTime = (at: Date): string => Math.floor(at.getTime() / 1000).toString(36);

const timeValue = z
  .string()
  .regex(/^[0-9a-z]{1,8}$/)
  .transform((value) => new Date(parseInt(value, 36) * 1000));

export const filterValuesShape = {
  status: statusSchema.optional(),
  entity: entityArgSchema.optional(),
  system: z.string().min(1).max(100).optional(),
  conn: z.string().min(1).max(200).optional(),
  ref: z.string().min(1).max(200).transform(normalizeReference).optional(),
  code: z.string().min(1).max(100).optional(),
  since: timeValue.optional(),
  until: timeValue.optional(),
};

export function filterToValues(filter: FilterValues): Record<string, string> {
  const values: Record<string, string> = {};
  if (filter.status) values.status = filter.status;
  if (filter.entity) values.entity = filter.entity;
  if (filter.system) values.system = filter.system;
  if (filter.conn) values.conn = filter.conn;
  if (filter.ref) values.ref = filter.ref;
  if (filter.code) values.code = filter.code;
  if (filter.since) values.since = encodeTime(filter.since);
  if (filter.until) values.until = encodeTime(filter.until);
  return values;
}

/** Reads a button's filter values back (the inverse of `filterToValues`). */
export const filterValuesSchema = z.object(filterValuesShape);

// ---------------------------------------------------------------- payloads in chat

/** Pretty JSON, or the text itself when a system's format is text (XML, CSV). */
export function prettyPayload(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload === undefined) return '(no data)';
  return JSON.stringify(payload, null, 2) ?? String(payload);
}

/** Where to cut `text` at most `size` characters in: after a line break when one is near. */
function cutPoint(text: string, from: number, size: number): number {
  const end = from + size;
  if (end >= text.length) return text.length;
  const lineBreak = text.lastIndexOf('\n', end - 1);
  return lineBreak > from + size / 2 ? lineBreak + 1 : end;
}

/** The first `size` characters or so (ending in "…" when that is not all), and how many those are. */
export function shortenText(text: string, size: number): { text: string; shortened: boolean; shownChars: number } {
  const end = cutPoint(text, 0, size);
  if (end >= text.length) return { text, shortened: false, shownChars: text.length };
  return { text: `${text.slice(0, end).trimEnd()}\n…`, shortened: true, shownChars: end };
}

/**
 * Splits `text` into parts of at most `size` characters (at line breaks where it can), at most
 * `maxParts` of them; `shownChars` < text.length says where it was cut.
 */
export function splitText(text: string, size: number, maxParts: number): { parts: string[]; shownChars: number } {
  const parts: string[] = [];
  let at = 0;
  while (at < text.length && parts.length < maxParts) {
    const end = cutPoint(text, at, size);
    parts.push(text.slice(at, end));
    at = end;
  }
  return { parts, shownChars: at };
}

/** One line of text at most `size` characters long. */
export function oneLine(text: string, size: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > size ? `${line.slice(0, size - 1)}…` : line;
}
