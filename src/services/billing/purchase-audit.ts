import type { Actor } from '../../domain/commands';
import type { Logger } from '../../config/logger';
import { isDuplicateKeyError, mapBounded, type Models } from '../../store';
import type { Invoice } from '../../store/models';

/**
 * A purchase (a top-up, an upgrade, a period's subscription) and its audit entry cannot exist one
 * without the other. Every purchase issues one invoice under its idempotency key, and the invoice
 * is inserted carrying the audit entry it implies (`audit`): the purchase and what its entry says
 * are one write. The entry in auditEntries is derived from the invoice under an `_id` of its own
 * (`purchaseAuditId`), so it is written once however often it is written: by the purchase right
 * after it completed, and by `reconcilePurchaseAudits` (at start and hourly) for a purchase whose
 * process stopped in between. The invoice's `auditedAt` says the entry is there.
 */

/** What a purchase's audit entry says besides the invoice's figures, which are added to `details`. */
export interface PurchaseAudit {
  actor: Actor;
  /** e.g. 'topup.buy', 'topup.auto', 'subscription.upgrade', 'subscription.period'. */
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

/** The audit entry of the purchase with this idempotency key: one per purchase. */
export const purchaseAuditId = (tenantId: string, idempotencyKey: string) => `purchase:${tenantId}:${idempotencyKey}`;

type AuditModels = Pick<Models, 'Invoice' | 'AuditEntry'>;

/** An invoice as read or created, with its `_id`. */
export type IssuedInvoice = Invoice & { _id?: unknown };

/**
 * Writes the audit entry an invoice carries, if it is not there yet, and marks the invoice audited.
 * An invoice of an earlier version (no `audit`) was audited by the purchase that issued it.
 */
export async function auditPurchase(models: AuditModels, invoice: IssuedInvoice): Promise<void> {
  // An erased tenant's invoice has no audit left to write (its trail was erased with it).
  if (!invoice.audit?.actor || invoice.auditedAt || invoice.erasedAt) return;
  const { actor, action, target, details } = invoice.audit;
  try {
    await models.AuditEntry.create({
      _id: purchaseAuditId(invoice.tenantId, invoice.idempotencyKey),
      tenantId: invoice.tenantId,
      actor: { platform: actor.platform, userId: actor.userId },
      action,
      ...(target ? { target } : {}),
      details: {
        ...(details as Record<string, unknown> | undefined),
        invoiceNumber: invoice.number,
        netOre: invoice.netOre,
        vatOre: invoice.vatOre,
        totalOre: invoice.totalOre,
      },
      // When the purchase was made, whoever writes the entry.
      at: invoice.issuedAt,
    });
  } catch (error) {
    // Written before: by the purchase, another instance or an earlier reconciliation.
    if (!isDuplicateKeyError(error)) throw error;
  }
  await models.Invoice.updateOne(
    invoice._id !== undefined
      ? { _id: invoice._id }
      : { tenantId: invoice.tenantId, idempotencyKey: invoice.idempotencyKey },
    { $set: { auditedAt: new Date() } },
  );
}

/**
 * Writes the audit entries of purchases whose process stopped between the purchase and its entry.
 * Reads the invoices not marked audited (one pass over the collection; invoices are few per
 * tenant and month). Safe to run on several instances at once.
 *
 * @returns how many invoices it audited.
 */
export async function reconcilePurchaseAudits(models: AuditModels, logger?: Logger): Promise<number> {
  const pending = (await models.Invoice.find({
    audit: { $exists: true },
    auditedAt: { $exists: false },
    erasedAt: { $exists: false },
  }).lean()) as IssuedInvoice[];
  if (pending.length === 0) return 0;
  await mapBounded(pending, 4, (invoice) => auditPurchase(models, invoice));
  logger?.warn(
    { invoices: pending.map(({ tenantId, number }) => ({ tenantId, number })) },
    'wrote the audit entries of purchases whose process stopped before it audited them',
  );
  return pending.length;
}
