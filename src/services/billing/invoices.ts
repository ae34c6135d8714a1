import { randomBytes } from 'node:crypto';
import { invoiceTotals, type InvoiceLine } from '../../domain/plans';
import { isDuplicateKeyError, type Models } from '../../store';
import type { Invoice } from '../../store/models';
import type { PurchaseAudit } from './purchase-audit';
import { pickLanguage, translator, type Translator } from '../../i18n';

export interface IssueRequest {
  tenantId: string;
  /** One key per purchase intent: `plan:2026-12`, `upgrade:2026-11:standard:business`, `chat:…`. */
  idempotencyKey: string;
  /** Built only when no invoice has this key yet, worded in the tenant's language (an invoice keeps its words). */
  lines: (t: Translator) => InvoiceLine[];
  /** The audit entry the purchase implies, kept on the invoice (see purchase-audit.ts). */
  audit: PurchaseAudit;
  now: Date;
}

export interface Issued {
  invoice: Invoice;
  /** False when an invoice with this key existed: nothing new was charged. */
  created: boolean;
}

function newInvoiceNumber(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `IEX-${day}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/**
 * The invoice for a purchase: the existing one for its key, or a new one. The unique index on
 * (tenantId, idempotencyKey) decides between concurrent buyers — the one write FerretDB makes
 * exact — so a double click, a replay or two instances issue one invoice.
 */
export async function issueInvoice(
  { Invoice, Tenant }: Pick<Models, 'Invoice' | 'Tenant'>,
  request: IssueRequest,
): Promise<Issued> {
  const { tenantId, idempotencyKey, now } = request;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const existing = await Invoice.findOne({ tenantId, idempotencyKey }).lean();
    if (existing) return { invoice: existing, created: false };
    const tenant = await Tenant.findOne({ tenantId }, { language: 1 }).lean();
    const lines = request.lines(translator(pickLanguage(undefined, tenant?.language ?? undefined)));
    try {
      const invoice = await Invoice.create({
        tenantId,
        idempotencyKey,
        number: newInvoiceNumber(now),
        lines,
        ...invoiceTotals(lines),
        issuedAt: now,
        audit: request.audit,
      });
      return { invoice: invoice.toObject(), created: true };
    } catch (error) {
      // Another buyer with the same key won (then the loop finds its invoice), or the random
      // invoice number collided (then the loop draws another).
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`could not issue an invoice for ${tenantId}/${idempotencyKey}`);
}
