import { DEFAULT_TIMEZONE } from '../../domain/closed-lists';
import {
  DEFAULT_LANGUAGE,
  type ConnectionSpec,
  type NotificationSpec,
  type TenantSpec,
} from '../../domain/tenant-spec';
import type { Models } from '../../store';
import { withoutUndefined, type SettingValue, type SystemState, type TenantState } from './tenant-state';

/**
 * Where a Shopify system keeps the webhook secret a change replaced, still accepted until its
 * `until` (src/ingest/tenant-secrets.ts): the service's bookkeeping, not a secret a spec gives.
 */
export const PREVIOUS_WEBHOOK_SECRET = 'previousWebhookSecret';

export type TenantStateModels = Pick<
  Models,
  'Tenant' | 'System' | 'DataConnection' | 'Subscription' | 'NotificationRule'
>;

/**
 * The tenant as the store holds it now, secrets included (for comparing: callers never show
 * them). Each collection is read once, scoped by tenant; the systems' secrets only here.
 */
export async function readTenantState(models: TenantStateModels, tenantId: string): Promise<TenantState> {
  const [tenant, subscription, systems, connections, rules] = await Promise.all([
    models.Tenant.findOne({ tenantId }).lean(),
    models.Subscription.findOne({ tenantId }, { plan: 1, billing: 1 }).lean(),
    models.System.find({ tenantId }).select('+secrets').lean(),
    models.DataConnection.find({ tenantId }).lean(),
    models.NotificationRule.find({ tenantId }, { trigger: 1, recipient: 1 }).lean(),
  ]);
  return {
    tenantId,
    ...(tenant
      ? {
          profile: {
            name: tenant.name,
            active: tenant.active !== false,
            timezone: tenant.timezone ?? DEFAULT_TIMEZONE,
            language: (tenant.language ?? DEFAULT_LANGUAGE) as TenantSpec['language'],
            modules: {
              orders: tenant.modules?.orders !== false,
              products: tenant.modules?.products !== false,
              stock: tenant.modules?.stock !== false,
            },
            owner: withoutUndefined({
              name: tenant.owner?.name ?? undefined,
              email: tenant.owner?.email ?? undefined,
              phone: tenant.owner?.phone ?? undefined,
            }),
          },
        }
      : {}),
    ...(subscription
      ? {
          subscription: {
            plan: subscription.plan,
            billing: withoutUndefined({
              company: subscription.billing?.company ?? undefined,
              vatNumber: subscription.billing?.vatNumber ?? undefined,
              email: subscription.billing?.email ?? undefined,
              address: subscription.billing?.address ?? undefined,
            }),
          },
        }
      : {}),
    systems: systems
      .map((system): SystemState => ({
        id: system.systemId,
        kind: system.kind as SystemState['kind'],
        name: system.name,
        role: system.role as SystemState['role'],
        connected: system.connected !== false,
        settings: settingsOf(system.settings),
        secrets: secretsOf(system.secrets),
      }))
      .sort(byId),
    connections: connections
      .map((connection): ConnectionSpec =>
        withoutUndefined({
          id: connection.connectionId,
          from: connection.fromSystemId,
          to: connection.toSystemId,
          entity: connection.entity as ConnectionSpec['entity'],
          mode: connection.mode as ConnectionSpec['mode'],
          cron: connection.cron ?? undefined,
          timezone: connection.timezone ?? undefined,
          active: connection.active !== false,
        }),
      )
      .sort(byId),
    notifications: rules.flatMap(({ trigger, recipient }): NotificationSpec[] =>
      !recipient
        ? []
        : recipient.kind === 'email'
          ? [{ trigger: trigger as NotificationSpec['trigger'], email: recipient.target }]
          : [{ trigger: trigger as NotificationSpec['trigger'], platform: recipient.kind, channel: recipient.target }],
    ),
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Settings as a spec gives them; a value of another shape (none is written so) compares as its JSON. */
function settingsOf(stored: unknown): Record<string, SettingValue> {
  if (!stored || typeof stored !== 'object') return {};
  return Object.fromEntries(
    Object.entries(stored as Record<string, unknown>)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [
        key,
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? value
          : JSON.stringify(value),
      ]),
  );
}

function secretsOf(stored: unknown): Record<string, string> {
  if (!stored || typeof stored !== 'object') return {};
  return Object.fromEntries(
    Object.entries(stored as Record<string, unknown>).filter(
      (entry): entry is [string, string] => entry[0] !== PREVIOUS_WEBHOOK_SECRET && typeof entry[1] === 'string',
    ),
  );
}
