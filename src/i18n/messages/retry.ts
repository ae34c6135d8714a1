import { defineMessages } from '../define-messages';

/** `/iex retry`: one transfer, or all that match a filter after a confirmation, and its results. */
export const retry = defineMessages(
  {
    'retry.summary': 'Retry one failed or held transfer, or all that match a filter (after a confirmation)',
    'retry.help':
      'Examples:\n`/iex retry TRANSFER_ID` or `/iex retry #1001` — retry one transfer\n`/iex retry failed --since 2h` — asks "Retry 12 failed transfers … since 13:05?" first\n`/iex retry failed --since 2h --connection orders --code economic.vat_zone_unknown` — after fixing a VAT zone\n`/iex retry held --system shopify` — release what was held while something was off\nThe retries go to the engine as commands, paced; "Check results" shows how they went. Succeeded and running transfers are not retried, nor those whose connection, module or integration is still off. At most 1000 at once.',
    'retry.word.transfer': 'Retry one transfer: its id or order number',
    'retry.word.status': 'Or retry all failed or held transfers that match the filters (asks first)',
    'retry.args.status': 'only failed and held transfers are retried',
    'retry.args.what': 'say what to retry',
    'retry.args.one': 'give one transfer id or one status',
    'retry.err.optionsOne': 'Options filter a bulk retry: `/iex retry failed --since 2h`. Usage: {usage}',
    'retry.err.statusOnce': 'Give the status once, as the first word. Usage: {usage}',
    'retry.err.succeeded':
      'Succeeded transfers are done; retrying them would transfer them twice. Retry `failed` or `held` ones.',
    'retry.err.started':
      'Started transfers are still running; retrying them could transfer them twice. Retry them if they fail.',
    'retry.err.tooLong': 'This filter is too long for a confirmation button; use fewer options or a shorter --code.',
    'retry.err.noRecord': 'There is no record of that retry in this integration.',
    'retry.checkResults': 'Check results',
    'retry.checkResult': 'Check result',
    'retry.checkAgain': 'Check again',
    'retry.details': 'Details',
    'retry.pace': 'They go to the engine at up to {perSecond} a second (about {seconds} s). ',
    'retry.one.done':
      '{held, select, yes {Released} other {Retrying}} {name} ({connection}): the engine runs it again.',
    'retry.one.note': 'Its outcome arrives as an ordinary transfer event: the log and "Check result" show it.',
    'retry.selection':
      '{count, plural, one {# {status, select, failed {failed} other {held}} {entity, select, order {order } product {product } stock {stock } other {}}transfer} other {# {status, select, failed {failed} other {held}} {entity, select, order {order } product {product } stock {stock } other {}}transfers}}{where}{since}',
    'retry.where.connection': ' of {connection}',
    'retry.where.system': ' from or to {system}',
    'retry.where.connections': ' of {count} connections',
    'retry.since': ' since {when}',
    'retry.nothing':
      'No {status, select, failed {failed} other {held}} transfers match{hasFilter, select, yes { ({filter})} other {}}: nothing to retry.',
    'retry.openLog': 'Open the log',
    'retry.showThem': 'Show them',
    'retry.blockedLine': '• {count, plural, one {# transfer} other {# transfers}}: {reason}',
    'retry.noneCanRun': '{selection} {count, plural, one {matches} other {match}}, but none can run now:',
    'retry.switchOnFirst': 'Switch that back on first; switching a connection on releases what it held.',
    'retry.askSome': '{selection} {count, plural, one {matches} other {match}}. Retry {sending} of them?',
    'retry.askAll': 'Retry {selection}?',
    'retry.askHeader': 'Retry {status, select, failed {failed} other {held}} transfers',
    'retry.notRetried': 'Not retried, because they cannot run now:\n{lines}',
    'retry.atMost': 'At most {max} at once, the oldest first; ask again for the rest.',
    'retry.heldRunsNow': 'Releasing a held transfer runs it now. ',
    'retry.eachGoes':
      'Each goes to the engine as a retry command; the outcomes arrive as ordinary transfers in the log.',
    'retry.retryN': 'Retry {count}',
    'retry.nothingLeft': 'Nothing left to retry ({filter}): they have been retried or changed since you asked.',
    'retry.already':
      'These {count, plural, one {# retry was} other {# retries were}} queued already, {when}: {sent} of {queued} sent to the engine so far. Nothing was sent again.',
    'retry.queued': 'Queued {count, plural, one {# retry} other {# retries}} ({filter}).',
    'retry.outcomesArrive': 'Their outcomes arrive as ordinary transfers: "Check results" counts how they went.',
    'retry.results.summary':
      'Retry of {count, plural, one {# transfer} other {# transfers}} ({when}): {succeeded} succeeded, {failed} failed again, {pending} pending.',
    'retry.results.header': 'Retry results',
    'retry.results.line':
      'Retry of {count, plural, one {# transfer} other {# transfers}}, sent {when} · {done} of {total} done',
    'retry.results.succeeded': '✅ Succeeded',
    'retry.results.failed': '❌ Failed again',
    'retry.results.running': '⏳ Running',
    'retry.results.waiting': 'Waiting for the engine',
    'retry.results.unsent': 'Still to send to the engine',
    'retry.results.gone': 'No longer kept',
    'retry.results.openFailures': 'Open the failures',
    'retry.results.checked': 'Checked {when}.',
    'retry.cancelled': 'Cancelled: nothing was retried.',
  },
  {
    'retry.summary':
      'Prøv en fejlet eller tilbageholdt overførsel igen, eller alle, som et filter finder (spørger først)',
    'retry.help':
      'Eksempler:\n`/iex retry TRANSFER_ID` eller `/iex retry #1001` — prøv én overførsel igen\n`/iex retry failed --since 2h` — spørger først "Prøv 12 fejlede overførsler … siden 13.05 igen?"\n`/iex retry failed --since 2h --connection orders --code economic.vat_zone_unknown` — efter at en momszone er rettet\n`/iex retry held --system shopify` — frigiv det, der blev holdt tilbage, mens noget var slået fra\nNye forsøg sendes til motoren som kommandoer i roligt tempo; "Se resultater" viser, hvordan det gik. Gennemførte og igangværende overførsler prøves ikke igen, heller ikke dem, hvis forbindelse, modul eller integration stadig er slået fra. Højst 1000 ad gangen.',
    'retry.word.transfer': 'Prøv én overførsel igen: dens id eller ordrenummer',
    'retry.word.status': 'Eller prøv alle fejlede eller tilbageholdte, der passer til filtrene, igen (spørger først)',
    'retry.args.status': 'kun fejlede og tilbageholdte overførsler kan prøves igen',
    'retry.args.what': 'angiv, hvad der skal prøves igen',
    'retry.args.one': 'angiv ét overførsels-id eller én status',
    'retry.err.optionsOne': 'Tilvalg filtrerer en samlet genkørsel: `/iex retry failed --since 2h`. Brug: {usage}',
    'retry.err.statusOnce': 'Angiv status én gang, som det første ord. Brug: {usage}',
    'retry.err.succeeded':
      'Gennemførte overførsler er færdige; prøves de igen, overføres de to gange. Prøv `failed` eller `held` igen.',
    'retry.err.started':
      'Påbegyndte overførsler kører stadig; prøves de igen, kan de blive overført to gange. Prøv dem igen, hvis de fejler.',
    'retry.err.tooLong': 'Filteret er for langt til en bekræftelsesknap; brug færre tilvalg eller en kortere --code.',
    'retry.err.noRecord': 'Der er ingen registrering af det nye forsøg i denne integration.',
    'retry.checkResults': 'Se resultater',
    'retry.checkResult': 'Se resultat',
    'retry.checkAgain': 'Se igen',
    'retry.details': 'Detaljer',
    'retry.pace': 'De sendes til motoren med op til {perSecond} i sekundet (ca. {seconds} s). ',
    'retry.one.done':
      '{held, select, yes {Frigivet} other {Prøver igen}}: {name} ({connection}); motoren kører den igen.',
    'retry.one.note': 'Resultatet kommer som en almindelig overførselshændelse: loggen og "Se resultat" viser det.',
    'retry.selection':
      '{count, plural, one {# {status, select, failed {fejlet} other {tilbageholdt}} {entity, select, order {ordreoverførsel} product {produktoverførsel} stock {lageroverførsel} other {overførsel}}} other {# {status, select, failed {fejlede} other {tilbageholdte}} {entity, select, order {ordreoverførsler} product {produktoverførsler} stock {lageroverførsler} other {overførsler}}}}{where}{since}',
    'retry.where.connection': ' på {connection}',
    'retry.where.system': ' fra eller til {system}',
    'retry.where.connections': ' på {count} forbindelser',
    'retry.since': ' siden {when}',
    'retry.nothing':
      'Ingen {status, select, failed {fejlede} other {tilbageholdte}} overførsler passer{hasFilter, select, yes { ({filter})} other {}}: intet at prøve igen.',
    'retry.openLog': 'Åbn loggen',
    'retry.showThem': 'Vis dem',
    'retry.blockedLine': '• {count, plural, one {# overførsel} other {# overførsler}}: {reason}',
    'retry.noneCanRun': '{selection} passer, men ingen af dem kan køre nu:',
    'retry.switchOnFirst': 'Slå det til igen først; når en forbindelse slås til, frigives det, den holdt tilbage.',
    'retry.askSome': '{selection} passer. Prøv {sending} af dem igen?',
    'retry.askAll': 'Prøv {selection} igen?',
    'retry.askHeader': 'Prøv {status, select, failed {fejlede} other {tilbageholdte}} overførsler igen',
    'retry.notRetried': 'Prøves ikke igen, fordi de ikke kan køre nu:\n{lines}',
    'retry.atMost': 'Højst {max} ad gangen, de ældste først; spørg igen for resten.',
    'retry.heldRunsNow': 'En tilbageholdt overførsel kører med det samme, når den frigives. ',
    'retry.eachGoes':
      'Hver af dem sendes til motoren som en kommando om at prøve igen; resultaterne kommer som almindelige overførsler i loggen.',
    'retry.retryN': 'Prøv {count} igen',
    'retry.nothingLeft': 'Intet tilbage at prøve igen ({filter}): de er prøvet igen eller ændret, siden du spurgte.',
    'retry.already':
      '{count, plural, one {Dette nye forsøg} other {Disse # nye forsøg}} var allerede sat i kø {when}: {sent} af {queued} er sendt til motoren indtil nu. Intet blev sendt igen.',
    'retry.queued': '{count, plural, one {# nyt forsøg} other {# nye forsøg}} sat i kø ({filter}).',
    'retry.outcomesArrive': 'Resultaterne kommer som almindelige overførsler: "Se resultater" tæller, hvordan det gik.',
    'retry.results.summary':
      'Nyt forsøg med {count, plural, one {# overførsel} other {# overførsler}} ({when}): {succeeded} gennemført, {failed} fejlede igen, {pending} venter.',
    'retry.results.header': 'Resultat af nye forsøg',
    'retry.results.line':
      'Nyt forsøg med {count, plural, one {# overførsel} other {# overførsler}}, sendt {when} · {done} af {total} færdige',
    'retry.results.succeeded': '✅ Gennemført',
    'retry.results.failed': '❌ Fejlede igen',
    'retry.results.running': '⏳ Kører',
    'retry.results.waiting': 'Venter på motoren',
    'retry.results.unsent': 'Mangler at blive sendt til motoren',
    'retry.results.gone': 'Gemmes ikke længere',
    'retry.results.openFailures': 'Åbn fejlene',
    'retry.results.checked': 'Tjekket {when}.',
    'retry.cancelled': 'Annulleret: intet blev prøvet igen.',
  },
);
