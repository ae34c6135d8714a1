import { defineMessages } from '../define-messages';

/**
 * `/iex systems`: the systems, one system's settings and latest transfers, disconnect and remove.
 * Disconnecting tells the engines to leave the system alone; the service itself holds only what
 * Shopify sends when Shopify is the system disconnected.
 */
export const systems = defineMessages(
  {
    'systems.summary': 'The systems of the integration; one system: its settings, latest transfers, disconnect, remove',
    'systems.help':
      '`/iex systems` lists the systems: kind, source or target, connected or not.\n' +
      '`/iex systems e-conomic` opens one (by name or id): its settings (never its credentials), the latest transfers of its connections, and buttons.\n' +
      '*Disconnect* (admins) pauses a system: the engines are told to stop exchanging data with it and its scheduled runs are skipped; what Shopify sends while Shopify is disconnected is held — kept, not lost — and an engine that keeps transferring raises a warning. *Reconnect* sends what was held.\n' +
      '*Remove* (admins) deletes a system with its settings and credentials. It is refused while an active connection uses the system: switch those connections off first (the reply offers buttons). The connections are kept, switched off, with their log — switch a connection off rather than delete it.\n' +
      '`/iex systems e-conomic --set vatZone=domestic` (admins) changes one setting, keeping its type (a number stays a number). Secrets are never set from chat.',
    'systems.opt.system': 'One system, by name or id (leave out for all)',
    'systems.opt.set': "Change one of the system's settings (admins): key=value, e.g. vatZone=domestic",
    'systems.opt.page': 'The page of the list of systems',
    'systems.arg.set': 'give key=value',
    'systems.doing.set': "change a system's settings",

    'systems.title': 'Systems',
    'systems.none': 'This integration has no systems yet. Your IEX contact adds them when the integration is set up.',
    'systems.role.source': 'source (data comes from it)',
    'systems.role.target': 'target (data goes to it)',
    'systems.roleShort.source': 'source',
    'systems.roleShort.target': 'target',
    'systems.connected': 'connected',
    'systems.disconnected': '*disconnected*',
    'systems.listLine': '*{name}* · {kind} · {role} · {state}',
    'systems.open': 'Open {name}',
    'systems.listHint': '`/iex systems NAME` opens one: its settings, its latest transfers, disconnect or remove.',
    'systems.fallbackLine': '{name} ({kind}, {role}): {connected, select, true {connected} other {disconnected}}',

    'systems.field.kind': 'Kind',
    'systems.field.role': 'Role',
    'systems.field.state': 'State',
    'systems.field.id': 'Id',
    'systems.state.connected': 'Connected',
    'systems.state.disconnected':
      '{kind, select, shopify {Disconnected: the engines are told to leave it alone, and what Shopify sends is held} other {Disconnected: the engines are told to leave it alone}}',
    'systems.settings': '*Settings*',
    'systems.hidden': '_hidden_',
    'systems.noSettingsShown': '_none_',
    'systems.connections': '*Connections*',
    'systems.connectionLine': '• {label} · {entity} · {on, select, true {on} other {*off*}}',
    'systems.latest': '*Latest transfers*',
    'systems.noTransfers': '_none yet_',
    'systems.transferLine': '• {when} · {what} ({operation}) · {connection} · {status}',
    'systems.transferReason': '{line} — {reason}',
    'systems.operation': '{operation, select, create {create} other {update}}',
    'systems.status': '{status, select, failed {*failed*} held {*held*} succeeded {succeeded} other {started}}',
    'systems.openLog': 'Open its log',
    'systems.detailHint':
      'Disconnect pauses a system: the engines are told to leave it alone. Remove deletes it for good, once no active connection uses it. Admins change a setting with `/iex systems {id} --set key=value`.',

    'systems.button.disconnect': 'Disconnect {name}',
    'systems.button.reconnect': 'Reconnect {name}',
    'systems.button.remove': 'Remove {name}',
    'systems.confirm.disconnect.title': 'Disconnect {name}?',
    'systems.confirm.disconnect.text':
      'The engines are told to stop exchanging data with {name}, and its scheduled runs are skipped, until you reconnect it.{kind, select, shopify { What Shopify sends meanwhile is held — kept, not lost.} other {}} An engine that keeps transferring from it raises a warning.',
    'systems.confirm.disconnect.confirm': 'Disconnect',
    'systems.confirm.remove.title': 'Remove {name}?',
    'systems.confirm.remove.text':
      'This deletes {name} with its settings and credentials, and cannot be undone from chat. Its connections must be switched off first; they are kept, switched off, with their log. To pause it instead, disconnect it.',
    'systems.confirm.remove.confirm': 'Remove',

    'systems.notFound': 'There is no system "{name}". The systems are: {names}.',
    'systems.notFoundNone': 'There is no system "{name}". This integration has no systems yet.',
    'systems.nameFirst': 'Name the system whose setting you change. Usage: `{usage}`',
    'systems.setFormat': 'Give the setting as key=value, e.g. `--set vatZone=domestic`. Usage: `{usage}`',
    'systems.secret':
      '`{key}` looks like a secret: secrets are not set from chat, where the history would keep them. Your IEX contact sets them.',
    'systems.noSuchSetting': '{name} has no setting `{key}`. Its settings: {keys}.',
    'systems.noSettings': '{name} has no setting `{key}`. It has no settings to change.',
    'systems.structure': '`{key}` holds a structure ({value}) and cannot be changed from chat; ask your IEX contact.',
    'systems.wrongType':
      '`{key}` is {type, select, number {a number} boolean {true or false} other {a text}}; `{raw}` is not.',
    'systems.alreadySet': '`{key}` of {name} is already `{value}`.',
    'systems.gone': '{name} no longer exists. Run `/iex systems` again.',
    'systems.goneUnnamed': 'That system no longer exists. Run `/iex systems` again.',
    'systems.set': '{who} set `{key}` of *{name}* to `{value}` (was `{previous}`).',
    'systems.alreadyConnected': '{name} is already {connected, select, true {connected} other {disconnected}}.',
    'systems.disconnectedBy':
      '{who} disconnected *{name}*: the engines are told to leave it alone until it is reconnected{kind, select, shopify {, and what Shopify sends meanwhile is held} other {}}.',
    'systems.reconnectedBy': '{who} reconnected *{name}*.{after}',
    'systems.inUse':
      '*{name}* is still used by {count, plural, one {# active connection. Switch it off first} other {# active connections. Switch them off first}}, then remove {name}.',
    'systems.removedBy':
      '{who} removed *{name}* ({kind}) with its settings and credentials.{kept, select, true { Its connections stay, switched off, with their log.} other {}}',
  },
  {
    'systems.summary': 'Integrationens systemer; ét system: dets indstillinger, seneste overførsler, afbryd, fjern',
    'systems.help':
      '`/iex systems` viser systemerne: type, kilde eller modtager, forbundet eller ej.\n' +
      '`/iex systems e-conomic` åbner ét (ved navn eller id): dets indstillinger (aldrig dets adgangsoplysninger), de seneste overførsler på dets forbindelser og knapper.\n' +
      '*Afbryd* (administratorer) sætter et system på pause: motorerne får besked om at stoppe udvekslingen af data med det, og dets planlagte kørsler springes over; det, Shopify sender, mens Shopify er afbrudt, holdes tilbage — gemt, ikke tabt — og en motor, der bliver ved med at overføre, udløser en advarsel. *Forbind igen* sender det tilbageholdte.\n' +
      '*Fjern* (administratorer) sletter et system med indstillinger og adgangsoplysninger. Det afvises, så længe en aktiv forbindelse bruger systemet: slå først de forbindelser fra (svaret har knapper til det). Forbindelserne bevares, slået fra, med deres log — slå hellere en forbindelse fra end at slette den.\n' +
      '`/iex systems e-conomic --set vatZone=domestic` (administratorer) ændrer én indstilling og bevarer dens type (et tal forbliver et tal). Hemmeligheder sættes aldrig fra chatten.',
    'systems.opt.system': 'Ét system, ved navn eller id (udelad for alle)',
    'systems.opt.set': 'Ændr en af systemets indstillinger (administratorer): nøgle=værdi, f.eks. vatZone=domestic',
    'systems.opt.page': 'Siden af listen over systemer',
    'systems.arg.set': 'angiv nøgle=værdi',
    'systems.doing.set': 'ændre et systems indstillinger',

    'systems.title': 'Systemer',
    'systems.none':
      'Integrationen har endnu ingen systemer. Jeres IEX-kontakt tilføjer dem, når integrationen sættes op.',
    'systems.role.source': 'kilde (data kommer herfra)',
    'systems.role.target': 'modtager (data sendes hertil)',
    'systems.roleShort.source': 'kilde',
    'systems.roleShort.target': 'modtager',
    'systems.connected': 'forbundet',
    'systems.disconnected': '*afbrudt*',
    'systems.listLine': '*{name}* · {kind} · {role} · {state}',
    'systems.open': 'Åbn {name}',
    'systems.listHint':
      '`/iex systems NAVN` åbner ét: dets indstillinger, dets seneste overførsler, afbryd eller fjern.',
    'systems.fallbackLine': '{name} ({kind}, {role}): {connected, select, true {forbundet} other {afbrudt}}',

    'systems.field.kind': 'Type',
    'systems.field.role': 'Rolle',
    'systems.field.state': 'Tilstand',
    'systems.field.id': 'Id',
    'systems.state.connected': 'Forbundet',
    'systems.state.disconnected':
      '{kind, select, shopify {Afbrudt: motorerne har besked på at lade det være, og det, Shopify sender, holdes tilbage} other {Afbrudt: motorerne har besked på at lade det være}}',
    'systems.settings': '*Indstillinger*',
    'systems.hidden': '_skjult_',
    'systems.noSettingsShown': '_ingen_',
    'systems.connections': '*Forbindelser*',
    'systems.connectionLine': '• {label} · {entity} · {on, select, true {til} other {*fra*}}',
    'systems.latest': '*Seneste overførsler*',
    'systems.noTransfers': '_ingen endnu_',
    'systems.transferLine': '• {when} · {what} ({operation}) · {connection} · {status}',
    'systems.transferReason': '{line} — {reason}',
    'systems.operation': '{operation, select, create {oprettelse} other {opdatering}}',
    'systems.status': '{status, select, failed {*fejlet*} held {*tilbageholdt*} succeeded {gennemført} other {i gang}}',
    'systems.openLog': 'Åbn dets log',
    'systems.detailHint':
      'Afbryd sætter et system på pause: motorerne får besked om at lade det være. Fjern sletter det for altid, når ingen aktiv forbindelse bruger det. Administratorer ændrer en indstilling med `/iex systems {id} --set nøgle=værdi`.',

    'systems.button.disconnect': 'Afbryd {name}',
    'systems.button.reconnect': 'Forbind {name} igen',
    'systems.button.remove': 'Fjern {name}',
    'systems.confirm.disconnect.title': 'Afbryd {name}?',
    'systems.confirm.disconnect.text':
      'Motorerne får besked om at stoppe udvekslingen af data med {name}, og dets planlagte kørsler springes over, til du forbinder det igen.{kind, select, shopify { Det, Shopify sender imens, holdes tilbage — gemt, ikke tabt.} other {}} En motor, der bliver ved med at overføre fra det, udløser en advarsel.',
    'systems.confirm.disconnect.confirm': 'Afbryd',
    'systems.confirm.remove.title': 'Fjern {name}?',
    'systems.confirm.remove.text':
      'Det sletter {name} med indstillinger og adgangsoplysninger og kan ikke fortrydes fra chatten. Dets forbindelser skal først slås fra; de bevares, slået fra, med deres log. Vil du blot sætte det på pause, så afbryd det.',
    'systems.confirm.remove.confirm': 'Fjern',

    'systems.notFound': 'Der er intet system "{name}". Systemerne er: {names}.',
    'systems.notFoundNone': 'Der er intet system "{name}". Integrationen har endnu ingen systemer.',
    'systems.nameFirst': 'Angiv det system, hvis indstilling du vil ændre. Brug: `{usage}`',
    'systems.setFormat': 'Angiv indstillingen som nøgle=værdi, f.eks. `--set vatZone=domestic`. Brug: `{usage}`',
    'systems.secret':
      '`{key}` ligner en hemmelighed: hemmeligheder sættes ikke fra chatten, hvor historikken ville gemme dem. Jeres IEX-kontakt sætter dem.',
    'systems.noSuchSetting': '{name} har ingen indstilling `{key}`. Dets indstillinger: {keys}.',
    'systems.noSettings': '{name} har ingen indstilling `{key}`. Det har ingen indstillinger, der kan ændres.',
    'systems.structure':
      '`{key}` rummer en struktur ({value}) og kan ikke ændres fra chatten; spørg jeres IEX-kontakt.',
    'systems.wrongType':
      '`{key}` er {type, select, number {et tal} boolean {sand eller falsk (true/false)} other {en tekst}}; det er `{raw}` ikke.',
    'systems.alreadySet': '`{key}` for {name} er allerede `{value}`.',
    'systems.gone': '{name} findes ikke længere. Kør `/iex systems` igen.',
    'systems.goneUnnamed': 'Det system findes ikke længere. Kør `/iex systems` igen.',
    'systems.set': '{who} satte `{key}` for *{name}* til `{value}` (var `{previous}`).',
    'systems.alreadyConnected': '{name} er allerede {connected, select, true {forbundet} other {afbrudt}}.',
    'systems.disconnectedBy':
      '{who} afbrød *{name}*: motorerne har besked på at lade det være, til det er forbundet igen{kind, select, shopify {, og det, Shopify sender imens, holdes tilbage} other {}}.',
    'systems.reconnectedBy': '{who} forbandt *{name}* igen.{after}',
    'systems.inUse':
      '*{name}* bruges stadig af {count, plural, one {# aktiv forbindelse. Slå den fra først} other {# aktive forbindelser. Slå dem fra først}}, og fjern så {name}.',
    'systems.removedBy':
      '{who} fjernede *{name}* ({kind}) med indstillinger og adgangsoplysninger.{kept, select, true { Dets forbindelser bevares, slået fra, med deres log.} other {}}',
  },
);
