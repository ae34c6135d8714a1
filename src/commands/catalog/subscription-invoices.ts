import { z } from 'zod';
import { VAT_PERCENT } from '../../domain/plans';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
import { defineAction, type CommandContext } from '../define';
import { UserError } from '../errors';
import { pageControls } from '../paging';
import type { InvoiceDetail, InvoiceView } from '../ports/billing';
import { actions, button, context, fields, header, reply, text, type Block, type Reply } from '../../chat/reply';

// `/iex subscription invoice NUMBER` and `invoices`: read-only, so viewers may use them.

const INVOICES_PER_PAGE = 10;
export const INVOICE_USAGE = '/iex subscription invoice NUMBER';

/** An invoice's day (YYYY-MM-DD, as issued) at noon UTC, so that no time zone moves it to another day. */
const dayOf = (day: string) => new Date(`${day}T12:00:00Z`);

export function invoiceLines(t: Translator, invoices: InvoiceView[]): string {
  return invoices
    .map((invoice) =>
      t.t('subscription.invoiceLine', {
        number: invoice.number,
        day: t.day(dayOf(invoice.day), 'UTC'),
        total: t.money(invoice.totalOre),
        description: invoice.description,
      }),
    )
    .join('\n');
}

function invoiceReply(t: Translator, invoice: InvoiceDetail): Reply {
  const lines = invoice.lines.map(
    (line) =>
      `• ${line.description}\n   ${t.number(line.quantity)} × ${t.money(line.unitPriceOre)} = ${t.money(line.amountOre)}`,
  );
  const blocks: Block[] = [
    header(t.t('subscription.invoiceTitle', { number: invoice.number })),
    fields([
      [t.t('subscription.invoice.number'), `\`${invoice.number}\``],
      [t.t('subscription.invoice.date'), t.date(dayOf(invoice.day), 'UTC')],
    ]),
    text(lines.join('\n')),
    fields([
      [t.t('subscription.invoice.net'), t.money(invoice.netOre)],
      [t.t('subscription.invoice.vat', { percent: VAT_PERCENT }), t.money(invoice.vatOre)],
      [t.t('subscription.invoice.total'), `*${t.money(invoice.totalOre)}*`],
    ]),
    actions(
      button(t.t('subscription.invoice.allInvoices'), encodeAction('subscription.invoices', { page: 1 })),
      button(t.t('subscription.invoice.subscription'), encodeAction('subscription.show')),
    ),
  ];
  return reply(
    t.t('subscription.invoiceFallback', {
      number: invoice.number,
      day: t.day(dayOf(invoice.day), 'UTC'),
      total: t.money(invoice.totalOre),
      description: invoice.description,
    }),
    blocks,
  );
}

/** The invoice a person asked for by number, as they may have copied it: in backticks or lower case. */
export async function showInvoice(ctx: CommandContext, value: string | undefined): Promise<Reply> {
  const { t } = ctx;
  const number = value?.replace(/`/g, '').trim().toUpperCase();
  if (!number) throw new UserError('bad_input', t.t('subscription.whichInvoice', { usage: INVOICE_USAGE }));
  const invoice = await ctx.ports.billing.invoice(ctx.tenantId, number);
  if (!invoice) throw new UserError('not_found', t.t('subscription.noSuchInvoice', { number }));
  return invoiceReply(t, invoice);
}

export async function invoicesReply(ctx: CommandContext, page: number, replaceOriginal: boolean): Promise<Reply> {
  const { t } = ctx;
  const skip = (page - 1) * INVOICES_PER_PAGE;
  const { invoices, total } = await ctx.ports.billing.invoices(ctx.tenantId, { skip, limit: INVOICES_PER_PAGE });
  const pages = Math.max(1, Math.ceil(total / INVOICES_PER_PAGE));
  return reply(
    t.t('subscription.invoicesFallback', { page, pages }),
    [
      header(t.t('subscription.invoicesTitle')),
      context(t.t('subscription.newestFirst', { usage: INVOICE_USAGE })),
      invoices.length
        ? text(invoiceLines(t, invoices))
        : context(t.t(total ? 'subscription.noInvoicesOnPage' : 'subscription.noInvoices')),
      ...pageControls({ items: invoices, page, pages, total }, 'subscription.invoices', {}, t),
      actions(button(t.t('subscription.back'), encodeAction('subscription.show'))),
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
