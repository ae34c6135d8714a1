import type { SpecChange } from './contract';
import { notificationKey, type SettingValue, type SystemState, type TenantState } from './tenant-state';

/** What a diff line shows instead of a secret's value. */
export const SECRET_SHOWN = '(secret)';

type Scalar = SettingValue | undefined;

/**
 * The changes that make `current` into `desired`, as diff lines named by spec path
 * (`systems[shopify].settings.shopDomain`, `connections[orders].cron`,
 * `notifications[transfer.failed email:ops@acme.dk]`). Items are named by id, not position, so
 * reordering a spec changes nothing. Secrets are compared by value and shown as `(secret)`.
 * Empty: the store already matches.
 */
export function diffTenantState(current: TenantState, desired: TenantState): SpecChange[] {
  const changes: SpecChange[] = [];
  const field = (path: string, from: Scalar, to: Scalar, secret = false) => {
    if (from === to) return;
    const change: SpecChange = {
      path,
      change: from === undefined ? 'added' : to === undefined ? 'removed' : 'changed',
    };
    if (from !== undefined) change.from = secret ? SECRET_SHOWN : shown(from, to);
    if (to !== undefined) change.to = secret ? SECRET_SHOWN : shown(to, from);
    changes.push(change);
  };

  const was = current.profile;
  const will = desired.profile;
  if (will) {
    field('name', was?.name, will.name);
    field('active', was?.active, will.active);
    field('timezone', was?.timezone, will.timezone);
    field('language', was?.language, will.language);
    for (const module of ['orders', 'products', 'stock'] as const) {
      field(`modules.${module}`, was?.modules[module], will.modules[module]);
    }
    field('owner.name', was?.owner.name, will.owner.name);
    field('owner.email', was?.owner.email, will.owner.email);
    field('owner.phone', was?.owner.phone, will.owner.phone);
  }
  if (desired.subscription) {
    const had = current.subscription;
    field('plan', had?.plan, desired.subscription.plan);
    for (const key of ['company', 'vatNumber', 'email', 'address'] as const) {
      field(`billing.${key}`, had?.billing[key], desired.subscription.billing[key]);
    }
  }

  diffItems(
    changes,
    'systems',
    current.systems,
    desired.systems,
    (system) => system.id,
    (path, from, to) => diffSystem(field, path, from, to),
  );
  diffItems(
    changes,
    'connections',
    current.connections,
    desired.connections,
    (connection) => connection.id,
    (path, from, to) => {
      field(`${path}.from`, from.from, to.from);
      field(`${path}.to`, from.to, to.to);
      field(`${path}.entity`, from.entity, to.entity);
      field(`${path}.mode`, from.mode, to.mode);
      field(`${path}.cron`, from.cron, to.cron);
      field(`${path}.timezone`, from.timezone, to.timezone);
      field(`${path}.active`, from.active, to.active);
    },
  );
  diffItems(changes, 'notifications', current.notifications, desired.notifications, notificationKey, () => {
    // A rule is all key: an "changed" rule is one removed and another added.
  });
  return changes;
}

/** Removed items (in store order), then added and changed ones in the desired (spec) order. */
function diffItems<T>(
  changes: SpecChange[],
  list: string,
  current: readonly T[],
  desired: readonly T[],
  keyOf: (item: T) => string,
  diffOne: (path: string, from: T, to: T) => void,
): void {
  const had = new Map(current.map((item) => [keyOf(item), item]));
  const wanted = new Set(desired.map(keyOf));
  for (const key of had.keys()) {
    if (!wanted.has(key)) changes.push({ path: `${list}[${key}]`, change: 'removed' });
  }
  for (const item of desired) {
    const key = keyOf(item);
    const before = had.get(key);
    if (before === undefined) changes.push({ path: `${list}[${key}]`, change: 'added' });
    else diffOne(`${list}[${key}]`, before, item);
  }
}

function diffSystem(
  field: (path: string, from: Scalar, to: Scalar, secret?: boolean) => void,
  path: string,
  from: SystemState,
  to: SystemState,
): void {
  field(`${path}.kind`, from.kind, to.kind);
  field(`${path}.name`, from.name, to.name);
  field(`${path}.role`, from.role, to.role);
  field(`${path}.connected`, from.connected, to.connected);
  for (const key of keysOf(from.settings, to.settings)) {
    field(`${path}.settings.${key}`, from.settings[key], to.settings[key]);
  }
  for (const key of keysOf(from.secrets, to.secrets)) {
    field(`${path}.secrets.${key}`, from.secrets[key], to.secrets[key], true);
  }
}

/** The keys of both records: the current one's first, then new ones, each once. */
function keysOf(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** A value as text; quoted when the other side reads the same but has another type (`123` → `"123"`). */
function shown(value: SettingValue, other: Scalar): string {
  const text = String(value);
  return other !== undefined && String(other) === text ? JSON.stringify(value) : text;
}

/** A change as a diff line: `~ connections[orders].cron: 0 * * * * → 0 6 * * *`. */
export function describeChange(change: SpecChange): string {
  const sign = change.change === 'added' ? '+' : change.change === 'removed' ? '-' : '~';
  const values =
    change.from !== undefined && change.to !== undefined
      ? `: ${change.from} → ${change.to}`
      : change.to !== undefined
        ? `: ${change.to}`
        : change.from !== undefined
          ? ` (was ${change.from})`
          : '';
  return `${sign} ${change.path}${values}`;
}
