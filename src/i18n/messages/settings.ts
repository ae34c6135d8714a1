import { defineMessages } from '../define-messages';

/**
 * `/iex settings`: the integration and its modules on or off, the language, the members. What a
 * switch holds is said as it is: the engines are told to stop (a warning follows when one does
 * not), scheduled runs are skipped, and only what Shopify sends the service itself is held.
 */
export const settings = defineMessages(
  {
    'settings.summary': 'The whole integration and each module on or off, the language, and the members who manage it',
    'settings.help':
      '`/iex settings` shows whether the integration is active, each module (orders, products, stock) on or off with a button (admins), the language, and the members with their roles.\n' +
      'If nothing is transferred, first check that the integration is active. Switching it or a module off tells the engines to stop and skips scheduled runs; what Shopify sends meanwhile is held — kept, not lost — and switching back on sends it. An engine that keeps transferring raises a warning.\n' +
      '`/iex settings language da|en` (admins) sets the language of alerts, mails and answers; people whose chat app says their own language get answers in theirs.\n' +
      '`/iex settings invite @user admin|viewer` (owner) adds a member or changes their role; `/iex settings remove @user` (owner) removes one. The last owner cannot be removed. From the console add `--platform slack|discord`.',
    'settings.opt.action': 'Invite or remove a member (the owner), or set the language (admins)',
    'settings.opt.user': 'The member to invite or remove',
    'settings.opt.role': 'The role of an invited member',
    'settings.opt.language': 'language: da (Danish) or en (English)',
    'settings.opt.platform': 'The chat the member is in',
    'settings.arg.platform': 'must be slack or discord',
    'settings.arg.tooManyWords': 'too many words',
    'settings.doing.invite': 'invite members',
    'settings.doing.remove': 'remove members',
    'settings.doing.language': 'change the language',
    'settings.notACommand': '`{word}` is not a settings command. Usage: `{usage}`',

    'settings.title': '{tenant} — Settings',
    'settings.membersTitle': '{tenant} — Members',
    'settings.integrationActive': '*Integration:* active',
    'settings.integrationOff':
      '*Integration: deactivated* — the engines are told to transfer nothing.{held, plural, =0 {} one { # transfer is held until it is active again.} other { # transfers are held until it is active again.}}',
    'settings.modules': '*Modules:* {modules}',
    'settings.moduleHeld':
      '{count, plural, one {# transfer held by switched-off modules} other {# transfers held by switched-off modules}}',
    'settings.moduleOn': '{module} on',
    'settings.moduleOff': '*{module} off*',
    'settings.module.orders': 'orders',
    'settings.module.products': 'products',
    'settings.module.stock': 'stock',
    'settings.carries.orders': 'orders',
    'settings.carries.products': 'products',
    'settings.carries.stock': 'stock levels',
    'settings.languageLine':
      '*Language:* {language} — alerts and mails, and answers to people whose chat app does not say their own. Admins change it: `/iex settings language da|en`.',
    'settings.language.da': 'Danish',
    'settings.language.en': 'English',
    'settings.members': '*Members*',
    'settings.memberLine': '• {name} — {role}',
    'settings.noMembers': '_none yet_',
    'settings.membersHint':
      'Viewers read; admins change settings; the owner also manages members: `/iex settings invite @user admin|viewer`, `/iex settings remove @user`.',
    'settings.goneTitle': '*No longer linked*',
    'settings.goneWhere': '{platform} {workspace} `{id}`',
    'settings.goneWhereChannel': '{platform} {workspace} `{id}` (channel `{channel}`)',
    'settings.goneLine': '• {where} — the bot was removed on {day}; add it again and run {relink}.',
    'settings.relinkThere': '`{command}` there',
    'settings.relinkChannel': '`{command}` in that channel',
    'settings.goneHint':
      'Nothing is sent there until it is linked again; your other channels keep getting alerts. Your IEX operator gives you a new link code.',
    'settings.fallback':
      '{tenant}: integration {active, select, true {active} other {DEACTIVATED}}; {modules}; {members}; language {language}{gone}',
    'settings.fallbackModule': '{module} {on, select, true {on} other {off}}',
    'settings.fallbackGone': '; the bot was removed from {where}',

    'settings.button.deactivate': 'Deactivate the integration',
    'settings.button.activate': 'Activate the integration',
    'settings.confirm.deactivate.title': 'Deactivate the whole integration?',
    'settings.confirm.deactivate.text':
      'The engines are told to stop transferring, and scheduled runs are skipped, until you activate it again. What Shopify sends meanwhile is held — kept, not lost — and sent then. An engine that keeps transferring raises a warning.',
    'settings.confirm.deactivate.confirm': 'Deactivate',
    'settings.button.moduleOff': 'Switch {module} off',
    'settings.button.moduleOn': 'Switch {module} on',
    'settings.confirm.moduleOff.title': 'Switch the {module} module off?',
    'settings.confirm.moduleOff.text':
      'The engines are told to stop transferring {carries}, and scheduled runs of them are skipped, until you switch it back on. What Shopify sends of them meanwhile is held — kept, not lost — and sent then. An engine that keeps transferring raises a warning.',
    'settings.confirm.moduleOff.confirm': 'Switch off',

    'settings.integrationAlready': 'The integration is already {active, select, true {active} other {deactivated}}.',
    'settings.activated': '{who} activated the integration.{after}',
    'settings.deactivated':
      '{who} deactivated the integration: the engines are told to transfer nothing until it is activated again, and what Shopify sends meanwhile is held.',
    'settings.moduleAlready': 'The {module} module is already {on, select, true {on} other {off}}.',
    'settings.moduleSwitchedOn': '{who} switched the {module} module on.{after}',
    'settings.moduleSwitchedOff':
      '{who} switched the {module} module off: the engines are told to stop transferring {carries}, and what Shopify sends of them is held until it is back on.',
    'settings.sentAgain':
      '{count, plural, one {# held transfer was sent again.} other {# held transfers were sent again.}}',
    'settings.stillDeactivated':
      'The integration itself is still deactivated, so what is held stays held until it is activated.',

    'settings.languageMissing':
      'Give the language: `/iex settings language da` (Danish) or `/iex settings language en` (English).',
    'settings.languageUnknown':
      '`{value}` is not a language IEX speaks: give `da` (Danish) or `en` (English), e.g. `/iex settings language da`.',
    'settings.languageAlready': 'The language is already {language}.',
    'settings.languageSet':
      '{who} set the language to {language}: alerts, mails and answers come in {language} from now on, except answers to people whose chat app says their own language.',

    'settings.whichChat':
      'Say which chat the person is in: add `--platform slack` or `--platform discord`. Usage: `{usage}`',
    'settings.mentionThem':
      'Mention the person (type @ and pick them from the list) or give their {platform} user id. Usage: `{usage}`',
    'settings.mentionNeither':
      'Mention the person (type @ and pick them from the list) or give their {platform} user id; `{word}` is neither. Usage: `{usage}`',
    'settings.giveRole':
      'Give the role: admin (changes settings) or viewer (reads){owner, select, true {; an integration has one owner, set by your IEX operator} other {}}. Usage: `{usage}`',
    'settings.isOwner': '{name} is an owner; owners keep their role.',
    'settings.alreadyRole': '{name} is already {role, select, admin {an admin} other {a viewer}}.',
    'settings.invited':
      '{who} invited {name} as {role, select, admin {an admin: they can change settings} other {a viewer: they can read everything}}.',
    'settings.roleChanged':
      '{who} made {name} {role, select, admin {an admin: they can change settings} other {a viewer: they can read everything}} (was {previous}).',
    'settings.notMember': '{name} is not a member. `/iex settings` lists the members.',
    'settings.lastOwner':
      '{name} is the only owner, and an integration needs one to manage its members. Ask your IEX operator to make someone else owner first.',
    'settings.removed': '{who} removed {name} from the members. They can still read, as everyone here can.',
  },
  {
    'settings.summary': 'Hele integrationen og hvert modul til eller fra, sproget og de medlemmer, der styrer den',
    'settings.help':
      '`/iex settings` viser, om integrationen er slået til, hvert modul (ordrer, produkter, lager) til eller fra med en knap (administratorer), sproget og medlemmerne med deres roller.\n' +
      'Bliver intet overført, så tjek først, at integrationen er slået til. Slås den eller et modul fra, får motorerne besked om at stoppe, og planlagte kørsler springes over; det, Shopify sender imens, holdes tilbage — gemt, ikke tabt — og sendes, når der slås til igen. En motor, der bliver ved med at overføre, udløser en advarsel.\n' +
      '`/iex settings language da|en` (administratorer) vælger sproget for advarsler, mails og svar; personer, hvis chat-app oplyser deres eget sprog, får svar på det.\n' +
      '`/iex settings invite @user admin|viewer` (ejeren) tilføjer et medlem eller ændrer dets rolle (admin = administrator, viewer = læser); `/iex settings remove @user` (ejeren) fjerner et. Den sidste ejer kan ikke fjernes. Fra konsollen tilføjes `--platform slack|discord`.',
    'settings.opt.action': 'Invitér eller fjern et medlem (ejeren), eller vælg sproget (administratorer)',
    'settings.opt.user': 'Medlemmet, der skal inviteres eller fjernes',
    'settings.opt.role': 'Rollen for et inviteret medlem',
    'settings.opt.language': 'language: da (dansk) eller en (engelsk)',
    'settings.opt.platform': 'Den chat, medlemmet er i',
    'settings.arg.platform': 'skal være slack eller discord',
    'settings.arg.tooManyWords': 'for mange ord',
    'settings.doing.invite': 'invitere medlemmer',
    'settings.doing.remove': 'fjerne medlemmer',
    'settings.doing.language': 'skifte sproget',
    'settings.notACommand': '`{word}` er ikke en del af settings. Brug: `{usage}`',

    'settings.title': '{tenant} — Indstillinger',
    'settings.membersTitle': '{tenant} — Medlemmer',
    'settings.integrationActive': '*Integration:* slået til',
    'settings.integrationOff':
      '*Integration: slået fra* — motorerne har besked på ikke at overføre noget.{held, plural, =0 {} one { # overførsel er tilbageholdt, til den er slået til igen.} other { # overførsler er tilbageholdt, til den er slået til igen.}}',
    'settings.modules': '*Moduler:* {modules}',
    'settings.moduleHeld':
      '{count, plural, one {# overførsel tilbageholdt af moduler, der er slået fra} other {# overførsler tilbageholdt af moduler, der er slået fra}}',
    'settings.moduleOn': '{module} til',
    'settings.moduleOff': '*{module} fra*',
    'settings.module.orders': 'ordrer',
    'settings.module.products': 'produkter',
    'settings.module.stock': 'lager',
    'settings.carries.orders': 'ordrer',
    'settings.carries.products': 'produkter',
    'settings.carries.stock': 'lagerbeholdninger',
    'settings.languageLine':
      '*Sprog:* {language} — advarsler og mails, og svar til personer, hvis chat-app ikke oplyser deres eget. Administratorer skifter det: `/iex settings language da|en`.',
    'settings.language.da': 'dansk',
    'settings.language.en': 'engelsk',
    'settings.members': '*Medlemmer*',
    'settings.memberLine': '• {name} — {role}',
    'settings.noMembers': '_ingen endnu_',
    'settings.membersHint':
      'Læsere kan se alt; administratorer ændrer indstillinger; ejeren styrer også medlemmerne: `/iex settings invite @user admin|viewer`, `/iex settings remove @user`.',
    'settings.goneTitle': '*Ikke længere forbundet*',
    'settings.goneWhere': '{platform}-{workspace} `{id}`',
    'settings.goneWhereChannel': '{platform}-{workspace} `{id}` (kanal `{channel}`)',
    'settings.goneLine': '• {where} — botten blev fjernet den {day}; tilføj den igen, og kør {relink}.',
    'settings.relinkThere': '`{command}` der',
    'settings.relinkChannel': '`{command}` i den kanal',
    'settings.goneHint':
      'Intet sendes dertil, før den er forbundet igen; jeres andre kanaler får stadig advarsler. Jeres IEX-operatør giver jer en ny forbindelseskode.',
    'settings.fallback':
      '{tenant}: integration {active, select, true {slået til} other {SLÅET FRA}}; {modules}; {members}; sprog {language}{gone}',
    'settings.fallbackModule': '{module} {on, select, true {til} other {fra}}',
    'settings.fallbackGone': '; botten blev fjernet fra {where}',

    'settings.button.deactivate': 'Slå integrationen fra',
    'settings.button.activate': 'Slå integrationen til',
    'settings.confirm.deactivate.title': 'Slå hele integrationen fra?',
    'settings.confirm.deactivate.text':
      'Motorerne får besked om at stoppe, og planlagte kørsler springes over, til du slår den til igen. Det, Shopify sender imens, holdes tilbage — gemt, ikke tabt — og sendes så. En motor, der bliver ved med at overføre, udløser en advarsel.',
    'settings.confirm.deactivate.confirm': 'Slå fra',
    'settings.button.moduleOff': 'Slå {module} fra',
    'settings.button.moduleOn': 'Slå {module} til',
    'settings.confirm.moduleOff.title': 'Slå modulet {module} fra?',
    'settings.confirm.moduleOff.text':
      'Motorerne får besked om at stoppe med {carries}, og planlagte kørsler af dem springes over, til du slår modulet til igen. Det, Shopify sender af dem imens, holdes tilbage — gemt, ikke tabt — og sendes så. En motor, der overfører alligevel, udløser en advarsel.',
    'settings.confirm.moduleOff.confirm': 'Slå fra',

    'settings.integrationAlready': 'Integrationen er allerede slået {active, select, true {til} other {fra}}.',
    'settings.activated': '{who} slog integrationen til.{after}',
    'settings.deactivated':
      '{who} slog integrationen fra: motorerne har fået besked om ikke at overføre noget, før den er slået til igen, og det, Shopify sender imens, holdes tilbage.',
    'settings.moduleAlready': 'Modulet {module} er allerede slået {on, select, true {til} other {fra}}.',
    'settings.moduleSwitchedOn': '{who} slog modulet {module} til.{after}',
    'settings.moduleSwitchedOff':
      '{who} slog modulet {module} fra: motorerne har fået besked om at stoppe med {carries}, og det, Shopify sender af dem, holdes tilbage, til modulet er slået til igen.',
    'settings.sentAgain':
      '{count, plural, one {# tilbageholdt overførsel blev sendt igen.} other {# tilbageholdte overførsler blev sendt igen.}}',
    'settings.stillDeactivated':
      'Selve integrationen er stadig slået fra, så det tilbageholdte bliver holdt tilbage, til den slås til.',

    'settings.languageMissing':
      'Angiv sproget: `/iex settings language da` (dansk) eller `/iex settings language en` (engelsk).',
    'settings.languageUnknown':
      '`{value}` er ikke et sprog, IEX taler: skriv `da` (dansk) eller `en` (engelsk), f.eks. `/iex settings language da`.',
    'settings.languageAlready': 'Sproget er allerede {language}.',
    'settings.languageSet':
      '{who} skiftede sproget til {language}: advarsler, mails og svar kommer nu på {language} — undtagen svar til personer, hvis chat-app oplyser deres eget sprog.',

    'settings.whichChat':
      'Sig, hvilken chat personen er i: tilføj `--platform slack` eller `--platform discord`. Brug: `{usage}`',
    'settings.mentionThem':
      'Nævn personen (skriv @ og vælg vedkommende på listen), eller angiv deres {platform}-bruger-id. Brug: `{usage}`',
    'settings.mentionNeither':
      'Nævn personen (skriv @ og vælg vedkommende på listen), eller angiv deres {platform}-bruger-id; `{word}` er ingen af delene. Brug: `{usage}`',
    'settings.giveRole':
      'Angiv rollen: admin (administrator, ændrer indstillinger) eller viewer (læser){owner, select, true {; en integration har én ejer, som jeres IEX-operatør udpeger} other {}}. Brug: `{usage}`',
    'settings.isOwner': '{name} er ejer; ejere beholder deres rolle.',
    'settings.alreadyRole': '{name} er allerede {role, select, admin {administrator} other {læser}}.',
    'settings.invited':
      '{who} inviterede {name} som {role, select, admin {administrator: vedkommende kan ændre indstillinger} other {læser: vedkommende kan se alt}}.',
    'settings.roleChanged':
      '{who} gjorde {name} til {role, select, admin {administrator: vedkommende kan ændre indstillinger} other {læser: vedkommende kan se alt}} (var {previous}).',
    'settings.notMember': '{name} er ikke medlem. `/iex settings` viser medlemmerne.',
    'settings.lastOwner':
      '{name} er den eneste ejer, og en integration skal have en til at styre sine medlemmer. Bed jeres IEX-operatør om først at gøre en anden til ejer.',
    'settings.removed': '{who} fjernede {name} fra medlemmerne. Vedkommende kan stadig se alt, som alle her kan.',
  },
);
