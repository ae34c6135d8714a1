import { defineMessages } from '../define-messages';

/** `/iex connections` and the on/off switch of a connection. */
export const connections = defineMessages(
  {
    'connections.summary': 'The data connections (e.g. Shopify > e-conomic) and a switch for each',
    'connections.byWebhook': 'by webhook (event-driven)',
    'connections.onSchedule': 'on schedule `{cron}`',
    'connections.line': '*{label}* · {entity} · {how} · {active, select, yes {on} other {*off*}}',
    'connections.switchOff': 'Switch off {label} ({entity})',
    'connections.switchOn': 'Switch on {label} ({entity})',
    'connections.confirm.title': 'Switch the connection off?',
    'connections.confirm.text':
      '{label} ({entity}) stops transferring. What arrives meanwhile is kept as held and can be released when you switch it back on.',
    'connections.confirm.confirm': 'Switch off',
    'connections.none': 'This integration has no connections yet.',
    'connections.header': 'Connections',
    'connections.note':
      'Switch a connection off rather than deleting it: what arrives while it is off is kept as held.',
    'connections.fallback': '{label} {entity}: {active, select, yes {on} other {off}}',
    'connections.err.gone': 'That connection no longer exists. Run `/iex connections` again.',
    'connections.err.systemRemoved':
      'One of the systems of this connection was removed, so it cannot run. Ask your IEX contact to add the system again.',
    'connections.now':
      '{label} ({entity}) is now {active, select, yes {on} other {off}}{released, plural, =0 {} one {; # held transfer was sent again} other {; # held transfers were sent again}}.',
  },
  {
    'connections.summary': 'Dataforbindelserne (f.eks. Shopify > e-conomic) og en kontakt til hver',
    'connections.byWebhook': 'via webhook (hændelsesstyret)',
    'connections.onSchedule': 'efter planen `{cron}`',
    'connections.line': '*{label}* · {entity} · {how} · {active, select, yes {til} other {*fra*}}',
    'connections.switchOff': 'Slå {label} ({entity}) fra',
    'connections.switchOn': 'Slå {label} ({entity}) til',
    'connections.confirm.title': 'Slå forbindelsen fra?',
    'connections.confirm.text':
      '{label} ({entity}) holder op med at overføre. Det, der kommer imens, holdes tilbage og kan frigives, når du slår den til igen.',
    'connections.confirm.confirm': 'Slå fra',
    'connections.none': 'Denne integration har endnu ingen forbindelser.',
    'connections.header': 'Forbindelser',
    'connections.note':
      'Slå hellere en forbindelse fra end at slette den: det, der kommer, mens den er slået fra, holdes tilbage.',
    'connections.fallback': '{label} {entity}: {active, select, yes {til} other {fra}}',
    'connections.err.gone': 'Den forbindelse findes ikke længere. Kør `/iex connections` igen.',
    'connections.err.systemRemoved':
      'Et af forbindelsens systemer er fjernet, så den kan ikke køre. Bed din IEX-kontakt om at tilføje systemet igen.',
    'connections.now':
      '{label} ({entity}) er nu slået {active, select, yes {til} other {fra}}{released, plural, =0 {} one {; # tilbageholdt overførsel blev sendt igen} other {; # tilbageholdte overførsler blev sendt igen}}.',
  },
);
