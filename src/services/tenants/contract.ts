import type { Actor } from '../../domain/commands';
import type { SpecProblem } from '../../domain/tenant-spec';

/**
 * What the three doors of tenant management (the CLI, the admin API, the `iex.tenants.v1`
 * consumer) share: who acts, what a change looks like, and the refusals each door turns into
 * its own answer (exit code, HTTP status, dead letter).
 */

/** Who applies, rotates or erases: audited and announced under this actor. */
export type Operator = Actor;

/** One difference between the store and a spec, as a diff line; a secret's value never appears. */
export interface SpecChange {
  /** Where, in spec terms: `connections[shopify-economic-orders].cron`, `systems[shopify]`. */
  path: string;
  change: 'added' | 'changed' | 'removed';
  /** The old and new value as text; `(secret)` for a secret, absent for a whole added or removed item. */
  from?: string;
  to?: string;
}

export interface ApplyResult {
  tenantId: string;
  /** True when this apply created the tenant. */
  created: boolean;
  /** Empty: "no changes". */
  changes: SpecChange[];
  /** False for a dry run and for a spec that changed nothing. */
  applied: boolean;
  /** The engines' webhook secret, only when this apply created the tenant: shown once, never again. */
  webhookSecret?: string;
}

/** The spec cannot be applied as it is (bad field, a missing environment variable, …): 400 / exit 1. */
export class TenantSpecRefused extends Error {
  constructor(readonly problems: SpecProblem[]) {
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '));
    this.name = 'TenantSpecRefused';
  }
}

/** Another apply, rotation or erasure of the same tenant is under way: 409, try again. */
export class TenantBusy extends Error {
  constructor(readonly tenantId: string) {
    super(`tenant ${tenantId} is being changed by another request; try again in a moment`);
    this.name = 'TenantBusy';
  }
}

/** 404 / exit 1. */
export class TenantNotFound extends Error {
  constructor(readonly tenantId: string) {
    super(`there is no tenant ${tenantId}`);
    this.name = 'TenantNotFound';
  }
}
