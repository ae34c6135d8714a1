import { defineMessages } from '../define-messages';

/** `/iex status`, the Home dashboard (App Home tab and the command), and its usage chart. */
export const status = defineMessages(
  {
    'status.summary': 'Home: transfers this period and the last, usage chart, quota, what is failing now',
    'status.help':
      'Shows the Home dashboard: what was transferred this period and the last, a small usage chart, the orders used of the plan, and the transfers failing now. `/iex usage` shows the chart full size.',
    'status.title': '{tenant} — Home',
    'status.fallback':
      '{tenant}: {active, select, true {active} other {DEACTIVATED}}{quota, select, true { · {used, number}/{allowance, number} orders used} other {}}',
    'status.deactivated':
      '*The integration is deactivated: nothing is transferred.* New transfers are kept as held until it is active again.',
    'status.activate': 'Activate the integration',
    'status.modulesOff': 'Modules switched off: {modules}.',
    'status.held':
      '{count, plural, one {*# transfer is held* until what it needs is switched back on.} other {*# transfers are held* until what they need is switched back on.}} `/iex log held` lists them.',
    'status.thisPeriod': '*This period ({period})*',
    'status.handled':
      '{transferred, number} transferred ({created, number} created, {updated, number} updated) · {failed, plural, one {# failed} other {# failed}}',
    'status.failedVersusNow':
      'Failed counts every failure this period, also those a retry has fixed since: {count, plural, one {# is failing now} other {# are failing now}}.',
    'status.lastPeriod': 'Last period ({period}): {summary}',
    'status.lastPeriodEntity': '{entity} {handled}',
    'status.entityName.order': 'orders',
    'status.entityName.product': 'products',
    'status.entityName.stock': 'stock',
    'status.quotaUsed': '*Orders used:* {used, number} of {allowance, number}  {bar}',
    'status.quotaDetail':
      '{included, number} included in the plan{topUp, plural, =0 {} other { + # topped up}} · {left, number} left',
    'status.last7Days': '*Last 7 days*',
    'status.historyLine': '{day}  created {created, number} · updated {updated, number} · failed {failed, number}',
    'status.noneFailing': 'Failing now: none — every failure of the period has since succeeded, or there was none.',
    'status.failingNow':
      '*Failing now: {count, number}* — failed and not yet succeeded on a retry{more, select, true {; the latest {shown}:} other {:}}',
    'status.openFailures': 'Open the log of failures',
    'status.retryFailed': 'Retry failed (last 24 h)',
    'status.chartHint': '`/iex usage` shows the chart full size, for one kind or another period.',
    'status.chartMissing': 'The usage chart could not be drawn just now; the numbers here are complete.',
  },
  {
    'status.summary': 'Oversigt: overførsler i denne og sidste periode, forbrugsdiagram, kvote, det der fejler nu',
    'status.help':
      'Viser oversigten: hvad der er overført i denne og sidste periode, et lille forbrugsdiagram, hvor mange af abonnementets ordrer der er brugt, og de overførsler der fejler nu. `/iex usage` viser diagrammet i fuld størrelse.',
    'status.title': '{tenant} — Oversigt',
    'status.fallback':
      '{tenant}: {active, select, true {aktiv} other {SLÅET FRA}}{quota, select, true { · {used, number}/{allowance, number} ordrer brugt} other {}}',
    'status.deactivated':
      '*Integrationen er slået fra: intet bliver overført.* Nye overførsler holdes tilbage, til den er slået til igen.',
    'status.activate': 'Slå integrationen til',
    'status.modulesOff': 'Moduler slået fra: {modules}.',
    'status.held':
      '{count, plural, one {*# overførsel er tilbageholdt*, til det, den kræver, er slået til igen.} other {*# overførsler er tilbageholdt*, til det, de kræver, er slået til igen.}} `/iex log held` viser dem.',
    'status.thisPeriod': '*Denne periode ({period})*',
    'status.handled':
      '{transferred, number} overført ({created, number} oprettet, {updated, number} opdateret) · {failed, plural, one {# fejlede} other {# fejlede}}',
    'status.failedVersusNow':
      'Fejlede tæller hver fejl i perioden, også dem et nyt forsøg siden har rettet: {count, plural, one {# fejler nu} other {# fejler nu}}.',
    'status.lastPeriod': 'Sidste periode ({period}): {summary}',
    'status.lastPeriodEntity': '{entity} {handled}',
    'status.entityName.order': 'ordrer',
    'status.entityName.product': 'produkter',
    'status.entityName.stock': 'lager',
    'status.quotaUsed': '*Ordrer brugt:* {used, number} af {allowance, number}  {bar}',
    'status.quotaDetail':
      '{included, number} inkluderet i abonnementet{topUp, plural, =0 {} other { + # ekstra ordrer}} · {left, number} tilbage',
    'status.last7Days': '*Seneste 7 dage*',
    'status.historyLine': '{day}  oprettet {created, number} · opdateret {updated, number} · fejlede {failed, number}',
    'status.noneFailing': 'Fejler nu: ingen — alle periodens fejl er siden lykkedes, eller der var ingen.',
    'status.failingNow':
      '*Fejler nu: {count, number}* — fejlede og er endnu ikke lykkedes ved et nyt forsøg{more, select, true {; de seneste {shown}:} other {:}}',
    'status.openFailures': 'Åbn loggen over fejl',
    'status.retryFailed': 'Prøv fejlede igen (seneste 24 t)',
    'status.chartHint': '`/iex usage` viser diagrammet i fuld størrelse, for én slags eller en anden periode.',
    'status.chartMissing': 'Forbrugsdiagrammet kunne ikke tegnes lige nu; tallene her er komplette.',
  },
);
