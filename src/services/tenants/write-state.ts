import { randomBytes } from 'node:crypto';
import { periodStartsAt } from '../../domain/period-bounds';
import { dayAndPeriod } from '../../domain/periods';
import { DEFAULT_AUTO_TOP_UP_PACK, DEFAULT_AUTO_TOP_UPS_PER_PERIOD, findPlan } from '../../domain/plans';
import type { ConnectionSpec, NotificationSpec } from '../../domain/tenant-spec';
import { chunked, withUpdateSlots, type Models } from '../../store';
import { PREVIOUS_WEBHOOK_SECRET } from './read-state';
import { DEFAULT_SECRET_OVERLAP_MS } from './rotate-secret';
import { notificationKey, recipientOf, type SystemState, type TenantProfile, type TenantState } from './tenant-state';

export type TenantWriteModels = Pick<
  Models,
  'Tenant' | 'System' | 'DataConnection' | 'Subscription' | 'NotificationRule'
>;

export interface WriteOutcome {
  /** The engines' webhook secret, when this write created the tenant document. */
  webhookSecret?: string;
  /** The subscription moved to another plan (not created with one). */
  planChanged: boolean;
}

/**
 * Makes the store hold `desired` where it holds `current`, writing only what differs. FerretDB has
 * no transactions, so the order matters for an apply that stops half-way: what others point at is
 * written before what points at it (systems, then connections; connections removed before their
 * systems), and a new tenant's document comes last, so a tenant that exists is complete and the
 * next apply of the same spec finishes one that is not (its webhook secret is then made by that
 * apply). Every bulk is at most STORE_BULK_MAX statements and takes update slots.
 */
export async function writeTenantState(
  models: TenantWriteModels,
  current: TenantState,
  desired: TenantState,
  now: Date,
): Promise<WriteOutcome> {
  const { tenantId } = desired;
  const scoped = <T extends object>(filter: T) => ({ tenantId, ...filter });

  const systemsBefore = new Map(current.systems.map((system) => [system.id, system]));
  const systemsWanted = new Set(desired.systems.map((system) => system.id));
  await writeBounded(
    models.System,
    desired.systems.flatMap((system): BulkOperation[] => {
      const before = systemsBefore.get(system.id);
      if (!before) return [{ insertOne: { document: systemDocument(tenantId, system) } }];
      const update = systemUpdate(before, system, now);
      return update ? [{ updateOne: { filter: scoped({ systemId: system.id }), update } }] : [];
    }),
  );

  const connectionsBefore = new Map(current.connections.map((connection) => [connection.id, connection]));
  const connectionsWanted = new Set(desired.connections.map((connection) => connection.id));
  await writeBounded(models.DataConnection, [
    ...current.connections
      .filter((connection) => !connectionsWanted.has(connection.id))
      .map((connection) => ({ deleteOne: { filter: scoped({ connectionId: connection.id }) } })),
    ...desired.connections.flatMap((connection): BulkOperation[] => {
      const before = connectionsBefore.get(connection.id);
      if (!before) return [{ insertOne: { document: connectionDocument(tenantId, connection) } }];
      const update = fieldUpdate(connectionFields(before), connectionFields(connection));
      return update ? [{ updateOne: { filter: scoped({ connectionId: connection.id }), update } }] : [];
    }),
  ]);

  await writeBounded(
    models.System,
    current.systems
      .filter((system) => !systemsWanted.has(system.id))
      .map((system) => ({ deleteOne: { filter: scoped({ systemId: system.id }) } })),
  );

  const rulesWanted = new Set(desired.notifications.map(notificationKey));
  const rulesBefore = new Set(current.notifications.map(notificationKey));
  const ruleFilter = (rule: NotificationSpec) => {
    const recipient = recipientOf(rule);
    return scoped({ trigger: rule.trigger, 'recipient.kind': recipient.kind, 'recipient.target': recipient.target });
  };
  await writeBounded(models.NotificationRule, [
    ...current.notifications
      .filter((rule) => !rulesWanted.has(notificationKey(rule)))
      .map((rule) => ({ deleteOne: { filter: ruleFilter(rule) } })),
    ...desired.notifications
      .filter((rule) => !rulesBefore.has(notificationKey(rule)))
      .map((rule) => ({ insertOne: { document: { tenantId, trigger: rule.trigger, recipient: recipientOf(rule) } } })),
  ]);

  let planChanged = false;
  if (desired.subscription) {
    const { plan: code, billing } = desired.subscription;
    const plan = findPlan(code);
    // The spec's schema lists only catalogue plans; a plan that left the catalogue is refused there.
    if (!plan) throw new Error(`plan ${code} is not in the catalogue`);
    if (!current.subscription) {
      const timezone = desired.profile?.timezone ?? current.profile?.timezone;
      await models.Subscription.create({
        tenantId,
        plan: plan.code,
        includedOrders: plan.includedOrders,
        periodStart: timezone ? periodStartsAt(dayAndPeriod(now, timezone).period, timezone) : now,
        autoTopUp: {
          enabled: true,
          packOrders: DEFAULT_AUTO_TOP_UP_PACK,
          maxPerPeriod: DEFAULT_AUTO_TOP_UPS_PER_PERIOD,
        },
        billing,
      });
    } else {
      const update = fieldUpdate(prefixed('billing', current.subscription.billing), prefixed('billing', billing)) ?? {
        $set: {},
        $unset: {},
      };
      if (current.subscription.plan !== plan.code) {
        // An operator's plan: it applies now, without an invoice (that is chat's `/iex plan`), and
        // replaces a change that waited for the next period.
        planChanged = true;
        Object.assign((update.$set ??= {}), { plan: plan.code, includedOrders: plan.includedOrders });
        Object.assign((update.$unset ??= {}), { pendingPlan: 1 });
      }
      if (Object.keys(update.$set ?? {}).length + Object.keys(update.$unset ?? {}).length > 0) {
        await models.Subscription.updateOne({ tenantId }, compact(update));
      }
    }
  }

  let webhookSecret: string | undefined;
  if (desired.profile) {
    if (!current.profile) {
      webhookSecret = randomBytes(32).toString('hex');
      await models.Tenant.create({ tenantId, ...desired.profile, webhookSecret });
    } else {
      const update = fieldUpdate(profileFields(current.profile), profileFields(desired.profile));
      if (update) await models.Tenant.updateOne({ tenantId }, update);
    }
  }
  return { ...(webhookSecret ? { webhookSecret } : {}), planChanged };
}

