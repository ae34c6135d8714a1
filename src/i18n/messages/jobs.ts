import { defineMessages } from '../define-messages';

/** `/iex jobs`: scheduled runs, Run now and schedule changes. */
export const jobs = defineMessages(
  {
    'jobs.summary':
      'Scheduled runs: when each last ran, its result, when it runs next; run one now or change its schedule',
    'jobs.help':
      "Each scheduled connection shows its schedule in its time zone, its last run and result (from the transfers the run produced, or *no answer* when the integration engine sent none within the time limit), and its next run. A job is flagged when it missed a run. Webhook-driven connections are listed as event-driven: they react to changes, not to a schedule. A job is paused while its connection, its system, its module or the whole integration is off.\n`/iex jobs run CONNECTION` asks the engine to sync the connection now. `/iex jobs schedule CONNECTION CRON [--timezone ZONE]` changes when it runs, e.g. `/iex jobs schedule shopify-economic-products 0 6 * * 1-5` (06:00 on weekdays); the time zone is the integration's unless given. Both need an admin; changes take effect at once, without a restart.",
    'jobs.word.action': 'Run a job now, or change its schedule (admins); leave out to list the jobs',
    'jobs.word.connection': 'The scheduled connection',
    'jobs.word.cron': 'schedule: five cron fields, e.g. 0 6 * * 1-5 (06:00 on weekdays)',
    'jobs.flag.timezone': "schedule: a time zone, e.g. Europe/Copenhagen (default: the integration's)",
    'jobs.flag.page': 'Page of the scheduled jobs',
    'jobs.args.tooMany': 'too many words: a schedule has five fields',
    'jobs.doing.run': 'run a job',
    'jobs.doing.schedule': 'change a schedule',
    'jobs.result':
      ' — {transfers, plural, one {# transfer} other {# transfers}}{failed, plural, =0 {} other {, # failed}}',
    'jobs.status.failed': '*failed*{result}',
    'jobs.status.noAnswer': '*no answer* from the integration engine',
    'jobs.status.running': 'waiting for the engine{result}',
    'jobs.status.succeeded': 'succeeded{result}',
    'jobs.status.missed': 'missed',
    'jobs.status.skipped': 'skipped',
    'jobs.notYet': 'not yet',
    'jobs.paused': 'paused',
    'jobs.noneInSchedule': 'none found in the schedule',
    'jobs.lines': 'Last run: {last} · Next run: {next}',
    'jobs.pausedBy': '_Paused: {reason}_',
    'jobs.missedRun': '⚠ *Missed its run{hasDue, select, yes { due {due}} other {}}.*',
    'jobs.noConnections': 'This integration has no connections yet, so nothing runs on a schedule.',
    'jobs.header': 'Run settings (jobs)',
    'jobs.missed':
      '*{count, plural, one {# job missed its run} other {# jobs missed their run}}.* Each runs again at its next time; if runs keep being missed, tell your IEX contact.',
    'jobs.runNow': 'Run {label} ({entity}) now',
    'jobs.noneScheduled': 'No connection runs on a schedule.',
    'jobs.page': 'Page {page} of {pages} · {count, plural, one {# job} other {# jobs}} · `/iex jobs --page {next}`',
    'jobs.webhookLine':
      '• {label} · {entity} · event-driven, no schedule{hasPause, select, yes { · _paused: {reason}_} other {}}',
    'jobs.noScheduleLine': '• {label} · {entity} · ⚠ scheduled, but it has no schedule set',
    'jobs.eventDriven': '*Event-driven (webhooks)*\n{lines}',
    'jobs.webhookNote': 'Webhook connections need no job: they react to changes as they happen, not to a schedule.',
    'jobs.fallback.scheduled':
      '{label} {entity}: {missed, select, yes {MISSED, } other {}}next {hasNext, select, yes {{next} ({timezone})} other {none}}',
    'jobs.fallback.webhook': '{label} {entity}: event-driven',
    'jobs.known': ' Scheduled connections: {ids}.',
    'jobs.knownNone': ' No connection runs on a schedule.',
    'jobs.err.name': 'Name the connection. Usage: `{usage}`.{known}',
    'jobs.err.noConnection': 'There is no connection `{connection}`.{known}',
    'jobs.err.webhook':
      '{label} ({entity}) is event-driven: it reacts to webhooks as changes happen, so it has no schedule to run or change.',
    'jobs.err.gone': 'That connection no longer exists. Run `/iex jobs` again.',
    'jobs.err.webhookRun': '{label} is event-driven: it has no scheduled run.',
    'jobs.err.webhookSchedule': '{label} is event-driven: it has no schedule.',
    'jobs.skipped': '{label} ({entity}) did not run: {reason}',
    'jobs.you': 'You',
    'jobs.someone': 'Someone',
    'jobs.already':
      '{who} started a run of {label} ({entity}) at {at}, {ago} s ago: it is running, so it was not started again. `/iex jobs` shows its result when the engine answers.',
    'jobs.started':
      '{who} started a run of {label} ({entity}): the engine syncs it now. `/iex jobs` shows the result when it answers.',
    'jobs.err.notSchedule':
      '`{cron}` is not a schedule. Give five cron fields — minute hour day month weekday — e.g. `*/15 * * * *` (every 15 minutes) or `0 6 * * 1-5` (06:00 on weekdays).',
    'jobs.nothing': '(nothing)',
    'jobs.err.timezone': '`{timezone}` is not a time zone. Give one like `Europe/Copenhagen`.',
    'jobs.changed':
      '{who} changed the schedule of {label} ({entity}) to {schedule}{hasPrevious, select, yes {, was {previous}} other {}}. Next run: {next}.',
    'jobs.err.timezoneAlone': '`--timezone` goes with `schedule`.',
    'jobs.err.runUsage': 'Usage: `/iex jobs run CONNECTION`.',
    'jobs.err.verb': '`{verb}` is not a jobs command. Usage: `{usage}`.',
    'jobs.clock': '{hour}:{minute}',
    'jobs.cron':
      '{kind, select, minutes {{every, plural, one {every minute} other {every # minutes}}} hours {{every, plural, one {every hour} other {every # hours}}{minute, plural, =0 {, on the hour} one { at # minute past} other { at # minutes past}}} daily {every day at {clock}} weekdays {on weekdays at {clock}} weekly {every {weekday, select, 0 {Sunday} 1 {Monday} 2 {Tuesday} 3 {Wednesday} 4 {Thursday} 5 {Friday} other {Saturday}} at {clock}} other {on the {day, selectordinal, one {#st} two {#nd} few {#rd} other {#th}} of every month at {clock}}}',
    'jobs.schedule': '{words} ({timezone})',
  },
  {
    'jobs.summary': 'Planlagte kørsler: seneste kørsel og resultat, næste kørsel; kør én nu eller ændr dens plan',
    'jobs.help':
      'Hver planlagt forbindelse viser sin plan i sin tidszone, sin seneste kørsel og dens resultat (ud fra de overførsler, kørslen gav, eller *intet svar*, når integrationsmotoren ikke sendte nogen inden for tidsgrænsen) og sin næste kørsel. Et job markeres, når det har misset en kørsel. Forbindelser drevet af webhooks vises som hændelsesstyrede: de reagerer på ændringer, ikke på en plan. Et job holder pause, mens dets forbindelse, system, modul eller hele integrationen er slået fra.\n`/iex jobs run CONNECTION` beder motoren synkronisere forbindelsen nu. `/iex jobs schedule CONNECTION CRON [--timezone ZONE]` ændrer, hvornår den kører, f.eks. `/iex jobs schedule shopify-economic-products 0 6 * * 1-5` (kl. 06.00 på hverdage); tidszonen er integrationens, medmindre en anden angives. Begge kræver en administrator; ændringer gælder med det samme, uden genstart.',
    'jobs.word.action': 'Kør et job nu, eller ændr dets plan (administratorer); udelad for at se jobbene',
    'jobs.word.connection': 'Den planlagte forbindelse',
    'jobs.word.cron': 'schedule: fem cron-felter, f.eks. 0 6 * * 1-5 (kl. 06.00 på hverdage)',
    'jobs.flag.timezone': 'schedule: en tidszone, f.eks. Europe/Copenhagen (standard: integrationens)',
    'jobs.flag.page': 'Side med de planlagte job',
    'jobs.args.tooMany': 'for mange ord: en plan har fem felter',
    'jobs.doing.run': 'køre et job',
    'jobs.doing.schedule': 'ændre en plan',
    'jobs.result':
      ' — {transfers, plural, one {# overførsel} other {# overførsler}}{failed, plural, =0 {} other {, # fejlede}}',
    'jobs.status.failed': '*fejlede*{result}',
    'jobs.status.noAnswer': '*intet svar* fra integrationsmotoren',
    'jobs.status.running': 'venter på motoren{result}',
    'jobs.status.succeeded': 'gennemført{result}',
    'jobs.status.missed': 'misset',
    'jobs.status.skipped': 'sprunget over',
    'jobs.notYet': 'ikke endnu',
    'jobs.paused': 'på pause',
    'jobs.noneInSchedule': 'ingen fundet i planen',
    'jobs.lines': 'Seneste kørsel: {last} · Næste kørsel: {next}',
    'jobs.pausedBy': '_På pause: {reason}_',
    'jobs.missedRun': '⚠ *Missede sin kørsel{hasDue, select, yes { {due}} other {}}.*',
    'jobs.noConnections': 'Denne integration har endnu ingen forbindelser, så intet kører efter en plan.',
    'jobs.header': 'Kørselsindstillinger (job)',
    'jobs.missed':
      '*{count, plural, one {# job missede sin kørsel} other {# job missede deres kørsel}}.* Hvert job kører igen på sit næste tidspunkt; bliver kørsler ved med at blive misset, så sig det til din IEX-kontakt.',
    'jobs.runNow': 'Kør {label} ({entity}) nu',
    'jobs.noneScheduled': 'Ingen forbindelse kører efter en plan.',
    'jobs.page': 'Side {page} af {pages} · {count, plural, one {# job} other {# job}} · `/iex jobs --page {next}`',
    'jobs.webhookLine':
      '• {label} · {entity} · hændelsesstyret, ingen plan{hasPause, select, yes { · _på pause: {reason}_} other {}}',
    'jobs.noScheduleLine': '• {label} · {entity} · ⚠ planlagt, men der er ikke sat nogen plan',
    'jobs.eventDriven': '*Hændelsesstyrede (webhooks)*\n{lines}',
    'jobs.webhookNote':
      'Webhook-forbindelser behøver intet job: de reagerer på ændringer, når de sker, ikke på en plan.',
    'jobs.fallback.scheduled':
      '{label} {entity}: {missed, select, yes {MISSET, } other {}}næste {hasNext, select, yes {{next} ({timezone})} other {ingen}}',
    'jobs.fallback.webhook': '{label} {entity}: hændelsesstyret',
    'jobs.known': ' Planlagte forbindelser: {ids}.',
    'jobs.knownNone': ' Ingen forbindelse kører efter en plan.',
    'jobs.err.name': 'Angiv forbindelsen. Brug: `{usage}`.{known}',
    'jobs.err.noConnection': 'Der er ingen forbindelse `{connection}`.{known}',
    'jobs.err.webhook':
      '{label} ({entity}) er hændelsesstyret: den reagerer på webhooks, når ændringer sker, så den har ingen plan at køre eller ændre.',
    'jobs.err.gone': 'Den forbindelse findes ikke længere. Kør `/iex jobs` igen.',
    'jobs.err.webhookRun': '{label} er hændelsesstyret: den har ingen planlagt kørsel.',
    'jobs.err.webhookSchedule': '{label} er hændelsesstyret: den har ingen plan.',
    'jobs.skipped': '{label} ({entity}) kørte ikke: {reason}',
    'jobs.you': 'Du',
    'jobs.someone': 'Nogen',
    'jobs.already':
      '{who} startede en kørsel af {label} ({entity}) {at}, for {ago} s siden: den kører, så den blev ikke startet igen. `/iex jobs` viser resultatet, når motoren svarer.',
    'jobs.started':
      '{who} startede en kørsel af {label} ({entity}): motoren synkroniserer den nu. `/iex jobs` viser resultatet, når den svarer.',
    'jobs.err.notSchedule':
      '`{cron}` er ikke en plan. Angiv fem cron-felter — minut time dag måned ugedag — f.eks. `*/15 * * * *` (hvert 15. minut) eller `0 6 * * 1-5` (kl. 06.00 på hverdage).',
    'jobs.nothing': '(intet)',
    'jobs.err.timezone': '`{timezone}` er ikke en tidszone. Angiv en som `Europe/Copenhagen`.',
    'jobs.changed':
      '{who} ændrede planen for {label} ({entity}) til {schedule}{hasPrevious, select, yes {, var {previous}} other {}}. Næste kørsel: {next}.',
    'jobs.err.timezoneAlone': '`--timezone` hører til `schedule`.',
    'jobs.err.runUsage': 'Brug: `/iex jobs run CONNECTION`.',
    'jobs.err.verb': '`{verb}` er ikke en jobs-kommando. Brug: `{usage}`.',
    'jobs.clock': '{hour}.{minute}',
    'jobs.cron':
      '{kind, select, minutes {{every, plural, one {hvert minut} other {hvert #. minut}}} hours {{every, plural, one {hver time} other {hver #. time}}{minute, plural, =0 {, på slaget} other {, # min. over}}} daily {hver dag kl. {clock}} weekdays {på hverdage kl. {clock}} weekly {hver {weekday, select, 0 {søndag} 1 {mandag} 2 {tirsdag} 3 {onsdag} 4 {torsdag} 5 {fredag} other {lørdag}} kl. {clock}} other {den {day}. i hver måned kl. {clock}}}',
    'jobs.schedule': '{words} ({timezone})',
  },
);
