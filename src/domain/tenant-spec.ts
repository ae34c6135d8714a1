import { validate as isCron } from 'node-cron';
import { z } from 'zod';
import {
  CONNECTION_MODES,
  DEFAULT_TIMEZONE,
  NOTIFICATION_TRIGGERS,
  PLATFORM_NAME,
  SYSTEM_KINDS,
  SYSTEM_ROLES,
} from './closed-lists';
import { ENTITIES } from './events';
import { isTimeZone } from './periods';
import { PLANS } from './plans';

/**
 * A customer as an operator, the IEX platform's API or its events describe it: what `npm run
 * tenant -- apply`, `PUT /admin/v1/tenants/:id` and `iex.tenants.v1` all take. Applying it is
 * declarative (src/services/tenants/): the store is made to match it, and only what differs changes.
 */

/** The languages every text a person reads exists in. */
export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'da';

/**
 * Tenant, system and connection ids: they appear in URLs (`/webhooks/shopify/:tenantId`), Kafka keys
 * and `_id`s built with ':' as separator, so lower-case letters, digits and dashes only.
 */
export const SPEC_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const specId = (what: string) =>
  z
    .string()
    .regex(SPEC_ID, `a ${what} id is 1–63 lower-case letters, digits or dashes, starting with a letter or digit`);

/** An environment variable's name, as a secret reference gives it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A secret in a spec: the value itself, or where the applying process finds it
 * (`{ env: ACME_SHOPIFY_SECRET }`), so a spec file can be committed without its secrets. Never echoed.
 */
export const secretSpecSchema = z.union([
  z.string().min(1, 'a secret may not be empty'),
  z.object({ value: z.string().min(1, 'a secret may not be empty') }).strict(),
  z.object({ env: z.string().regex(ENV_NAME, 'an environment variable name') }).strict(),
]);
export type SecretSpec = z.infer<typeof secretSpecSchema>;

const timeZoneSchema = z.string().refine(isTimeZone, 'not an IANA time zone, e.g. Europe/Copenhagen');

const settingValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/**
 * A setting's or secret's name: it becomes a field path in the store (`settings.shopDomain`), where
 * a dot would nest and a leading `$` is an operator, so letters, digits, `_` and `-` only.
 */
const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a name is 1–64 letters, digits, _ or -, starting with a letter');

/** Bounds that keep one apply a handful of bounded store writes (README, "How the store is laid out"). */
export const SPEC_LIMITS = { systems: 20, connections: 100, notifications: 50, settings: 50 } as const;

export const systemSpecSchema = z
  .object({
    id: specId('system'),
    kind: z.enum(SYSTEM_KINDS),
    name: z.string().trim().min(1).max(100),
    role: z.enum(SYSTEM_ROLES),
    /** Shown and edited in chat (`/iex systems NAME`): nothing secret here. */
    settings: z
      .record(fieldName, settingValue)
      .refine((value) => Object.keys(value).length <= SPEC_LIMITS.settings, `at most ${SPEC_LIMITS.settings} settings`)
      .default({}),
    /** API keys, tokens; a Shopify system's `webhookSecret` verifies its webhooks. */
    secrets: z
      .record(fieldName, secretSpecSchema)
      .refine((value) => Object.keys(value).length <= SPEC_LIMITS.settings, `at most ${SPEC_LIMITS.settings} secrets`)
      .default({}),
    connected: z.boolean().default(true),
  })
  .strict();
export type SystemSpec = z.infer<typeof systemSpecSchema>;

export const connectionSpecSchema = z
  .object({
    id: specId('connection'),
    /** The system the data comes from and the one it goes to, by `systems[].id`. */
    from: specId('system'),
    to: specId('system'),
    entity: z.enum(ENTITIES),
    mode: z.enum(CONNECTION_MODES),
    /** Required for `mode: schedule`, e.g. `0 6 * * 1-5`; not allowed for webhooks. */
    cron: z
      .string()
      .refine((value) => isCron(value), 'not a cron expression, e.g. "0 6 * * 1-5"')
      .optional(),
    /** The schedule's time zone; the tenant's when left out. */
    timezone: timeZoneSchema.optional(),
    active: z.boolean().default(true),
  })
  .strict();
export type ConnectionSpec = z.infer<typeof connectionSpecSchema>;

export const notificationSpecSchema = z.union([
  z.object({ trigger: z.enum(NOTIFICATION_TRIGGERS), email: z.email('an e-mail address') }).strict(),
  z
    .object({
      trigger: z.enum(NOTIFICATION_TRIGGERS),
      /** A chat platform's name (`slack`, `discord`) and a channel id on it. */
      platform: z.string().regex(PLATFORM_NAME, 'a chat platform, e.g. slack or discord'),
      channel: z.string().min(1).max(100),
    })
    .strict(),
]);
export type NotificationSpec = z.infer<typeof notificationSpecSchema>;

