import { defineMessages } from '../define-messages';

/** The daily digest (src/services/alerts/kinds/digest.ts): yesterday in numbers, in chat and by mail. */
export const digest = defineMessages(
  {
    'digest.headline': 'Daily digest — {weekday} {date}',
    'digest.counts': '{created, number} created · {updated, number} updated · {failed, number} failed',
    'digest.noFailures': 'No failures.',
    'digest.failuresByCause': '*Failures by cause*',
    'digest.more': 'and {count, number} more ({failures, plural, one {# failure} other {# failures}})',
    'digest.quota': 'Orders in {period}: {used, number} of {allowance, number} used · {left, number} left',
    'digest.held': '{count, plural, =0 {Nothing held} one {# transfer held} other {# transfers held}}',
    'digest.openLog': 'Open log',
    'digest.subscription': 'Subscription',
  },
  {
    'digest.headline': 'Daglig oversigt — {weekday} den {date}',
    'digest.counts': '{created, number} oprettet · {updated, number} opdateret · {failed, number} fejlede',
    'digest.noFailures': 'Ingen fejl.',
    'digest.failuresByCause': '*Fejl efter årsag*',
    'digest.more': 'og {count, number} mere ({failures, plural, one {# fejl} other {# fejl}})',
    'digest.quota': 'Ordrer i {period}: {used, number} af {allowance, number} brugt · {left, number} tilbage',
    'digest.held':
      '{count, plural, =0 {Intet tilbageholdt} one {# overførsel tilbageholdt} other {# overførsler tilbageholdt}}',
    'digest.openLog': 'Åbn log',
    'digest.subscription': 'Abonnement',
  },
);
