import { defineMessages } from '../define-messages';

/** `/iex usage`: the usage chart full size, with its numbers as text. */
export const usage = defineMessages(
  {
    'usage.summary': 'A chart of usage per day: created, updated and failed, a period and the one before',
    'usage.help':
      'Shows the usage chart full size: orders, products and stock per day, created, updated and failed, with the orders included in the plan and the top-ups marked. `--period 2026-11` shows that month and the one before (default: the current period); `--entity order` shows one kind only. Example: `/iex usage --period 2026-11 --entity order`.',
    'usage.option.period': 'The period to show, as YYYY-MM, e.g. 2026-11 (default: the current one)',
    'usage.option.entity': 'Only one kind: order, product or stock (default: all three)',
    'usage.badPeriod': 'must be a period as YYYY-MM, e.g. 2026-11',
    'usage.badEntity': 'must be order, product or stock',
    'usage.notBegun': 'The period {period} has not begun yet: the current one is {current}.',
    'usage.title': 'Usage — {period}',
    'usage.titleEntity': 'Usage of {entity} — {period}',
    'usage.fallback': 'Usage {period}: {summary}',
  },
  {
    'usage.summary': 'Et diagram over forbruget pr. dag: oprettet, opdateret og fejlede, en periode og den før',
    'usage.help':
      'Viser forbrugsdiagrammet i fuld størrelse: ordrer, produkter og lager pr. dag, oprettet, opdateret og fejlede, med abonnementets inkluderede ordrer og de ekstra ordrer markeret. `--period 2026-11` viser den måned og måneden før (standard: den nuværende periode); `--entity order` viser kun én slags. Eksempel: `/iex usage --period 2026-11 --entity order`.',
    'usage.option.period': 'Perioden, der skal vises, som ÅÅÅÅ-MM, f.eks. 2026-11 (standard: den nuværende)',
    'usage.option.entity': 'Kun én slags: order (ordrer), product (produkter) eller stock (lager) (standard: alle tre)',
    'usage.badPeriod': 'skal være en periode som ÅÅÅÅ-MM, f.eks. 2026-11',
    'usage.badEntity': 'skal være order, product eller stock',
    'usage.notBegun': 'Perioden {period} er ikke begyndt endnu: den nuværende er {current}.',
    'usage.title': 'Forbrug — {period}',
    'usage.titleEntity': 'Forbrug af {entity} — {period}',
    'usage.fallback': 'Forbrug {period}: {summary}',
  },
);
