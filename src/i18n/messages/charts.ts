import { defineMessages } from '../define-messages';

/** Texts of the usage charts (forbrugshistorik): titles, axes, legend, alt text, the chart's view page. */
export const charts = defineMessages(
  {
    'charts.title': '{entity} per day, {previous} and {current}',
    'charts.title.all': 'Usage per day, {previous} and {current}',
    'charts.outcome.created': 'Created',
    'charts.outcome.updated': 'Updated',
    'charts.outcome.failed': 'Failed',
    'charts.axis.day': 'Day',
    'charts.axis.perDay': 'Per day',
    'charts.axis.cumulative': 'Orders so far in the period',
    'charts.line.included': 'Included: {count}',
    'charts.topUp': '+{count}',
    'charts.alt.intro': 'Chart of usage per day in {previous} and {current}.',
    'charts.alt.entity':
      '{entity} in {period}: {created, number} created, {updated, number} updated, {failed, number} failed.',
    'charts.alt.included':
      'The plan includes {included, plural, one {# order} other {# orders}} a period; {used, plural, one {# order} other {# orders}} counted in {current}, {previousUsed, plural, one {# order} other {# orders}} in {previous}.',
    'charts.alt.noPlan': 'No subscription, so no included orders.',
    'charts.alt.topUps': 'Extra orders bought: {list}.',
    'charts.alt.topUp': '{count, plural, one {# order} other {# orders}} on {day}',
    'charts.alt.noTopUps': 'No extra orders bought.',
    'charts.page.title': 'Usage, {previous} and {current}',
    'charts.page.text':
      'Created, updated and failed transfers per day. The line shows orders so far against the included orders.',
    'charts.page.expired': 'This link has expired. Ask for the chart in Slack or Discord with /iex usage.',
    'charts.page.badPeriod': 'The period must be a month written YYYY-MM, e.g. 2026-11.',
  },
  {
    'charts.title': '{entity} pr. dag, {previous} og {current}',
    'charts.title.all': 'Forbrug pr. dag, {previous} og {current}',
    'charts.outcome.created': 'Oprettet',
    'charts.outcome.updated': 'Opdateret',
    'charts.outcome.failed': 'Fejlet',
    'charts.axis.day': 'Dag',
    'charts.axis.perDay': 'Pr. dag',
    'charts.axis.cumulative': 'Ordrer indtil nu i perioden',
    'charts.line.included': 'Inkluderet: {count}',
    'charts.topUp': '+{count}',
    'charts.alt.intro': 'Diagram over forbruget pr. dag i {previous} og {current}.',
    'charts.alt.entity':
      '{entity} i {period}: {created, number} oprettet, {updated, number} opdateret, {failed, number} fejlede.',
    'charts.alt.included':
      'Abonnementet indeholder {included, plural, one {# ordre} other {# ordrer}} pr. periode; {used, plural, one {# ordre} other {# ordrer}} talt med i {current}, {previousUsed, plural, one {# ordre} other {# ordrer}} i {previous}.',
    'charts.alt.noPlan': 'Intet abonnement, så ingen inkluderede ordrer.',
    'charts.alt.topUps': 'Købte ekstra ordrer: {list}.',
    'charts.alt.topUp': '{count, plural, one {# ordre} other {# ordrer}} den {day}',
    'charts.alt.noTopUps': 'Ingen ekstra ordrer købt.',
    'charts.page.title': 'Forbrug, {previous} og {current}',
    'charts.page.text':
      'Oprettede, opdaterede og fejlede overførsler pr. dag. Linjen viser ordrer indtil nu over for de inkluderede ordrer.',
    'charts.page.expired': 'Linket er udløbet. Bed om diagrammet i Slack eller Discord med /iex usage.',
    'charts.page.badPeriod': 'Perioden skal være en måned skrevet ÅÅÅÅ-MM, f.eks. 2026-11.',
  },
);