function systemDocument(tenantId: string, system: SystemState) {
  return {
    tenantId,
    systemId: system.id,
    kind: system.kind,
    name: system.name,
    role: system.role,
    connected: system.connected,
    settings: system.settings,
    secrets: system.secrets,
  };
}

/** The update of a system that stays; a Shopify webhook secret it replaces is kept for the overlap. */
function systemUpdate(before: SystemState, after: SystemState, now: Date) {
  const update = fieldUpdate(
    {
      name: before.name,
      role: before.role,
      connected: before.connected,
      ...prefixed('settings', before.settings),
      ...prefixed('secrets', before.secrets),
    },
    {
      name: after.name,
      role: after.role,
      connected: after.connected,
      ...prefixed('settings', after.settings),
      ...prefixed('secrets', after.secrets),
    },
  );
  const replaced = before.secrets.webhookSecret;
  if (update && after.kind === 'shopify' && replaced && replaced !== after.secrets.webhookSecret) {
    (update.$set ??= {})[`secrets.${PREVIOUS_WEBHOOK_SECRET}`] = {
      secret: replaced,
      // As long as a rotated engine secret: Shopify's side may lag as an engine's redeploy does.
      until: new Date(now.getTime() + DEFAULT_SECRET_OVERLAP_MS),
    };
  }
  return update;
}

function connectionDocument(tenantId: string, connection: ConnectionSpec) {
  return { tenantId, connectionId: connection.id, ...connectionFields(connection) };
}

function connectionFields(connection: ConnectionSpec): Record<string, unknown> {
  return {
    fromSystemId: connection.from,
    toSystemId: connection.to,
    entity: connection.entity,
    mode: connection.mode,
    cron: connection.cron,
    timezone: connection.timezone,
    active: connection.active,
  };
}

function profileFields(profile: TenantProfile): Record<string, unknown> {
  return {
    name: profile.name,
    active: profile.active,
    timezone: profile.timezone,
    language: profile.language,
    ...prefixed('modules', profile.modules),
    ...prefixed('owner', profile.owner),
  };
}

/** `{ a: 1 }` as `{ 'settings.a': 1 }`: one field each, so an update touches only what changed. */
function prefixed(prefix: string, fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [`${prefix}.${key}`, value]));
}

interface FieldUpdate {
  $set?: Record<string, unknown>;
  $unset?: Record<string, 1>;
}

/** `$set` of the fields whose value differs, `$unset` of those gone; undefined when none differs. */
function fieldUpdate(before: Record<string, unknown>, after: Record<string, unknown>): FieldUpdate | undefined {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const value = after[key];
    if (value === before[key]) continue;
    if (value === undefined) $unset[key] = 1;
    else $set[key] = value;
  }
  const update = compact({ $set, $unset });
  return update.$set || update.$unset ? update : undefined;
}

function compact(update: FieldUpdate): FieldUpdate {
  return {
    ...(update.$set && Object.keys(update.$set).length > 0 ? { $set: update.$set } : {}),
    ...(update.$unset && Object.keys(update.$unset).length > 0 ? { $unset: update.$unset } : {}),
  };
}

type BulkOperation = Record<string, unknown>;

interface BulkTarget {
  bulkWrite(operations: never[], options: { ordered: boolean }): Promise<unknown>;
}

/** Sends `operations` in bulks of at most STORE_BULK_MAX, each holding update slots (store/bounded.ts). */
async function writeBounded(target: BulkTarget, operations: BulkOperation[]): Promise<void> {
  for (const slice of chunked(operations)) {
    await withUpdateSlots(slice.length, () => target.bulkWrite(slice as never[], { ordered: true }));
  }
}