export const tenantSpecSchema = z
  .object({
    id: specId('tenant'),
    name: z.string().trim().min(1).max(200),
    plan: z.enum(PLANS.map((plan) => plan.code) as [string, ...string[]]),
    timezone: timeZoneSchema.default(DEFAULT_TIMEZONE),
    language: z.enum(LANGUAGES).default(DEFAULT_LANGUAGE),
    /** The integration's main switch (the dashboard's "integration on/off"). */
    active: z.boolean().default(true),
    modules: z
      .object({
        orders: z.boolean().default(true),
        products: z.boolean().default(true),
        stock: z.boolean().default(true),
      })
      .strict()
      .default({ orders: true, products: true, stock: true }),
    systems: z.array(systemSpecSchema).max(SPEC_LIMITS.systems).default([]),
    connections: z.array(connectionSpecSchema).max(SPEC_LIMITS.connections).default([]),
    notifications: z.array(notificationSpecSchema).max(SPEC_LIMITS.notifications).default([]),
    /** Who at the customer answers for the integration (and signs up at IEX). */
    owner: z
      .object({
        name: z.string().trim().min(1).max(200),
        email: z.email('an e-mail address'),
        phone: z.string().max(40).optional(),
      })
      .strict(),
    /** Whom invoices are made out to; the owner's name and e-mail when left out. */
    billing: z
      .object({
        company: z.string().max(200).optional(),
        vatNumber: z.string().max(20).optional(),
        email: z.email('an e-mail address').optional(),
        address: z.string().max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const systems = new Map<string, SystemSpec>();
    spec.systems.forEach((system, index) => {
      if (systems.has(system.id)) {
        ctx.addIssue({ code: 'custom', path: ['systems', index, 'id'], message: `"${system.id}" is given twice` });
      }
      systems.set(system.id, system);
    });
    // Shopify's webhooks arrive at /webhooks/shopify/<tenant> and are verified with the tenant's one
    // Shopify system's webhookSecret: a second one would make that verification pick one at random.
    const shopify = spec.systems.findIndex((system) => system.kind === 'shopify');
    spec.systems.forEach((system, index) => {
      if (system.kind === 'shopify' && index > shopify) {
        ctx.addIssue({
          code: 'custom',
          path: ['systems', index, 'kind'],
          message: `a tenant has one Shopify system ("${spec.systems[shopify]!.id}" is one already): its webhooks arrive at one address`,
        });
      }
    });
    const connectionIds = new Set<string>();
    spec.connections.forEach((connection, index) => {
      const at = (...path: Array<string | number>) => ['connections', index, ...path];
      if (connectionIds.has(connection.id)) {
        ctx.addIssue({ code: 'custom', path: at('id'), message: `"${connection.id}" is given twice` });
      }
      connectionIds.add(connection.id);
      for (const end of ['from', 'to'] as const) {
        if (!systems.has(connection[end])) {
          ctx.addIssue({
            code: 'custom',
            path: at(end),
            message: `there is no system "${connection[end]}" in systems (a connection needs both its systems)`,
          });
        }
      }
      if (connection.from === connection.to) {
        ctx.addIssue({ code: 'custom', path: at('to'), message: 'a connection goes from one system to another' });
      }
      if (connection.mode === 'schedule' && !connection.cron) {
        ctx.addIssue({
          code: 'custom',
          path: at('cron'),
          message: 'a scheduled connection needs a cron, e.g. "0 6 * * *"',
        });
      }
      if (connection.mode === 'webhook' && (connection.cron || connection.timezone)) {
        ctx.addIssue({
          code: 'custom',
          path: at(connection.cron ? 'cron' : 'timezone'),
          message: 'a webhook connection runs on events, not on a schedule: leave out cron and timezone',
        });
      }
    });
    const rules = new Set<string>();
    spec.notifications.forEach((rule, index) => {
      const key =
        'email' in rule ? `${rule.trigger} email:${rule.email}` : `${rule.trigger} ${rule.platform}:${rule.channel}`;
      if (rules.has(key)) ctx.addIssue({ code: 'custom', path: ['notifications', index], message: 'given twice' });
      rules.add(key);
    });
  });

/** A spec as written (defaults not yet filled in). */
export type TenantSpecInput = z.input<typeof tenantSpecSchema>;
/** A spec after validation, defaults filled in. */
export type TenantSpec = z.output<typeof tenantSpecSchema>;

/** `connections[2].cron` from zod's `['connections', 2, 'cron']`. */
export function specPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    const key = String(part);
    return text ? `${text}.${key}` : key;
  }, '');
}

/** One thing wrong with a spec: where (`connections[2].cron`, or `(spec)` for the whole) and what. */
export interface SpecProblem {
  path: string;
  message: string;
}

export type SpecParse = { ok: true; spec: TenantSpec } | { ok: false; problems: SpecProblem[] };

/** Validates a spec, naming every problem by its path. */
export function parseTenantSpec(input: unknown): SpecParse {
  const result = tenantSpecSchema.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ path: specPath(issue.path) || '(spec)', message: issue.message })),
  };
}

/** Problems as lines for a terminal or an HTTP error body: `connections[2].cron: a scheduled …`. */
export function describeSpecProblems(problems: readonly SpecProblem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
}
