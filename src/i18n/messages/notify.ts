import { defineMessages } from '../define-messages';

/**
 * `/iex notify`: who gets which notifications. What each trigger sends is the triggers area's
 * (shared with the mails); trigger names stay the English words people type.
 */
export const notify = defineMessages(
  {
    'notify.summary': 'Who gets which notifications: list, add or remove a channel or an e-mail address per trigger',
    'notify.help':
      'Triggers: `transfer.failed` (transfers fail), `quota.threshold` (the orders used reach a warning level, or run out), `topup.auto` (orders are topped up automatically), `digest` (the digest of what was transferred), `job.missed` (a scheduled run was missed, or keeps failing).\n' +
      'Recipients: a channel (#channel, or its id), `here` for the channel you type in, or an e-mail address.\n' +
      'Examples: `/iex notify add transfer.failed #shop-alerts`, `/iex notify add quota.threshold finance@shop.dk`, `/iex notify remove digest here`. Adding and removing needs an admin.',
    'notify.opt.action': 'Add or remove a recipient (admins); leave out to list them',
    'notify.opt.trigger': 'What the recipient gets',
    'notify.opt.channel': 'The channel (leave out, and no email, for this channel)',
    'notify.opt.email': 'Or an e-mail address',
    'notify.arg.tooManyWords': 'too many words',
    'notify.doing.change': 'change who gets notified',
    'notify.usage': 'Usage: `{usage}`, e.g. `/iex notify add transfer.failed #shop-alerts`.',
    'notify.noTrigger': 'There is no trigger `{word}`. The triggers are {triggers}.',
    'notify.recipientUsage': '{problem} Usage: `{usage}`',
    'notify.problem.hereWithoutChannel':
      '`here` means the {platforms} channel you type the command in; name a channel id or an e-mail address instead.',
    'notify.problem.badEmail': '`{input}` is not a valid e-mail address.',
    'notify.problem.channelWithoutId':
      '`{input}` arrived as plain text, without the channel id. Pick the channel from the suggestions as you type # so it becomes a link, or give its id.',
    'notify.problem.unknown':
      '`{input}` is not a channel or an e-mail address. Give #channel, a channel id, `here` or an e-mail address.',
    'notify.otherChannel': '{platform} channel `{id}`',
    'notify.removeButton': 'Remove {who} · {trigger}',
    'notify.title': 'Notifications',
    'notify.nobody': 'Nobody gets notifications yet.',
    'notify.triggerLine': '*{trigger}* — when {description}',
    'notify.nobodyGets': 'Nobody gets: {triggers}.',
    'notify.addOne': 'Add one: `/iex notify add TRIGGER #channel|email|here`. Triggers: {triggers}.',
    'notify.alreadyGets': '{who} already gets *{trigger}* notifications.',
    'notify.added': '{who} added {recipient} to *{trigger}*: it is notified when {description}.',
    'notify.doesNotGet': '{who} does not get *{trigger}* notifications. `/iex notify` lists who gets what.',
    'notify.removed': '{who} removed {recipient} from *{trigger}*: it is no longer notified.',
    'notify.alreadyRemoved': 'That recipient was already removed.',
    'notify.noLongerGets':
      '{recipient} no longer gets *{trigger}* notifications. To add it back: `/iex notify add {trigger} {target}`',
  },
  {
    'notify.summary':
      'Hvem der får hvilke notifikationer: vis, tilføj eller fjern en kanal eller en e-mailadresse pr. udløser',
    'notify.help':
      'Udløsere: `transfer.failed` (overførsler fejler), `quota.threshold` (de brugte ordrer når et varslingsniveau eller slipper op), `topup.auto` (der købes automatisk ekstra ordrer), `digest` (oversigten over det overførte), `job.missed` (en planlagt kørsel blev ikke udført eller bliver ved med at fejle).\n' +
      'Modtagere: en kanal (#kanal eller dens id), `here` for den kanal, du skriver i, eller en e-mailadresse.\n' +
      'Eksempler: `/iex notify add transfer.failed #shop-alerts`, `/iex notify add quota.threshold finance@shop.dk`, `/iex notify remove digest here`. At tilføje og fjerne kræver en administrator.',
    'notify.opt.action': 'Tilføj eller fjern en modtager (administratorer); udelad for at se dem',
    'notify.opt.trigger': 'Hvad modtageren får',
    'notify.opt.channel': 'Kanalen (udelad, og ingen e-mail, for denne kanal)',
    'notify.opt.email': 'Eller en e-mailadresse',
    'notify.arg.tooManyWords': 'for mange ord',
    'notify.doing.change': 'ændre, hvem der får notifikationer',
    'notify.usage': 'Brug: `{usage}`, f.eks. `/iex notify add transfer.failed #shop-alerts`.',
    'notify.noTrigger': 'Der er ingen udløser `{word}`. Udløserne er {triggers}.',
    'notify.recipientUsage': '{problem} Brug: `{usage}`',
    'notify.problem.hereWithoutChannel':
      '`here` betyder den {platforms}-kanal, du skriver kommandoen i; angiv i stedet et kanal-id eller en e-mailadresse.',
    'notify.problem.badEmail': '`{input}` er ikke en gyldig e-mailadresse.',
    'notify.problem.channelWithoutId':
      '`{input}` kom frem som ren tekst uden kanalens id. Vælg kanalen blandt forslagene, mens du skriver #, så den bliver et link, eller angiv dens id.',
    'notify.problem.unknown':
      '`{input}` er hverken en kanal eller en e-mailadresse. Angiv #kanal, et kanal-id, `here` eller en e-mailadresse.',
    'notify.otherChannel': '{platform}-kanal `{id}`',
    'notify.removeButton': 'Fjern {who} · {trigger}',
    'notify.title': 'Notifikationer',
    'notify.nobody': 'Ingen får notifikationer endnu.',
    'notify.triggerLine': '*{trigger}* — når {description}',
    'notify.nobodyGets': 'Ingen får: {triggers}.',
    'notify.addOne': 'Tilføj en: `/iex notify add TRIGGER #channel|email|here`. Udløsere: {triggers}.',
    'notify.alreadyGets': '{who} får allerede *{trigger}*-notifikationer.',
    'notify.added': '{who} tilføjede {recipient} til *{trigger}*: der gives besked, når {description}.',
    'notify.doesNotGet': '{who} får ikke *{trigger}*-notifikationer. `/iex notify` viser, hvem der får hvad.',
    'notify.removed': '{who} fjernede {recipient} fra *{trigger}*: der gives ikke længere besked dertil.',
    'notify.alreadyRemoved': 'Den modtager var allerede fjernet.',
    'notify.noLongerGets':
      '{recipient} får ikke længere *{trigger}*-notifikationer. Tilføj den igen: `/iex notify add {trigger} {target}`',
  },
);
