import { z } from 'zod';
import { formatDkk, VAT_PERCENT } from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
import { defineAction, type CommandContext } from '../define';
import { UserError } from '../errors';
import { pageControls } from '../paging';
import type { InvoiceDetail, InvoiceView } from '../ports/billing';
import { actions, button, context, fields, header, reply, text, type Block, type Reply } from '../../chat/reply';

// `/iex subscription invoice NUMBER` and `invoices`: read-only, so viewers may use them.

const INVOICES_PER_PAGE = 10;
export const INVOICE_USAGE = '/iex subscription invoice NUMBER';

export function invoiceLines(invoices: InvoiceView[]): string {
  return invoices
    .map(
      (invoice) =>
        `• \`${invoice.number}\` · ${invoice.day} · ${formatDkk(invoice.totalOre)} incl. VAT — ${invoice.description}`,
    )
    .join('\n');
}

function invoiceReply(invoice: InvoiceDetail): Reply {
  const lines = invoice.lines.map(
    (line) =>
      `• ${line.description}\n   ${line.quantity} × ${formatDkk(line.unitPriceOre)} = ${formatDkk(line.amountOre)}`,
  );
  const blocks: Block[] = [
    header(`Invoice ${invoice.number}`),
    fields([
      ['Number', `\`${invoice.number}\``],
      ['Date', invoice.day],
    ]),
    text(lines.join('\n')),
    fields([
      ['Net', formatDkk(invoice.netOre)],
      [`VAT ${VAT_PERCENT} %`, formatDkk(invoice.vatOre)],
      ['Total', `*${formatDkk(invoice.totalOre)}*`],
    ]),
    actions(
      button('All invoices', encodeAction('subscription.invoices', { page: 1 })),
      button('Subscription', encodeAction('subscription.show')),
    ),
  ];
  return reply(
    `Invoice ${invoice.number} of ${invoice.day}: ${formatDkk(invoice.totalOre)} incl. VAT — ${invoice.description}`,
    blocks,
  );
}

/** The invoice a person asked for by number, as they may have copied it: in backticks or lower case. */
export async function showInvoice(ctx: CommandContext, value: string | undefined): Promise<Reply> {
  const number = value?.replace(/`/g, '').trim().toUpperCase();
  if (!number) throw new UserError('bad_input', `Which invoice? Usage: \`${INVOICE_USAGE}\``);
  const invoice = await ctx.ports.billing.invoice(ctx.tenantId, number);
  if (!invoice)
    throw new UserError(
      'not_found',
      `There is no invoice \`${number}\` for this integration. \`/iex subscription invoices\` lists them.`,
    );
  return invoiceReply(invoice);
}

export async function invoicesReply(ctx: CommandContext, page: number, replaceOriginal: boolean): Promise<Reply> {
  const skip = (page - 1) * INVOICES_PER_PAGE;
  const { invoices, total } = await ctx.ports.billing.invoices(ctx.tenantId, { skip, limit: INVOICES_PER_PAGE });
  const pages = Math.max(1, Math.ceil(total / INVOICES_PER_PAGE));
  return reply(
    `Invoices, page ${page} of ${pages}`,
    [
      header('Invoices'),
      context(`Newest first. One in full: \`${INVOICE_USAGE}\``),
      invoices.length
        ? text(invoiceLines(invoices))
        : context(total ? 'No invoices on this page.' : 'No invoices yet.'),
      ...pageControls({ items: invoices, page, pages, total }, 'subscription.invoices'),
      actions(button('Back', encodeAction('subscription.show'))),
    ],
    { replaceOriginal },
  );
}

export const invoicesAction = defineAction({
  id: 'subscription.invoices',
  role: 'viewer',
  values: z.object({ page: z.coerce.number().int().min(1) }),
  run: (ctx, { page }) => invoicesReply(ctx, page, true),
});
