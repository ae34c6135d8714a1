import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/commands';
import { invoiceLine, invoiceTotals } from '../domain/plans';
import { isDuplicateKeyError, type Models } from '../store';

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
  /**
   * False when the caller records the purchase itself: a chat purchase goes through the changes
   * port, which writes the audit entry and announces it on iex.commands.v1. Default true.
   */
  audit?: boolean;
}

export interface TopUpResult {
  /** False when this key had bought before: nothing new was charged. */
  created: boolean;
  orders: number;
  invoiceNumber: string;
  totalOre: number;
}

function newInvoiceNumber(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `IEX-${day}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

type InvoiceModel = Models['Invoice'];

/** The invoice of a purchase: the existing one for this key, or a new one. */
async function invoiceFor(Invoice: InvoiceModel, request: TopUpRequest, now: Date) {
  const { tenantId, idempotencyKey } = request;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const existing = await Invoice.findOne({ tenantId, idempotencyKey }).lean();
    if (existing) return { invoice: existing, created: false };
    const lines = [invoiceLine(`Top-up: ${request.orders} orders for ${request.period}`, 1, request.priceOre)];
    try {
      const invoice = await Invoice.create({
        tenantId,
        idempotencyKey,
        number: newInvoiceNumber(now),
        lines,
        ...invoiceTotals(lines),
        issuedAt: now,
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

/**
 * Buys a top-up pack once per idempotency key: a double click, a redelivered message or two
 * instances at once all end with one invoice and one top-up. The unique indexes on
 * (tenantId, idempotencyKey) decide, which is exact even on FerretDB.
 */
export async function buyTopUp(
  models: Pick<Models, 'Invoice' | 'TopUp' | 'AuditEntry'>,
  request: TopUpRequest,
): Promise<TopUpResult> {
  const now = request.now ?? new Date();
  const { invoice } = await invoiceFor(models.Invoice, request, now);
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
  if (created && request.audit !== false) {
    await models.AuditEntry.create({
      tenantId: request.tenantId,
      actor: request.actor,
      action: request.auto ? 'topup.auto' : 'topup.buy',
      target: request.period,
      details: { orders: request.orders, invoiceNumber: invoice.number, totalOre: invoice.totalOre },
      at: now,
    });
  }
  return { created, orders: request.orders, invoiceNumber: invoice.number, totalOre: invoice.totalOre };
}
