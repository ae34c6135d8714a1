import { defineMessages } from '../define-messages';

/** `/iex link CODE [--channel]`. */
export const link = defineMessages(
  {
    'link.summary': 'Link this workspace (or only this channel) to your integration with a one-time code',
    'link.help':
      'An IEX operator prints a code with `npm run tenant -- link-code ID`. The code works once, for 24 hours. `--channel` links only this channel, e.g. to give another integration its own channel.',
    'link.word.code': 'The one-time code your IEX operator gave you',
    'link.flag.channel': 'Link only this channel, not the whole server',
    'link.args.code': 'must be the code the operator gave you',
    'link.args.give': 'give the link code',
    'link.place': '{place, select, channel {channel} server {server} other {workspace}}',
    'link.already':
      'This {place, select, channel {channel} server {server} other {workspace}} is already linked. To link one channel to another integration, add `--channel`.',
    'link.invalid': 'That code is unknown, used or expired. Ask your IEX operator for a new one.',
    'link.owner': '{who} is its owner and adds people with `/iex settings invite @user admin|viewer`.',
    'link.member':
      '{who} is {role, select, admin {an admin} other {a viewer (reads, changes nothing)}} here{hasOwner, select, yes {; the owner, {owner}, can change that with `/iex settings invite`.} other {.}}',
    'link.done':
      'This {place, select, channel {channel} server {server} other {workspace}} is now linked to *{tenant}*. {who} `/iex status` shows how it is doing.',
  },
  {
    'link.summary': 'Forbind dette workspace (eller kun denne kanal) med din integration med en engangskode',
    'link.help':
      'En IEX-operatør udskriver en kode med `npm run tenant -- link-code ID`. Koden virker én gang, i 24 timer. `--channel` forbinder kun denne kanal, f.eks. for at give en anden integration sin egen kanal.',
    'link.word.code': 'Engangskoden, som din IEX-operatør gav dig',
    'link.flag.channel': 'Forbind kun denne kanal, ikke hele serveren',
    'link.args.code': 'skal være den kode, operatøren gav dig',
    'link.args.give': 'angiv forbindelseskoden',
    'link.place': '{place, select, channel {kanal} server {server} other {workspace}}',
    'link.already':
      '{place, select, channel {Denne kanal} server {Denne server} other {Dette workspace}} er allerede forbundet. Tilføj `--channel` for at forbinde én kanal med en anden integration.',
    'link.invalid': 'Den kode er ukendt, brugt eller udløbet. Bed din IEX-operatør om en ny.',
    'link.owner': '{who} er ejer og tilføjer personer med `/iex settings invite @user admin|viewer`.',
    'link.member':
      '{who} er {role, select, admin {administrator} other {læser (kan se, ændrer intet)}} her{hasOwner, select, yes {; ejeren, {owner}, kan ændre det med `/iex settings invite`.} other {.}}',
    'link.done':
      '{place, select, channel {Denne kanal} server {Denne server} other {Dette workspace}} er nu forbundet med *{tenant}*. {who} `/iex status` viser, hvordan det går.',
  },
);
