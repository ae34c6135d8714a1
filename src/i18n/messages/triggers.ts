import { defineMessages } from '../define-messages';

/**
 * What each notification trigger sends, said so that it follows "when" / "når": the mails' footer
 * and `/iex notify` both use them, through TRIGGER_DESCRIPTIONS (src/domain/notifications.ts).
 */
export const triggers = defineMessages(
  {
    'triggers.transfer.failed': 'transfers fail (one message per kind of failure, updated with the count)',
    'triggers.quota.threshold': 'the orders used reach a warning level of the allowance, or run out',
    'triggers.topup.auto': 'orders are topped up automatically',
    'triggers.digest': 'the daily digest of what was transferred is sent',
    'triggers.job.missed': 'a scheduled run was missed, or its runs keep failing',
  },
  {
    'triggers.transfer.failed': 'overførsler fejler (én besked pr. slags fejl, opdateret med antallet)',
    'triggers.quota.threshold': 'de brugte ordrer når et varslingsniveau for de inkluderede ordrer, eller slipper op',
    'triggers.topup.auto': 'der automatisk købes ekstra ordrer',
    'triggers.digest': 'dagens oversigt over overførslerne sendes',
    'triggers.job.missed': 'en planlagt kørsel ikke blev udført, eller dens kørsler bliver ved med at fejle',
  },
);
