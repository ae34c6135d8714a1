import { defineMessages } from '../define-messages';

/**
 * The alerts the notifier posts (src/services/alerts/kinds/: failed transfers, dead letters, jobs,
 * the order allowance) and what they share: resolution, mute and repeat notes, buttons. They speak
 * the tenant's language, as they go to a channel or a mailbox, not to one person.
 */
export const alerts = defineMessages(
  {
    'alerts.resolved': 'Resolved: {headline}',
    'alerts.resolvedBold': '*Resolved:* {headline}',
    'alerts.at': '{what} at {time}',
    'alerts.field.last': 'Last',
    'alerts.field.since': 'Since',
    'alerts.field.error': 'Error',
    'alerts.field.recovered': 'Recovered',
    'alerts.field.replayed': 'Replayed',
    'alerts.field.topic': 'Topic',
    'alerts.field.consumer': 'Consumer',
    'alerts.ofCount': '{done} of {count}',
    'alerts.button.retry': 'Retry',
    'alerts.button.mute': 'Mute {hours} h',
    'alerts.button.openLog': 'Open log',
    'alerts.button.openTransfer': 'Open transfer',
    'alerts.button.runNow': 'Run now',
    'alerts.button.topUp': 'Top up',
    'alerts.button.subscription': 'Subscription',

    'alerts.failure.count':
      '{entity, select, order {{count, plural, one {# order failed} other {# orders failed}}} product {{count, plural, one {# product failed} other {# products failed}}} other {{count, plural, one {# stock update failed} other {# stock updates failed}}}}',
    'alerts.failure.resolvedNote':
      '{count, plural, one {It} =2 {Both} other {All #}} succeeded on retry · resolved at {time} · error `{code}`',
    'alerts.failure.repeated': 'Still failing since {time}: the count includes the failures posted earlier.',
    'alerts.failure.muted': 'Muted until {time}: new failures are counted, not posted.',

    'alerts.deadLetter.headline':
      '{count, plural, one {# message} other {# messages}} not processed · {what} · {reason}',
    'alerts.deadLetter.seeReason': 'see the reason',
    'alerts.deadLetter.severalReasons': 'several reasons',
    'alerts.deadLetter.resolvedNote':
      '{count, plural, one {It was} =2 {Both were} other {All # were}} replayed · the last at {time} · they go through the pipeline again',
    'alerts.deadLetter.kept':
      'Kept on the dead-letter topic, so nothing is lost: an IEX operator can replay {count, plural, one {it} other {them}} once the cause is fixed.',
    'alerts.deadLetter.repeated': 'Still happening since {time}: the count includes those posted earlier.',
    'alerts.deadLetter.muted': 'Muted until {time}: new ones are counted, not posted.',
    'alerts.topic.webhooksRaw': 'Shopify webhooks',
    'alerts.topic.transfers': 'transfer events',
    'alerts.topic.alerts': 'alerts',
    'alerts.topic.commands': 'commands to the integration engine',
    'alerts.topic.deadLetter': 'dead letters',
    'alerts.topic.tenants': 'tenant specifications from the IEX platform',

    'alerts.job.name': '{connection} ({entity, select, order {orders} product {products} other {stock}})',
    'alerts.job.missed': '{name} missed its scheduled run due {time}',
    'alerts.job.missedRuns': '{count, plural, one {# run missed} other {# runs missed}}',
    'alerts.job.failed':
      '{name}: {count, plural, one {the last scheduled run failed} other {the last # scheduled runs failed}}',
    'alerts.job.noAnswer': '{name}: the last scheduled run got no answer from the integration engine',
    'alerts.job.failedNoAnswer':
      '{name}: the last {count, plural, one {scheduled run} other {# scheduled runs}} failed · the last one got no answer from the integration engine',
    'alerts.job.resolved': 'Resolved: {name} ran fine at {time}',
    'alerts.job.was': 'Was: {headline}',
    'alerts.job.lastRun': 'Last run {time}',
    'alerts.job.alertingSince': 'Alerting since {time}',
    'alerts.job.muted': 'Muted until {time}: new misses and failures are counted, not posted',

    'alerts.quota.usage': 'Orders: {used} of {allowance} used ({percent} %)',
    'alerts.quota.threshold': '{threshold} % of the orders of {month} are used',
    'alerts.quota.thresholdNote':
      'When they are used up, the integration tops up automatically if that is on; otherwise new orders are held.',
    'alerts.quota.topup':
      'Topped up {orders, plural, one {# order} other {# orders}} automatically · invoice {invoice} · {total}',
    'alerts.quota.exceeded': 'The orders of {month} are used up: new orders are held until you top up',
    'alerts.quota.exceededNote':
      'Automatic top-up is off or has reached its limit for this period. Held orders are sent as soon as orders are added.',
  },
  {
    'alerts.resolved': 'Løst: {headline}',
    'alerts.resolvedBold': '*Løst:* {headline}',
    'alerts.at': '{what}, {time}',
    'alerts.field.last': 'Seneste',
    'alerts.field.since': 'Siden',
    'alerts.field.error': 'Fejl',
    'alerts.field.recovered': 'Lykkedes siden',
    'alerts.field.replayed': 'Sendt igen',
    'alerts.field.topic': 'Kafka-emne',
    'alerts.field.consumer': 'Modtagergruppe',
    'alerts.ofCount': '{done} af {count}',
    'alerts.button.retry': 'Prøv igen',
    'alerts.button.mute': 'Lydløs {hours} t',
    'alerts.button.openLog': 'Åbn loggen',
    'alerts.button.openTransfer': 'Åbn overførslen',
    'alerts.button.runNow': 'Kør nu',
    'alerts.button.topUp': 'Køb ekstra ordrer',
    'alerts.button.subscription': 'Abonnement',

    'alerts.failure.count':
      '{entity, select, order {{count, plural, one {# ordre fejlede} other {# ordrer fejlede}}} product {{count, plural, one {# produkt fejlede} other {# produkter fejlede}}} other {{count, plural, one {# lageropdatering fejlede} other {# lageropdateringer fejlede}}}}',
    'alerts.failure.resolvedNote':
      '{count, plural, one {Den lykkedes} =2 {Begge lykkedes} other {Alle # lykkedes}} ved et nyt forsøg · løst {time} · fejl `{code}`',
    'alerts.failure.repeated': 'Fejler stadig siden {time}: antallet omfatter de fejl, der blev sendt tidligere.',
    'alerts.failure.muted': 'Lydløs indtil {time}: nye fejl tælles med, men sendes ikke.',

    'alerts.deadLetter.headline':
      '{count, plural, one {# besked} other {# beskeder}} ikke behandlet · {what} · {reason}',
    'alerts.deadLetter.seeReason': 'se årsagen',
    'alerts.deadLetter.severalReasons': 'flere årsager',
    'alerts.deadLetter.resolvedNote':
      '{count, plural, one {Den er} =2 {Begge er} other {Alle # er}} sendt igennem igen · den sidste {time} · de bliver behandlet forfra',
    'alerts.deadLetter.kept':
      'Gemt i fejlkøen (dead letter-emnet), så intet går tabt: en IEX-operatør kan sende {count, plural, one {den} other {dem}} igennem igen, når årsagen er rettet.',
    'alerts.deadLetter.repeated': 'Sker stadig siden {time}: antallet omfatter dem, der blev sendt tidligere.',
    'alerts.deadLetter.muted': 'Lydløs indtil {time}: nye tælles med, men sendes ikke.',
    'alerts.topic.webhooksRaw': 'Shopify-webhooks',
    'alerts.topic.transfers': 'overførselshændelser',
    'alerts.topic.alerts': 'advarsler',
    'alerts.topic.commands': 'kommandoer til integrationsmotoren',
    'alerts.topic.deadLetter': 'beskeder i fejlkøen',
    'alerts.topic.tenants': 'integrationsbeskrivelser fra IEX-platformen',

    'alerts.job.name': '{connection} ({entity, select, order {ordrer} product {produkter} other {lager}})',
    'alerts.job.missed': '{name}: den planlagte kørsel {time} blev ikke udført',
    'alerts.job.missedRuns': '{count, plural, one {# kørsel ikke udført} other {# kørsler ikke udført}}',
    'alerts.job.failed':
      '{name}: {count, plural, one {den seneste planlagte kørsel fejlede} other {de seneste # planlagte kørsler fejlede}}',
    'alerts.job.noAnswer': '{name}: den seneste planlagte kørsel fik intet svar fra integrationsmotoren',
    'alerts.job.failedNoAnswer':
      '{name}: {count, plural, one {den seneste planlagte kørsel} other {de seneste # planlagte kørsler}} fejlede · den sidste fik intet svar fra integrationsmotoren',
    'alerts.job.resolved': 'Løst: {name} kørte fint {time}',
    'alerts.job.was': 'Var: {headline}',
    'alerts.job.lastRun': 'Seneste kørsel {time}',
    'alerts.job.alertingSince': 'Advarer siden {time}',
    'alerts.job.muted': 'Lydløs indtil {time}: nye udeblevne og fejlede kørsler tælles med, men sendes ikke',

    'alerts.quota.usage': 'Ordrer: {used} af {allowance} brugt ({percent} %)',
    'alerts.quota.threshold': '{threshold} % af ordrerne for {month} er brugt',
    'alerts.quota.thresholdNote':
      'Når de er brugt op, køber integrationen automatisk ekstra ordrer, hvis det er slået til; ellers bliver nye ordrer tilbageholdt.',
    'alerts.quota.topup':
      '{orders, plural, one {# ekstra ordre} other {# ekstra ordrer}} købt automatisk · faktura {invoice} · {total}',
    'alerts.quota.exceeded':
      'Ordrerne for {month} er brugt op: nye ordrer bliver tilbageholdt, indtil du køber ekstra ordrer',
    'alerts.quota.exceededNote':
      'Automatisk køb af ekstra ordrer er slået fra eller har nået sin grænse for denne periode. Tilbageholdte ordrer sendes, så snart der er købt flere.',
  },
);
