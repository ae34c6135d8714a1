import type { ConnectionSpec, NotificationSpec, SystemSpec, TenantSpec } from '../../domain/tenant-spec';

/**
 * A tenant as apply compares it: the spec's shape with secrets resolved to their values, read from
 * the store (current) or made from a spec (desired). Parts the store may lack — a creation that
 * stopped half-way writes the tenant document last — are optional, so a later apply finishes it.
 */

export type SettingValue = string | number | boolean;

export interface TenantProfile {
  name: string;
  active: boolean;
  timezone: string;
  language: TenantSpec['language'];
  modules: { orders: boolean; products: boolean; stock: boolean };
  /** Optional: a tenant made before specs (the demo) has none. */
  owner: { name?: string; email?: string; phone?: string };
}

export interface BillingContact {
  company?: string;
  vatNumber?: string;
  email?: string;
  address?: string;
}

export interface SubscriptionTerms {
  plan: string;
  billing: BillingContact;
}

export interface SystemState extends Omit<SystemSpec, 'secrets' | 'settings'> {
  settings: Record<string, SettingValue>;
  /** Values, never shown: compared, then written. */
  secrets: Record<string, string>;
}

export interface TenantState {
  tenantId: string;
  /** The tenant document; absent before it is created. */
  profile?: TenantProfile;
  subscription?: SubscriptionTerms;
  systems: SystemState[];
  connections: ConnectionSpec[];
  notifications: NotificationSpec[];
}

/** Whom invoices go to: the spec's billing, its gaps filled from the owner. */
export function billingOf(spec: Pick<TenantSpec, 'billing' | 'owner'>): BillingContact {
  const { billing, owner } = spec;
  return withoutUndefined({
    company: billing?.company ?? owner.name,
    vatNumber: billing?.vatNumber,
    email: billing?.email ?? owner.email,
    address: billing?.address,
  });
}

/** The state a spec asks for, its secrets already resolved (`resolveSecrets`), per system in spec order. */
export function desiredState(spec: TenantSpec, secrets: ReadonlyArray<Record<string, string>>): TenantState {
  return {
    tenantId: spec.id,
    profile: {
      name: spec.name,
      active: spec.active,
      timezone: spec.timezone,
      language: spec.language,
      modules: { ...spec.modules },
      owner: withoutUndefined({ name: spec.owner.name, email: spec.owner.email, phone: spec.owner.phone }),
    },
    subscription: { plan: spec.plan, billing: billingOf(spec) },
    systems: spec.systems.map((system, index) => ({
      ...system,
      settings: { ...system.settings },
      secrets: secrets[index] ?? {},
    })),
    connections: spec.connections.map((connection) => withoutUndefined({ ...connection })),
    notifications: spec.notifications.map((rule) => ({ ...rule })),
  };
}

/** How a notification rule is named in a diff and keyed in the store: `transfer.failed email:ops@acme.dk`. */
export function notificationKey(rule: NotificationSpec): string {
  return 'email' in rule ? `${rule.trigger} email:${rule.email}` : `${rule.trigger} ${rule.platform}:${rule.channel}`;
}

/** A notification rule's recipient as the NotificationRule model keeps it. */
export function recipientOf(rule: NotificationSpec): { kind: string; target: string } {
  return 'email' in rule ? { kind: 'email', target: rule.email } : { kind: rule.platform, target: rule.channel };
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
