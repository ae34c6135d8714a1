import type { Actor } from '../../domain/commands';
import { invoiceLine } from '../../domain/plans';
import { isDuplicateKeyError, type Models } from '../../store';
import { issueInvoice } from './invoices';
import { auditPurchase } from './purchase-audit';

export interface TopUpRequest {
  tenantId: string;
  /** 'YYYY-MM': the period whose allowance it raises. */
  period: string;
  orders: number;
  priceOre: number;
  auto: boolean;
  /** One key per purchase intent (a chat click, the n-th automatic pack of a period). */
  idempotencyKey: string;
  actor: Actor;
  now?: Date;
  /** The person's name as chat shows it, for the audit entry. */
  by?: string;
}

export interface TopUpResult {
  /** False when this key had bought before: nothing new was charged. */
  created: boolean;
  orders: number;
  invoiceNumber: string;
  totalOre: number;
}

/**
 * Buys a top-up pack once per idempotency key: a double click, a redelivered message or two
 * instances at once all end with one invoice and one top-up. The unique indexes on
 * (tenantId, idempotencyKey) of invoices and top-ups decide, which is exact even on FerretDB.
 * Its audit entry ('topup.auto' or 'topup.buy') comes from the invoice: written here once the
 * top-up is in, or by the reconciliation if the process stops first (purchase-audit.ts).
 */
export async function buyTopUp(
  models: Pick<Models, 'Invoice' | 'Tenant' | 'TopUp' | 'AuditEntry'>,
  request: TopUpRequest,
): Promise<TopUpResult> {
  const now = request.now ?? new Date();
  const { invoice } = await issueInvoice(models, {
    tenantId: request.tenantId,
    idempotencyKey: request.idempotencyKey,
    lines: (t) => [
      invoiceLine(
        t.t('invoices.topUp', { orders: String(request.orders), period: request.period }),
        1,
        request.priceOre,
      ),
    ],
    audit: {
      actor: request.actor,
      action: request.auto ? 'topup.auto' : 'topup.buy',
      target: request.period,
      details: { orders: request.orders, ...(request.by ? { by: request.by } : {}) },
    },
    now,
  });
  let created = true;
  try {
    await models.TopUp.create({
      tenantId: request.tenantId,
      period: request.period,
      orders: request.orders,
      priceOre: request.priceOre,
      auto: request.auto,
      invoiceNumber: invoice.number,
      idempotencyKey: request.idempotencyKey,
      at: now,
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    created = false;
  }
  // Also when this key bought before: a purchase whose process stopped before its entry gets it now.
  await auditPurchase(models, invoice);
  return { created, orders: request.orders, invoiceNumber: invoice.number, totalOre: invoice.totalOre };
}
