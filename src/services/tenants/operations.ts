import type { Logger } from '../../config/logger';
import type { TenantSpec } from '../../domain/tenant-spec';
import type { EventProducer } from '../../kafka/producer';
import type { Models } from '../../store';
import { createLinkCode } from '../../store/link-codes';
import { applyTenantSpec } from './apply';
import { TenantNotFound, type ApplyResult, type Operator } from './contract';
import { eraseTenant, type EraseResult } from './erase';
import { exportTenant, type ExportOutput, type ExportSummary } from './export';
import { rotateWebhookSecret, type RotatedSecret } from './rotate-secret';
import { listTenants, readTenantSpec, type TenantListing, type TenantSpecView } from './show';

export interface TenantOperationsDeps {
  models: Models;
  producer: EventProducer;
  logger: Logger;
  /** Where a spec's `{env: NAME}` secrets are read; the process's environment when left out. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Everything an operator does to tenants, in one place for the three doors that do it: the CLI
 * (`npm run tenant`), the admin API (`/admin/v1`) and the `iex.tenants.v1` consumer. The doors only
 * turn their input into these calls and the outcome (or refusal) into their own answer.
 */
export interface TenantOperations {
  apply(spec: TenantSpec, options: { actor: Operator; dryRun?: boolean }): Promise<ApplyResult>;
  list(): Promise<TenantListing[]>;
  /** The tenant as a spec, secrets shown only as set. @throws TenantNotFound */
  show(tenantId: string): Promise<TenantSpecView>;
  /** A one-time code for `/iex link CODE`, valid 24 hours. @throws TenantNotFound */
  linkCode(tenantId: string): Promise<{ code: string; expiresAt: Date }>;
  rotateWebhookSecret(tenantId: string, options: { actor: Operator; overlapMs?: number }): Promise<RotatedSecret>;
  /** Writes the export document to `out`. @throws TenantNotFound */
  exportTo(tenantId: string, out: ExportOutput): Promise<ExportSummary>;
  /** Idempotent: an unknown or erased tenant removes nothing. */
  erase(tenantId: string, options: { actor: Operator }): Promise<EraseResult>;
}

export function createTenantOperations(deps: TenantOperationsDeps): TenantOperations {
  const { models } = deps;
  return {
    apply: (spec, options) => applyTenantSpec(deps, spec, options),
    list: () => listTenants(models),
    show: (tenantId) => readTenantSpec(models, tenantId),
    async linkCode(tenantId) {
      if (!(await models.Tenant.exists({ tenantId }))) throw new TenantNotFound(tenantId);
      return createLinkCode(models, tenantId);
    },
    rotateWebhookSecret: (tenantId, options) => rotateWebhookSecret(deps, tenantId, options),
    exportTo: (tenantId, out) => exportTenant(models, tenantId, out),
    erase: (tenantId, options) => eraseTenant(deps, tenantId, options),
  };
}
