import type { Logger } from '../../config/logger';
import { dayAndPeriod } from '../../domain/periods';
import { tenantSpecSchema, specPath, type SpecProblem, type TenantSpec } from '../../domain/tenant-spec';
import type { EventProducer } from '../../kafka/producer';
import type { Models } from '../../store';
import { announceChange } from '../audit/record-change';
import { releaseQuotaHold } from '../billing/quota-release';
import { reconcileSyncSchedules } from '../connection-sync/schedules';
import { withTenantClaim } from './claim';
import { TenantSpecRefused, type ApplyResult, type Operator, type SpecChange } from './contract';
import { diffTenantState } from './diff';
import { readTenantState } from './read-state';
import { unsafeChanges } from './refusals';
import { resolveSecrets } from './resolve-secrets';
import { desiredState, type TenantState } from './tenant-state';
import { writeTenantState } from './write-state';

export interface ApplyDeps {
  models: Models;
  producer: EventProducer;
  logger: Logger;
  /** Where `{env: NAME}` secrets are read; the process's environment when left out. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface ApplyOptions {
  actor: Operator;
  /** Compute and return the changes; write and announce nothing. */
  dryRun?: boolean;
}

/**
 * Makes the store hold what `spec` describes, changing exactly what differs: the tenant, its
 * subscription, systems, connections (and their scheduled jobs) and notification rules. Items the
 * spec leaves out are removed; members, workspaces, usage, transfers and invoices are not the
 * spec's and are never touched. A spec that changes nothing writes nothing, not even an audit
 * entry. A change is audited (`tenant.created` / `tenant.applied`, change paths only) and announced
 * on iex.commands.v1 as `settings.changed` with action `tenant.applied`, so engines follow.
 *
 * @throws TenantSpecRefused naming every path that cannot be applied (invalid field, missing
 *   environment variable, a system's kind or a connection's entity changed in place); nothing is
 *   written then.
 * @throws TenantBusy while another apply, rotation or erasure of the tenant runs.
 */
export async function applyTenantSpec(deps: ApplyDeps, spec: TenantSpec, options: ApplyOptions): Promise<ApplyResult> {
  const { models, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const desired = desiredOf(spec, deps.env ?? process.env);
  const tenantId = desired.tenantId;

  const plan = async () => {
    const current = await readTenantState(models, tenantId);
    const problems = unsafeChanges(current, desired);
    if (problems.length > 0) throw new TenantSpecRefused(problems);
    return { current, changes: diffTenantState(current, desired) };
  };

  // Looked at before claiming: a dry run and a spec already in force leave no trace, not even a claim.
  const preview = await plan();
  const created = !preview.current.profile;
  if (options.dryRun || preview.changes.length === 0) {
    return { tenantId, created: options.dryRun === true && created, changes: preview.changes, applied: false };
  }

  return withTenantClaim(models, tenantId, async () => {
    // Read again under the claim: what another change wrote since the preview counts.
    const { current, changes } = await plan();
    if (changes.length === 0) return { tenantId, created: false, changes, applied: false };
    const at = now();
    const outcome = await writeTenantState(models, current, desired, at);
    // The scheduler reconciles every JOB_RELOAD_SECONDS; done now, `/iex jobs` shows the new schedules at once.
    await reconcileSyncSchedules({ models, logger }, at);
    if (outcome.planChanged && desired.profile) {
      // More included orders may lift a quota hold: the engines are told, as after an upgrade from chat.
      const { period } = dayAndPeriod(at, desired.profile.timezone);
      await releaseQuotaHold(deps, tenantId, period, options.actor, at);
    }
    const isNew = outcome.webhookSecret !== undefined;
    await recordApply(deps, { tenantId, actor: options.actor, created: isNew, changes, at });
    logger.info({ tenantId, created: isNew, changes: changes.length }, 'tenant spec applied');
    return {
      tenantId,
      created: isNew,
      changes,
      applied: true,
      ...(outcome.webhookSecret ? { webhookSecret: outcome.webhookSecret } : {}),
    };
  });
}

/** The state the spec asks for, or every problem that keeps it from being applied. */
function desiredOf(spec: TenantSpec, env: NodeJS.ProcessEnv): TenantState {
  // Checked again: a door may build a spec in code, and the cross-field rules (a connection's
  // systems exist, one Shopify system) are what keep the writes below consistent.
  const checked = tenantSpecSchema.safeParse(spec);
  if (!checked.success) {
    throw new TenantSpecRefused(
      checked.error.issues.map((issue): SpecProblem => ({
        path: specPath(issue.path) || '(spec)',
        message: issue.message,
      })),
    );
  }
  const { secrets, problems } = resolveSecrets(checked.data, env);
  if (problems.length > 0) throw new TenantSpecRefused(problems);
  return desiredState(checked.data, secrets);
}

/**
 * The audit entry (paths only: no values, so never a secret) and the engines' command, which
 * carries the diff lines (secrets as `(secret)`). A creation is audited as such; engines hear of
 * every apply alike.
 */
async function recordApply(
  deps: Pick<ApplyDeps, 'models' | 'producer'>,
  change: { tenantId: string; actor: Operator; created: boolean; changes: SpecChange[]; at: Date },
): Promise<void> {
  const { tenantId, actor, created, changes, at } = change;
  await deps.models.AuditEntry.create({
    tenantId,
    actor: { platform: actor.platform, userId: actor.userId },
    action: created ? 'tenant.created' : 'tenant.applied',
    target: tenantId,
    details: { changes: changes.map(({ path, change: kind }) => ({ path, change: kind })) },
    at,
  });
  await announceChange(
    deps,
    { tenantId, actor, action: 'tenant.applied', target: tenantId, details: { created, changes } },
    at,
  );
}
