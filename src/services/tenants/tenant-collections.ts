import type { Models } from '../../store';

/**
 * Where a tenant's documents are, for export and erasure. Every model whose schema has a
 * `tenantId` path holds the tenant's documents under that field, so a model added later is
 * covered without an entry here. The few collections that key a tenant's documents by `_id`
 * alone, or that no model of `createModels` covers, are named below.
 */

type AnyModel = Models[keyof Models];

export interface TenantCollection {
  /** The model's name in `Models` (`Transfer`, `AuditEntry`, …). */
  model: string;
  /** Its collection's name (`transfers`, `auditEntries`, …): how export and erase name it. */
  collection: string;
  Model: AnyModel;
}

/** The models whose documents carry the tenant in a `tenantId` field, in `createModels` order. */
export function tenantKeyedModels(models: Models): TenantCollection[] {
  return (Object.entries(models) as Array<[string, AnyModel]>)
    .filter(([, Model]) => Model.schema.path('tenantId') !== undefined)
    .map(([model, Model]) => ({ model, collection: Model.collection.collectionName, Model }));
}

/** Top-level fields a schema never selects unless asked (`select: false`): secrets. */
export function unselectedPaths(Model: AnyModel): string[] {
  const paths: string[] = [];
  Model.schema.eachPath((path, type) => {
    if ((type.options as { select?: unknown } | undefined)?.select === false) paths.push(path);
  });
  return paths;
}

/** A regular expression matching `text` literally. */
export const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `_id`s (or names) of the shape `<kind>:<tenant>` or `<kind>:<tenant>:…` (also `@`, `#` after the
 * tenant): transfer views (`view:`, `partitions:`, `days@<p>:`, `ref@<p>:`, `ref:`, `run:`, `day:`), job-run
 * views (`runs:`, `runJobs:`), home viewers (`<platform>:`), leases (`sync:`, `runnow:`, `retry:`,
 * `digest:`). Tenant ids hold no ':' (tenant-spec SPEC_ID), so `acme` never matches `acme-2`'s.
 */
export const keyedByTenant = (tenantId: string) => new RegExp(`^[^:]+:${literal(tenantId)}(?:[:@#]|$)`);

/** Collections outside `createModels` holding a tenant's documents under `tenantId`. */
export const UNMODELLED_TENANT_COLLECTIONS = ['deadLetterReplays'] as const;
