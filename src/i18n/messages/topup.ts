import { defineMessages } from '../define-messages';

/** `/iex topup`: extra orders for the period ("ekstra ordrer"), priced with VAT, bought once. */
export const topup = defineMessages(
  {
    'topup.summary': 'Buy extra orders for this period: choose a pack, see the price with VAT, confirm',
    'topup.help':
      'Without a pack, shows the packs (100, 500 and 1,000 orders) with their prices. With one, e.g. `/iex topup 500`, goes straight to the confirmation. Orders bought count for the current period. Buying needs an admin.',
    'topup.opt.pack': 'The pack to buy; leave out to see the packs and their prices',
    'topup.arg.onePack': 'give at most one pack size',
    'topup.noSuchPack': 'There is no pack of {orders} orders; the packs are {sizes} orders.',
    'topup.noSubscription':
      'This integration has no subscription yet, so there is nothing to top up. Ask your IEX contact.',
    'topup.title': 'Top up orders',
    'topup.packLine': '• *{orders}* — {price} + VAT {vat} = *{total}*',
    'topup.intro':
      'Extra orders for {period}, on top of the {included} your plan includes. {left} left of {allowance}.',
    'topup.confirmFirst': 'You confirm the price before anything is bought.',
    'topup.onlyAdmins':
      'Only admins and the owner can buy; you are {role, select, owner {the owner} admin {an admin} other {a viewer}}.',
    'topup.packsFallback': 'Top-up packs: {sizes} orders',
    'topup.what': '{orders} for {period}',
    'topup.confirmTitle': 'Confirm the top-up',
    'topup.confirmQuestion': 'Buy *{what}*?',
    'topup.field.price': 'Price',
    'topup.field.vat': 'VAT {percent} %',
    'topup.field.total': 'Total',
    'topup.field.leftAfter': 'Orders left after',
    'topup.leftOf': '{left} of {allowance}',
    'topup.buyFor': 'Buy for {total}',
    'topup.anotherPack': 'Choose another pack',
    'topup.onceOnly': 'An invoice is issued at once. Clicking Buy twice buys once.',
    'topup.confirmFallback': 'Buy {what} for {total} incl. VAT?',
    'topup.nothingBought': 'This integration has no subscription, so nothing was bought.',
    'topup.alreadyBought':
      'Already bought: {what} on invoice `{invoice}` ({total} incl. VAT). Nothing was charged again.',
    'topup.bought': 'Bought {what}: invoice `{invoice}`, {net} + VAT {vat} = {total}.',
    'topup.leftThisPeriod': '{left} left of {allowance} this period.',
    'topup.subscription': 'Subscription',
  },
  {
    'topup.summary': 'Køb ekstra ordrer til denne periode: vælg en pakke, se prisen med moms, bekræft',
    'topup.help':
      'Uden en pakke vises pakkerne (100, 500 og 1.000 ordrer) med deres priser. Med en, f.eks. `/iex topup 500`, går du direkte til bekræftelsen. Købte ordrer tæller i den aktuelle periode. Køb kræver en administrator.',
    'topup.opt.pack': 'Pakken, der skal købes; udelad for at se pakkerne og deres priser',
    'topup.arg.onePack': 'angiv højst én pakkestørrelse',
    'topup.noSuchPack': 'Der er ingen pakke med {orders} ordrer; pakkerne er på {sizes} ordrer.',
    'topup.noSubscription':
      'Integrationen har endnu intet abonnement, så der kan ikke købes ekstra ordrer. Spørg jeres IEX-kontakt.',
    'topup.title': 'Køb ekstra ordrer',
    'topup.packLine': '• *{orders}* — {price} + moms {vat} = *{total}*',
    'topup.intro':
      'Ekstra ordrer til {period} ud over de {included}, dit abonnement indeholder. {left} tilbage af {allowance}.',
    'topup.confirmFirst': 'Du bekræfter prisen, før noget bliver købt.',
    'topup.onlyAdmins':
      'Kun administratorer og ejeren kan købe; du er {role, select, owner {ejer} admin {administrator} other {læser}}.',
    'topup.packsFallback': 'Pakker med ekstra ordrer: {sizes} ordrer',
    'topup.what': '{orders} til {period}',
    'topup.confirmTitle': 'Bekræft købet',
    'topup.confirmQuestion': 'Køb *{what}*?',
    'topup.field.price': 'Pris',
    'topup.field.vat': 'Moms {percent} %',
    'topup.field.total': 'I alt',
    'topup.field.leftAfter': 'Ordrer tilbage bagefter',
    'topup.leftOf': '{left} af {allowance}',
    'topup.buyFor': 'Køb for {total}',
    'topup.anotherPack': 'Vælg en anden pakke',
    'topup.onceOnly': 'Der udstedes straks en faktura. Klikker du to gange på Køb, købes der kun én gang.',
    'topup.confirmFallback': 'Køb {what} for {total} inkl. moms?',
    'topup.nothingBought': 'Integrationen har intet abonnement, så intet blev købt.',
    'topup.alreadyBought':
      'Allerede købt: {what} på faktura `{invoice}` ({total} inkl. moms). Intet blev opkrævet igen.',
    // Kroner end in "kr.", which ends the sentence too.
    'topup.bought': 'Købt {what}: faktura `{invoice}`, {net} + moms {vat} = {total}',
    'topup.leftThisPeriod': '{left} tilbage af {allowance} i denne periode.',
    'topup.subscription': 'Abonnement',
  },
);
