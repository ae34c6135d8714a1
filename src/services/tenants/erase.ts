import type { mongo } from 'mongoose';
import type { Logger } from '../../config/logger';
import type { EventProducer } from '../../kafka/producer';
import { chunked, mapBounded, slackInstallationId, withUpdateSlots, type Models } from '../../store';
import { announceChange } from '../audit/record-change';
import { tenantClaimName, withTenantClaim } from './claim';
import type { Operator } from './contract';
import { anonymiseInvoices } from './anonymise-invoices';
import { keyedByTenant, tenantKeyedModels, UNMODELLED_TENANT_COLLECTIONS } from './tenant-collections';

/**
 * Erases a tenant (issue 13): every document of it in every collection, but its invoices, which
 * bookkeeping law keeps for five years: those stay with the billing contact's personal data and
 * the purchase's audit outbox removed, marked `erasedAt` (anonymise-invoices.ts).
 *
 * Where the tenant's documents are:
 * - under a `tenantId` field: every model whose schema has one (tenantKeyedModels, so a model
 *   added later is erased without an entry here), and `deadLetterReplays` (no model in
 *   createModels);
 * - only in an `_id` or a name: `homeViewers` (`<platform>:<tenant>`), `leases` (`sync:<tenant>:…`,
 *   `runnow:<tenant>:…`, `retry:<tenant>:…`, `digest:<tenant>:…`), and, belt and braces, the view
 *   collections' `view:`/`partitions:`/`days@…:`/`ref@…:`/`run:`/`day:`/`runs:`/`runJobs:` documents;
 * - in another document's key: `mailClaims` (`<mailId>#<attempt>` of the tenant's mails);
 * - not at all, but the customer's: the Slack installation (`team:<workspace>`, bot token and
 *   installer) of each workspace the tenant alone is bound in.
 * Chat delivery claims and their ten-minute lists hold platform event ids only, nothing of a tenant.
 *
 * Each collection is one delete by filter (one pass, as on FerretDB v1 every such filter is) or a
 * few by `_id` lists of STORE_BULK_MAX. The tenant document goes last, so an erasure that stops
 * half-way is finished by running it again; erasing an erased or unknown tenant removes nothing
 * (a redelivered `tenant.deleted` changes nothing). No audit entry: the audit trail goes with the
 * tenant. One log line and, given a producer, `settings.changed` `tenant.erased` on
 * iex.commands.v1 so engines forget the tenant too.
 */

export interface EraseDeps {
  models: Models;
  producer?: EventProducer;
  logger: Logger;
}

export interface EraseResult {
  /** Documents removed, per collection; empty when nothing of the tenant was left. */
  removed: Record<string, number>;
  /** The tenant's invoices, kept anonymised. */
  invoicesKept: number;
}

type Native = mongo.Collection<mongo.Document>;

/**
 * Holds the tenant's change claim throughout (withTenantClaim): an apply cannot write the tenant
 * back while it is being erased. @throws TenantBusy when another change of the tenant is under way.
 */
export async function eraseTenant(
  deps: EraseDeps,
  tenantId: string,
  options: { actor: Operator },
): Promise<EraseResult> {
  if (!tenantId || /[:@#]/.test(tenantId)) throw new Error(`not a tenant id: ${JSON.stringify(tenantId)}`);
  return withTenantClaim(deps.models, tenantId, () => erase(deps, tenantId, options.actor));
}

async function erase({ models, producer, logger }: EraseDeps, tenantId: string, actor: Operator): Promise<EraseResult> {
  const removed: Record<string, number> = {};
  const count = (collection: string, deleted: number) => {
    if (deleted > 0) removed[collection] = (removed[collection] ?? 0) + deleted;
  };
  const deleteWhere = async (collection: string, native: Native, filter: mongo.Filter<mongo.Document>) =>
    count(collection, (await withUpdateSlots(1, () => native.deleteMany(filter))).deletedCount);

  // First, what nothing may find again: the purchase audit outbox on the invoices (else the
  // hourly reconciliation would write the audit entries back).
  const invoicesKept = await anonymiseInvoices(models, tenantId);

  // Keyed by another document of the tenant: before that document goes.
  const mailIds = (await models.Mail.collection.find({ tenantId }, { projection: { mailId: 1 } }).toArray()).map(
    ({ mailId }) => mailId as string,
  );
  for (const slice of chunked(mailIds)) {
    await deleteWhere('mailClaims', models.MailClaim.collection as unknown as Native, { mailId: { $in: slice } });
  }

  const keyed = { $regex: keyedByTenant(tenantId).source };
  await deleteWhere('homeViewers', models.HomeViewers.collection as unknown as Native, { _id: keyed as never });
  // All but the claim this erasure holds, which withTenantClaim releases when it is done.
  await deleteWhere('leases', models.Lease.collection as unknown as Native, {
    name: { ...keyed, $ne: tenantClaimName(tenantId) },
  });

  // Before the bindings they are found through.
  await deleteWhere('slackInstallations', models.SlackInstallation.collection as unknown as Native, {
    _id: { $in: await workspacesOnlyBoundTo(models, tenantId, 'slack') } as never,
  });

  const byField = tenantKeyedModels(models).filter(
    ({ collection }) => collection !== 'tenants' && collection !== 'invoices',
  );
  await mapBounded(byField, 4, ({ collection, Model }) =>
    deleteWhere(collection, Model.collection as unknown as Native, { tenantId }),
  );
  // Documents of the views written without their tenantId field by an earlier version.
  for (const Model of [models.TransferView, models.JobRunView]) {
    await deleteWhere(Model.collection.collectionName, Model.collection as unknown as Native, { _id: keyed as never });
  }
  const db = models.Tenant.db.db;
  if (db) {
    for (const collection of UNMODELLED_TENANT_COLLECTIONS) {
      await deleteWhere(collection, db.collection(collection), { tenantId });
    }
  }

  // Announced before the tenant document goes: an erasure stopped in between finds the tenant
  // again and announces again, so engines hear of it at least once.
  const tenantLeft = (await models.Tenant.exists({ tenantId })) !== null;
  const anything = tenantLeft || Object.values(removed).some((n) => n > 0);
  if (anything && producer) await announceChange({ producer }, { tenantId, actor, action: 'tenant.erased' });

  // Last: while it exists, running the erasure again finds the tenant to finish.
  await deleteWhere('tenants', models.Tenant.collection as unknown as Native, { tenantId });

  if (anything) logger.info({ tenantId, removed, invoicesKept, actor }, 'tenant erased');
  else logger.info({ tenantId, invoicesKept }, 'tenant erasure found nothing left to remove');
  return { removed, invoicesKept };
}

/**
 * The Slack installations (`team:<workspace>`) of the workspaces the tenant is bound in that no
 * other tenant is bound in: the customer's bot token and installer go with the customer. An
 * org-wide (Enterprise Grid) installation serves other workspaces and stays.
 */
async function workspacesOnlyBoundTo(models: Models, tenantId: string, platform: string): Promise<string[]> {
  const bindings = await models.Binding.find({ tenantId, platform }, { workspaceId: 1 }).lean();
  const workspaces = [...new Set(bindings.map(({ workspaceId }) => workspaceId))];
  const shared = await mapBounded(workspaces, 4, (workspaceId) =>
    models.Binding.exists({ platform, workspaceId, tenantId: { $ne: tenantId } }),
  );
  return workspaces.filter((_, index) => !shared[index]).map((teamId) => slackInstallationId({ teamId }));
}
