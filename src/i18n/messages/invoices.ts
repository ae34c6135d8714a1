import { defineMessages } from '../define-messages';

/**
 * The words of an invoice's lines. An invoice is a document: its lines are worded once, in the
 * tenant's language when it is issued, and shown as they were issued ever after.
 */
export const invoices = defineMessages(
  {
    'invoices.plan': '{plan} plan, {period}: {orders, plural, one {# order} other {# orders}}',
    'invoices.topUp': 'Top-up: {orders} orders for {period}',
    'invoices.upgrade': 'Upgrade {from} → {to}, {daysLeft} of {days} days of {period}',
  },
  {
    'invoices.plan': 'Abonnement {plan}, {period}: {orders, plural, one {# ordre} other {# ordrer}}',
    'invoices.topUp': 'Ekstra ordrer: {orders} ordrer til {period}',
    'invoices.upgrade': 'Opgradering {from} → {to}, {daysLeft} af {days} dage i {period}',
  },
);
