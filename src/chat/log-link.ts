import { z } from 'zod';
import { ENTITIES, type Entity } from '../domain/events';
import type { TransferStatus } from '../domain/closed-lists';
import { tryAction } from './actions';

/**
 * A filter of the transfer log as buttons carry it: the forgiving status, entity and order-number
 * spellings `/iex log` and `/iex retry` accept, and the short form a filter takes in a button.
 * Alerts, the digest and the commands link to the log with `logPageAction`.
 */

/** The statuses a person filters by, in the order help lists them. */
export const STATUS_WORDS = ['failed', 'held', 'succeeded', 'started'] as const satisfies readonly TransferStatus[];

export const isStatusWord = (word: string): boolean => (STATUS_WORDS as readonly string[]).includes(word.toLowerCase());

export const statusSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase() : value),
  // A message key (src/i18n/messages/log.ts): checkArgs translates it.
  z.enum(STATUS_WORDS, { message: 'log.args.status' }),
) as z.ZodType<TransferStatus>;

/** `orders`, `Order` and `order` all mean the entity `order`. */
export const entityArgSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase().replace(/s$/, '') : value),
  z.enum(ENTITIES, { message: 'log.args.entity' }),
) as z.ZodType<Entity>;

/** "#1001", " 1001 " and "%231001" are the same order number; stored references may have the '#'. */
export function normalizeReference(raw: string): string {
  return raw
    .trim()
    .replace(/^(#|%23)+/, '')
    .trim();
}

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

/**
 * A button that opens a page of the log; other commands and alerts use it to link to the log.
 * `replace` (the log's own page buttons) turns the page in place instead of adding a message.
 */
export function logPageAction(filter: FilterValues, page = 1, { replace = false } = {}): string | undefined {
  return tryAction('log.page', { page, ...filterToValues(filter), ...(replace ? { r: 1 } : {}) });
}
