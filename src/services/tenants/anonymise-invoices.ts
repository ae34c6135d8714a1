import type { mongo } from 'mongoose';
import { mapBounded, withUpdateSlots, type Models } from '../../store';

/**
 * What an erased tenant's invoice keeps: what bookkeeping needs (number, lines, amounts, date, whose
 * and which purchase) and nothing about a person. Everything else goes: the billing contact a later
 * version may copy onto an invoice (company, VAT number, e-mail, address, a name) and the
 * purchase's audit outbox (`audit`: who clicked, in chat), which would otherwise make the hourly
 * reconciliation write the erased audit entries back (billing/purchase-audit.ts reads only
 * invoices that still carry it, and none marked `erasedAt`).
 */
const KEPT = new Set([
  '_id',
  'tenantId',
  'number',
  'lines',
  'netOre',
  'vatOre',
  'totalOre',
  'issuedAt',
  'idempotencyKey',
  'auditedAt',
  'erasedAt',
  'createdAt',
  'updatedAt',
  '__v',
]);

/**
 * Rewrites each invoice of the tenant with its kept fields only, marked `erasedAt`; an invoice
 * rewritten before is left alone. Returns how many invoices the tenant has.
 */
export async function anonymiseInvoices(models: Pick<Models, 'Invoice'>, tenantId: string, now = new Date()) {
  const invoices = models.Invoice.collection as unknown as mongo.Collection<mongo.Document>;
  // Invoices are few per tenant (one a month, and its top-ups): read whole.
  const docs = await invoices.find({ tenantId }).toArray();
  const changed = docs.filter((doc) => !doc.erasedAt || Object.keys(doc).some((key) => !KEPT.has(key)));
  await mapBounded(changed, 4, (doc) => {
    const kept = Object.fromEntries(Object.entries(doc).filter(([key]) => KEPT.has(key) && key !== '_id'));
    return withUpdateSlots(1, () =>
      invoices.replaceOne({ _id: doc._id }, { ...kept, erasedAt: doc.erasedAt ?? now, updatedAt: now }),
    );
  });
  return docs.length;
}
