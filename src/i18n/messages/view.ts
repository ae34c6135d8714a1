import { defineMessages } from '../define-messages';

/**
 * The read-only pages behind signed links (src/web/): what every page says around its content,
 * and the refusals of a link that is not valid, expired or leads nowhere.
 */
export const view = defineMessages(
  {
    'view.footer': 'IEX ChatOps · a read-only page, opened with a signed link',
    'view.invalidTitle': 'This link is not valid',
    'view.invalid': 'The link is incomplete or was changed. Open it from the message again.',
    'view.expiredTitle': 'This link has expired',
    'view.expired.transfer':
      'This link has expired — ask for the transfer in Slack or Discord with /iex log {transferId}',
    'view.expired.subscription':
      'This link has expired — see the subscription in Slack or Discord with /iex subscription',
    'view.transferGoneTitle': 'Transfer not found',
    'view.transferGone':
      'This transfer is no longer kept: only the latest transfers are. /iex log in Slack or Discord shows those.',
    'view.integrationGoneTitle': 'Integration not found',
    'view.integrationGone': 'This integration no longer exists.',
  },
  {
    'view.footer': 'IEX ChatOps · en side, der kun kan læses, åbnet med et signeret link',
    'view.invalidTitle': 'Linket er ikke gyldigt',
    'view.invalid': 'Linket er ufuldstændigt eller er blevet ændret. Åbn det fra beskeden igen.',
    'view.expiredTitle': 'Linket er udløbet',
    'view.expired.transfer': 'Linket er udløbet — bed om overførslen i Slack eller Discord med /iex log {transferId}',
    'view.expired.subscription': 'Linket er udløbet — se abonnementet i Slack eller Discord med /iex subscription',
    'view.transferGoneTitle': 'Overførslen findes ikke',
    'view.transferGone':
      'Denne overførsel gemmes ikke længere: kun de seneste overførsler gemmes. /iex log i Slack eller Discord viser dem.',
    'view.integrationGoneTitle': 'Integrationen findes ikke',
    'view.integrationGone': 'Denne integration findes ikke længere.',
  },
);
