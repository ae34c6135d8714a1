import type { ConnectionSpec, NotificationSpec } from '../../domain/tenant-spec';
import type { Models } from '../../store';
import { TenantNotFound } from './contract';
import { readTenantState } from './read-state';
import { SECRET_SET } from './resolve-secrets';
import { billingOf, type BillingContact, type SettingValue, type TenantProfile } from './tenant-state';

/** A tenant as a spec shows it: every secret that is set reads `(set)`, never its value. */
export interface TenantSpecView extends TenantProfile {
  id: string;
  /** Absent for a tenant without a subscription. */
  plan?: string;
  systems: Array<{
    id: string;
    kind: string;
    name: string;
    role: string;
    settings: Record<string, SettingValue>;
    secrets: Record<string, typeof SECRET_SET>;
    connected: boolean;
  }>;
  connections: ConnectionSpec[];
  notifications: NotificationSpec[];
  /** Only where it is not the owner's name and e-mail (what a spec without billing gets). */
  billing?: BillingContact;
}

/** `show ID`: the tenant in the spec's terms, its secrets hidden. */
export async function readTenantSpec(
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection' | 'Subscription' | 'NotificationRule'>,
  tenantId: string,
): Promise<TenantSpecView> {
  const state = await readTenantState(models, tenantId);
  if (!state.profile) throw new TenantNotFound(tenantId);
  const { profile, subscription } = state;
  const billing = subscription?.billing ?? {};
  const ownersBilling =
    profile.owner.name !== undefined && profile.owner.email !== undefined
      ? billingOf({ owner: { name: profile.owner.name, email: profile.owner.email } })
      : undefined;
  const sameAsOwner =
    ownersBilling !== undefined &&
    (['company', 'vatNumber', 'email', 'address'] as const).every((key) => billing[key] === ownersBilling[key]);
  return {
    id: tenantId,
    name: profile.name,
    ...(subscription ? { plan: subscription.plan } : {}),
    timezone: profile.timezone,
    language: profile.language,
    active: profile.active,
    modules: profile.modules,
    systems: state.systems.map((system) => ({
      ...system,
      secrets: Object.fromEntries(Object.keys(system.secrets).map((key) => [key, SECRET_SET] as const)),
    })),
    connections: state.connections,
    notifications: state.notifications,
    owner: profile.owner,
    ...(Object.keys(billing).length > 0 && !sameAsOwner ? { billing } : {}),
  };
}

export interface TenantListing {
  tenantId: string;
  name: string;
  plan?: string;
  active: boolean;
  language: string;
  systems: number;
  connections: number;
  /** Chat workspaces (Slack) or servers (Discord) linked to it, not counting those the bot was removed from. */
  workspaces: number;
}

/**
 * `list`: every tenant with its plan and counts, by tenant id. An operator's look, not a hot path:
 * each collection is read once (its `tenantId`s only) rather than once per tenant.
 */
export async function listTenants(
  models: Pick<Models, 'Tenant' | 'Subscription' | 'System' | 'DataConnection' | 'Binding'>,
): Promise<TenantListing[]> {
  const [tenants, subscriptions, systems, connections, bindings] = await Promise.all([
    models.Tenant.find({}, { tenantId: 1, name: 1, active: 1, language: 1 }).lean(),
    models.Subscription.find({}, { tenantId: 1, plan: 1 }).lean(),
    models.System.find({}, { tenantId: 1 }).lean(),
    models.DataConnection.find({}, { tenantId: 1 }).lean(),
    models.Binding.find({}, { tenantId: 1, platform: 1, workspaceId: 1, goneAt: 1 }).lean(),
  ]);
  const plans = new Map(subscriptions.map(({ tenantId, plan }) => [tenantId, plan]));
  const count = (docs: ReadonlyArray<{ tenantId: string }>) => {
    const counts = new Map<string, number>();
    for (const { tenantId } of docs) counts.set(tenantId, (counts.get(tenantId) ?? 0) + 1);
    return (tenantId: string) => counts.get(tenantId) ?? 0;
  };
  // A workspace bound channel by channel is one workspace.
  const linked = new Map(
    bindings
      .filter((binding) => !binding.goneAt)
      .map((binding) => [`${binding.tenantId}:${binding.platform}:${binding.workspaceId}`, binding]),
  );
  const [systemsOf, connectionsOf, workspacesOf] = [count(systems), count(connections), count([...linked.values()])];
  return tenants
    .map((tenant): TenantListing => {
      const plan = plans.get(tenant.tenantId);
      return {
        tenantId: tenant.tenantId,
        name: tenant.name,
        ...(plan ? { plan } : {}),
        active: tenant.active !== false,
        language: tenant.language ?? 'da',
        systems: systemsOf(tenant.tenantId),
        connections: connectionsOf(tenant.tenantId),
        workspaces: workspacesOf(tenant.tenantId),
      };
    })
    .sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
}
