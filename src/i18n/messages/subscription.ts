import { defineMessages } from '../define-messages';

/**
 * `/iex subscription`: the plan and the period's orders, plan changes, automatic top-up, billing
 * details and invoices. Money is `t.money`, order counts `common.orders`, periods `t.period`.
 */
export const subscription = defineMessages(
  {
    'subscription.summary':
      'Plan, orders used and left, top-ups, billing details and invoices; top up, upgrade, automatic top-up',
    'subscription.help':
      "Without words, shows the plan and this period's orders. Buttons: *Top up* buys extra orders for this period, *Upgrade plan* changes the plan (an upgrade applies at once and its price difference for the rest of the period is invoiced; a downgrade applies from the next period), *Automatic top-up* on or off.\n" +
      '• `/iex subscription autotopup on|off [--pack 100|500|1000] [--max N]` — what automatic top-up buys when the orders run out: which pack, and at most how many packs a period (0–50). E.g. `/iex subscription autotopup on --pack 500 --max 3`.\n' +
      '• `/iex subscription billing [--company "…"] [--vat DK12345678] [--email …] [--address "…"]` — the details invoices are made out to. Put a value with spaces in double quotes: `/iex subscription billing --company "Shop ApS" --address "Storegade 1, 8000 Aarhus C" --vat DK12345678 --email finance@shop.dk`; `--address ""` clears one.\n' +
      '• `/iex subscription invoice NUMBER` — one invoice with its lines, net amount, VAT 25 % and total; `/iex subscription invoices` lists them all.\n' +
      'Changing anything needs an admin.',
    'subscription.opt.action': 'Automatic top-up or billing details (admins), one invoice, or all invoices',
    'subscription.opt.state': 'autotopup: on or off',
    'subscription.opt.number': 'invoice: the invoice number, e.g. IEX-20261120-3AB7D8',
    'subscription.opt.pack': 'autotopup: the pack it buys',
    'subscription.opt.max': 'autotopup: at most this many packs a period',
    'subscription.opt.company': 'billing: the company invoices are made out to',
    'subscription.opt.vat': 'billing: VAT number, e.g. DK12345678',
    'subscription.opt.email': 'billing: the e-mail address invoices go to',
    'subscription.opt.address': 'billing: the postal address',
    'subscription.arg.twoWords': 'at most two words, e.g. `autotopup on` or `invoice NUMBER`',
    'subscription.arg.needsValue': 'needs a value',
    'subscription.doing.autotopup': 'change automatic top-up',
    'subscription.doing.billing': 'change the billing details',
    'subscription.doesNotGo': '{flags} does not go with this. Usage: `{usage}`',
    'subscription.notAnOption':
      '`{value}` is not an option. Put a value with spaces in double quotes, e.g. --company "Shop ApS". Usage: `{usage}`',
    'subscription.invoicesNoWords': '`invoices` takes no more words. Usage: `{usage}`',
    'subscription.notPart': '`{word}` is not part of `/iex subscription`. Usage: `{usage}`',

    'subscription.none': 'This integration has no subscription yet. Ask your IEX contact to set one up.',
    'subscription.monthly': '{price} a month excl. VAT',
    'subscription.customAgreement': 'custom agreement',
    'subscription.timesAPeriod': '{count, plural, one {once a period} other {# times a period}}',
    'subscription.title': 'Subscription — {plan}',
    'subscription.field.plan': 'Plan',
    'subscription.field.included': 'Included orders',
    'subscription.field.used': 'Used in {period}',
    'subscription.field.topUps': 'Top-ups this period',
    'subscription.field.remaining': 'Remaining',
    'subscription.aMonth': '{orders} a month',
    'subscription.planValue': '*{plan}* · {price}',
    'subscription.topUpsNone': 'none',
    'subscription.topUps': '{count} · {orders}',
    'subscription.topUpsAutomatic': '{count} · {orders} ({automatic} automatic)',
    'subscription.remainingOver': 'none — {over} over',
    'subscription.ordersUsed': '*Orders used:* {used} of {allowance}  {bar}',
    'subscription.pendingChange': 'Changes to *{plan}* on {day}, when the next period begins.',
    'subscription.autoTopUpOff':
      '*Automatic top-up:* off — when the orders run out, new orders are held until someone tops up. Switched on, it adds {pack} at a time, at most {times}.',
    'subscription.autoTopUpOn':
      '*Automatic top-up:* on — when the orders run out, {pack} are added for {price} excl. VAT, at most {times} ({bought} so far).',
    'subscription.billingTitle': '*Billing details*',
    'subscription.billing.company': 'Company',
    'subscription.billing.vatNumber': 'VAT number',
    'subscription.billing.email': 'Invoice e-mail',
    'subscription.billing.address': 'Address',
    'subscription.noBilling': 'No billing details on file.',
    'subscription.changeBilling': 'Change them: `{usage}`',
    'subscription.latestInvoices': '*Latest invoices*',
    'subscription.noInvoices': 'No invoices yet.',
    'subscription.oneInFull': 'One in full: `{usage}`',
    'subscription.button.topUp': 'Top up',
    'subscription.button.upgrade': 'Upgrade plan',
    'subscription.button.allInvoices': 'All invoices ({count})',
    'subscription.button.autoOff': 'Automatic top-up off',
    'subscription.button.autoOn': 'Automatic top-up on',
    'subscription.confirm.autoOff.title': 'Switch automatic top-up off?',
    'subscription.confirm.autoOff.text':
      'When the orders of a period run out, new orders are held until someone tops up with `/iex topup`.',
    'subscription.confirm.autoOff.confirm': 'Switch off',
    'subscription.confirm.autoOn.title': 'Switch automatic top-up on?',
    'subscription.confirm.autoOn.text':
      'This period is {over} over its allowance: packs of {pack} are bought at once, and invoiced.',
    'subscription.confirm.autoOn.confirm': 'Switch on and buy',
    'subscription.fallback': '{plan}: {used} of {allowance} orders used in {period}',

    'subscription.upgradeCost':
      'Charged now for the {days, plural, one {# day} other {# days}} left of {period}: {net} + VAT = {total}.',
    'subscription.button.keep': 'Keep {plan}',
    'subscription.button.upgradeTo': 'Upgrade to {plan}',
    'subscription.button.downgradeTo': 'Downgrade to {plan}',
    'subscription.confirm.upgrade.title': 'Upgrade to {plan}?',
    'subscription.confirm.upgrade.text': 'From now on, this period included: {orders} a month for {monthly}.',
    'subscription.confirm.upgrade.confirm': 'Upgrade',
    'subscription.confirm.downgrade.title': 'Downgrade to {plan}?',
    'subscription.confirm.downgrade.text':
      'From {day}: {orders} a month for {monthly}. This period keeps its {current}.',
    'subscription.confirm.downgrade.confirm': 'Downgrade',
    'subscription.plansTitle': 'Change plan',
    'subscription.planLine': '• *{plan}* — {orders} a month · {monthly}',
    'subscription.yourPlan': '{line}  _(your plan)_',
    'subscription.youAreOn': 'You are on *{plan}* ({orders} a month).',
    'subscription.changeWaits': 'A change to *{plan}* waits for {day}.',
    'subscription.plansHint':
      'An upgrade applies at once: its orders count for this period, and the price difference for the days left of it is invoiced. A downgrade applies from {day}, when the next period begins.',
    'subscription.back': 'Back',
    'subscription.plansFallback': 'Plans: {plans}',
    'subscription.noSuchPlan': 'That plan is no longer offered. Run `/iex subscription` again.',
    'subscription.alreadyUpgraded':
      'Already upgraded to *{plan}* on invoice `{invoice}` ({total} incl. VAT). Nothing was charged again.',
    'subscription.upgraded':
      'Upgraded from {from} to *{plan}*: {orders} a month, counting from this period, for {monthly}.',
    'subscription.upgradeInvoice': 'Invoice `{invoice}`: {description}, {net} + VAT {vat} = {total}.',
    'subscription.releasedHold': 'Orders held because the allowance was used up are released.',
    'subscription.scheduled':
      'Your plan changes from {from} to *{plan}* on {day} ({orders} a month, {monthly}). Until then you keep {from}.',
    'subscription.cancelled': 'The change to {dropped} is cancelled: you stay on *{current}*.',
    'subscription.alreadyOn': 'You are already on *{plan}*.',

    'subscription.policy': '{pack} are added, at most {times}',
    'subscription.autoAlreadyOn': 'Automatic top-up is already on: when the orders run out, {policy}.',
    'subscription.autoAlreadyOff': 'Automatic top-up is already off.',
    'subscription.autoNowOn': 'Automatic top-up is on: when the orders run out, {policy}.',
    'subscription.autoNowOff':
      'Automatic top-up is off: when the orders run out, new orders are held until someone tops up with `/iex topup`.',
    'subscription.autoStaysOff': 'Automatic top-up stays off; switched on, {policy}.',
    'subscription.packsBought':
      'The period was over its allowance, so {count, plural, one {a pack was} other {# packs were}} bought at once.',
    'subscription.sayOnOff': '`{state}`: say on or off. Usage: `{usage}`',
    'subscription.badMax': '--max: give a whole number from 0 to {max} (automatic packs a period), not `{value}`.',
    'subscription.sayWhat': 'Say what to change. Usage: `{usage}`',
    'subscription.tooLong': '--{field}: at most {max} characters.',
    'subscription.badVat':
      '--vat: `{value}` is not a VAT number; give the country prefix and 8–12 digits or letters, e.g. DK12345678.',
    'subscription.badEmail': '--email: `{value}` is not a valid e-mail address.',
    'subscription.giveOne': 'Give at least one of --company, --vat, --email, --address. Usage: `{usage}`',
    'subscription.billingAlready': 'The billing details were already so.',
    'subscription.billingChanged': 'Billing details changed: {changes}.',
    'subscription.billingCleared': '{field} cleared',
    'subscription.billingSet': '{field} {value}',
    'subscription.field.company': 'company',
    'subscription.field.vatNumber': 'VAT number',
    'subscription.field.email': 'invoice e-mail',
    'subscription.field.address': 'address',

    'subscription.invoiceLine': '• `{number}` · {day} · {total} incl. VAT — {description}',
    'subscription.invoiceTitle': 'Invoice {number}',
    'subscription.invoice.number': 'Number',
    'subscription.invoice.date': 'Date',
    'subscription.invoice.net': 'Net',
    'subscription.invoice.vat': 'VAT {percent} %',
    'subscription.invoice.total': 'Total',
    'subscription.invoice.allInvoices': 'All invoices',
    'subscription.invoice.subscription': 'Subscription',
    'subscription.invoiceFallback': 'Invoice {number} of {day}: {total} incl. VAT — {description}',
    'subscription.whichInvoice': 'Which invoice? Usage: `{usage}`',
    'subscription.noSuchInvoice':
      'There is no invoice `{number}` for this integration. `/iex subscription invoices` lists them.',
    'subscription.invoicesFallback': 'Invoices, page {page} of {pages}',
    'subscription.invoicesTitle': 'Invoices',
    'subscription.newestFirst': 'Newest first. One in full: `{usage}`',
    'subscription.noInvoicesOnPage': 'No invoices on this page.',
  },
  {
    'subscription.summary':
      'Abonnement, ordrer brugt og tilbage, ekstra ordrer, faktureringsoplysninger og fakturaer; køb ekstra ordrer, opgradér, automatisk køb',
    'subscription.help':
      'Uden ord vises abonnementet og periodens ordrer. Knapper: *Køb ekstra ordrer* køber flere ordrer til denne periode, *Skift abonnement* skifter abonnement (en opgradering gælder med det samme, og prisforskellen for resten af perioden faktureres; en nedgradering gælder fra næste periode), *Automatisk køb* til eller fra.\n' +
      '• `/iex subscription autotopup on|off [--pack 100|500|1000] [--max N]` — hvad det automatiske køb af ekstra ordrer køber, når ordrerne slipper op: hvilken pakke, og højst hvor mange pakker pr. periode (0–50). F.eks. `/iex subscription autotopup on --pack 500 --max 3`.\n' +
      '• `/iex subscription billing [--company "…"] [--vat DK12345678] [--email …] [--address "…"]` — de oplysninger, fakturaerne udstedes til. Sæt en værdi med mellemrum i dobbelte anførselstegn: `/iex subscription billing --company "Shop ApS" --address "Storegade 1, 8000 Aarhus C" --vat DK12345678 --email finance@shop.dk`; `--address ""` fjerner en.\n' +
      '• `/iex subscription invoice NUMBER` — én faktura med linjer, nettobeløb, moms 25 % og i alt; `/iex subscription invoices` viser dem alle.\n' +
      'Alle ændringer kræver en administrator.',
    'subscription.opt.action':
      'Automatisk køb eller faktureringsoplysninger (administratorer), én faktura eller alle fakturaer',
    'subscription.opt.state': 'autotopup: on (til) eller off (fra)',
    'subscription.opt.number': 'invoice: fakturanummeret, f.eks. IEX-20261120-3AB7D8',
    'subscription.opt.pack': 'autotopup: den pakke, der købes',
    'subscription.opt.max': 'autotopup: højst så mange pakker pr. periode',
    'subscription.opt.company': 'billing: firmaet, fakturaerne udstedes til',
    'subscription.opt.vat': 'billing: momsnummer, f.eks. DK12345678',
    'subscription.opt.email': 'billing: den e-mailadresse, fakturaerne sendes til',
    'subscription.opt.address': 'billing: postadressen',
    'subscription.arg.twoWords': 'højst to ord, f.eks. `autotopup on` eller `invoice NUMBER`',
    'subscription.arg.needsValue': 'mangler en værdi',
    'subscription.doing.autotopup': 'ændre det automatiske køb af ekstra ordrer',
    'subscription.doing.billing': 'ændre faktureringsoplysningerne',
    'subscription.doesNotGo': '{flags} hører ikke til her. Brug: `{usage}`',
    'subscription.notAnOption':
      '`{value}` er ikke en mulighed. Sæt en værdi med mellemrum i dobbelte anførselstegn, f.eks. --company "Shop ApS". Brug: `{usage}`',
    'subscription.invoicesNoWords': '`invoices` tager ikke flere ord. Brug: `{usage}`',
    'subscription.notPart': '`{word}` er ikke en del af `/iex subscription`. Brug: `{usage}`',

    'subscription.none': 'Integrationen har endnu intet abonnement. Bed jeres IEX-kontakt om at oprette et.',
    'subscription.monthly': '{price} om måneden ekskl. moms',
    'subscription.customAgreement': 'særlig aftale',
    'subscription.timesAPeriod': '{count, plural, one {én gang pr. periode} other {# gange pr. periode}}',
    'subscription.title': 'Abonnement — {plan}',
    'subscription.field.plan': 'Abonnement',
    'subscription.field.included': 'Inkluderede ordrer',
    'subscription.field.used': 'Brugt i {period}',
    'subscription.field.topUps': 'Ekstra ordrer i perioden',
    'subscription.field.remaining': 'Tilbage',
    'subscription.aMonth': '{orders} om måneden',
    'subscription.planValue': '*{plan}* · {price}',
    'subscription.topUpsNone': 'ingen',
    'subscription.topUps': '{count} · {orders}',
    'subscription.topUpsAutomatic': '{count} · {orders} ({automatic} automatisk)',
    'subscription.remainingOver': 'ingen — {over} for meget',
    'subscription.ordersUsed': '*Ordrer brugt:* {used} af {allowance}  {bar}',
    'subscription.pendingChange': 'Skifter til *{plan}* den {day}, når næste periode begynder.',
    'subscription.autoTopUpOff':
      '*Automatisk køb af ekstra ordrer:* fra — når ordrerne slipper op, holdes nye ordrer tilbage, til nogen køber ekstra ordrer. Slået til tilføjer det {pack} ad gangen, højst {times}.',
    'subscription.autoTopUpOn':
      '*Automatisk køb af ekstra ordrer:* til — når ordrerne slipper op, tilføjes {pack} for {price} ekskl. moms, højst {times} ({bought} indtil nu).',
    'subscription.billingTitle': '*Faktureringsoplysninger*',
    'subscription.billing.company': 'Firma',
    'subscription.billing.vatNumber': 'Momsnummer',
    'subscription.billing.email': 'Faktura-e-mail',
    'subscription.billing.address': 'Adresse',
    'subscription.noBilling': 'Ingen faktureringsoplysninger registreret.',
    'subscription.changeBilling': 'Ret dem: `{usage}`',
    'subscription.latestInvoices': '*Seneste fakturaer*',
    'subscription.noInvoices': 'Ingen fakturaer endnu.',
    'subscription.oneInFull': 'Se én fuldt ud: `{usage}`',
    'subscription.button.topUp': 'Køb ekstra ordrer',
    'subscription.button.upgrade': 'Skift abonnement',
    'subscription.button.allInvoices': 'Alle fakturaer ({count})',
    'subscription.button.autoOff': 'Slå automatisk køb fra',
    'subscription.button.autoOn': 'Slå automatisk køb til',
    'subscription.confirm.autoOff.title': 'Slå automatisk køb af ekstra ordrer fra?',
    'subscription.confirm.autoOff.text':
      'Når en periodes ordrer slipper op, holdes nye ordrer tilbage, til nogen køber ekstra ordrer med `/iex topup`.',
    'subscription.confirm.autoOff.confirm': 'Slå fra',
    'subscription.confirm.autoOn.title': 'Slå automatisk køb af ekstra ordrer til?',
    'subscription.confirm.autoOn.text':
      'Perioden er {over} over sin kvote: der købes straks pakker med {pack}, og de faktureres.',
    'subscription.confirm.autoOn.confirm': 'Slå til og køb',
    'subscription.fallback': '{plan}: {used} af {allowance} ordrer brugt i {period}',

    'subscription.upgradeCost':
      'Opkræves nu for {days, plural, one {den # dag} other {de # dage}}, der er tilbage af {period}: {net} + moms = {total}',
    'subscription.button.keep': 'Behold {plan}',
    'subscription.button.upgradeTo': 'Opgradér til {plan}',
    'subscription.button.downgradeTo': 'Nedgradér til {plan}',
    'subscription.confirm.upgrade.title': 'Opgradér til {plan}?',
    'subscription.confirm.upgrade.text': 'Fra nu af, også i denne periode: {orders} om måneden for {monthly}.',
    'subscription.confirm.upgrade.confirm': 'Opgradér',
    'subscription.confirm.downgrade.title': 'Nedgradér til {plan}?',
    'subscription.confirm.downgrade.text':
      'Fra {day}: {orders} om måneden for {monthly}. Denne periode beholder sine {current}.',
    'subscription.confirm.downgrade.confirm': 'Nedgradér',
    'subscription.plansTitle': 'Skift abonnement',
    'subscription.planLine': '• *{plan}* — {orders} om måneden · {monthly}',
    'subscription.yourPlan': '{line}  _(dit abonnement)_',
    'subscription.youAreOn': 'Du har *{plan}* ({orders} om måneden).',
    'subscription.changeWaits': 'Et skift til *{plan}* venter til {day}.',
    'subscription.plansHint':
      'En opgradering gælder med det samme: dens ordrer tæller i denne periode, og prisforskellen for periodens resterende dage faktureres. En nedgradering gælder fra {day}, når næste periode begynder.',
    'subscription.back': 'Tilbage',
    'subscription.plansFallback': 'Abonnementer: {plans}',
    'subscription.noSuchPlan': 'Det abonnement tilbydes ikke længere. Kør `/iex subscription` igen.',
    'subscription.alreadyUpgraded':
      'Allerede opgraderet til *{plan}* på faktura `{invoice}` ({total} inkl. moms). Intet blev opkrævet igen.',
    'subscription.upgraded':
      'Opgraderet fra {from} til *{plan}*: {orders} om måneden, fra og med denne periode, for {monthly}.',
    // Kroner end in "kr.", which ends the sentence too.
    'subscription.upgradeInvoice': 'Faktura `{invoice}`: {description}, {net} + moms {vat} = {total}',
    'subscription.releasedHold': 'Ordrer, der blev holdt tilbage, fordi kvoten var brugt op, er sendt videre.',
    'subscription.scheduled':
      'Dit abonnement skifter fra {from} til *{plan}* den {day} ({orders} om måneden, {monthly}). Indtil da beholder du {from}.',
    'subscription.cancelled': 'Skiftet til {dropped} er annulleret: du beholder *{current}*.',
    'subscription.alreadyOn': 'Du har allerede *{plan}*.',

    'subscription.policy': 'tilføjes {pack}, højst {times}',
    'subscription.autoAlreadyOn':
      'Automatisk køb af ekstra ordrer er allerede slået til: når ordrerne slipper op, {policy}.',
    'subscription.autoAlreadyOff': 'Automatisk køb af ekstra ordrer er allerede slået fra.',
    'subscription.autoNowOn': 'Automatisk køb af ekstra ordrer er slået til: når ordrerne slipper op, {policy}.',
    'subscription.autoNowOff':
      'Automatisk køb af ekstra ordrer er slået fra: når ordrerne slipper op, holdes nye ordrer tilbage, til nogen køber ekstra ordrer med `/iex topup`.',
    'subscription.autoStaysOff': 'Automatisk køb af ekstra ordrer forbliver slået fra; når det slås til, {policy}.',
    'subscription.packsBought':
      'Perioden var over sin kvote, så {count, plural, one {en pakke blev} other {# pakker blev}} købt med det samme.',
    'subscription.sayOnOff': '`{state}`: skriv on (til) eller off (fra). Brug: `{usage}`',
    'subscription.badMax': '--max: angiv et helt tal fra 0 til {max} (automatiske pakker pr. periode), ikke `{value}`.',
    'subscription.sayWhat': 'Sig, hvad der skal ændres. Brug: `{usage}`',
    'subscription.tooLong': '--{field}: højst {max} tegn.',
    'subscription.badVat':
      '--vat: `{value}` er ikke et momsnummer; angiv landekoden og 8–12 cifre eller bogstaver, f.eks. DK12345678.',
    'subscription.badEmail': '--email: `{value}` er ikke en gyldig e-mailadresse.',
    'subscription.giveOne': 'Angiv mindst én af --company, --vat, --email, --address. Brug: `{usage}`',
    'subscription.billingAlready': 'Faktureringsoplysningerne var allerede sådan.',
    'subscription.billingChanged': 'Faktureringsoplysninger ændret: {changes}.',
    'subscription.billingCleared': '{field} fjernet',
    'subscription.billingSet': '{field} {value}',
    'subscription.field.company': 'firma',
    'subscription.field.vatNumber': 'momsnummer',
    'subscription.field.email': 'faktura-e-mail',
    'subscription.field.address': 'adresse',

    'subscription.invoiceLine': '• `{number}` · {day} · {total} inkl. moms — {description}',
    'subscription.invoiceTitle': 'Faktura {number}',
    'subscription.invoice.number': 'Nummer',
    'subscription.invoice.date': 'Dato',
    'subscription.invoice.net': 'Netto',
    'subscription.invoice.vat': 'Moms {percent} %',
    'subscription.invoice.total': 'I alt',
    'subscription.invoice.allInvoices': 'Alle fakturaer',
    'subscription.invoice.subscription': 'Abonnement',
    'subscription.invoiceFallback': 'Faktura {number} fra {day}: {total} inkl. moms — {description}',
    'subscription.whichInvoice': 'Hvilken faktura? Brug: `{usage}`',
    'subscription.noSuchInvoice':
      'Der er ingen faktura `{number}` for denne integration. `/iex subscription invoices` viser dem.',
    'subscription.invoicesFallback': 'Fakturaer, side {page} af {pages}',
    'subscription.invoicesTitle': 'Fakturaer',
    'subscription.newestFirst': 'Nyeste først. Se én fuldt ud: `{usage}`',
    'subscription.noInvoicesOnPage': 'Ingen fakturaer på denne side.',
  },
);
