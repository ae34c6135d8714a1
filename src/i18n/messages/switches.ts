import { defineMessages } from '../define-messages';

/** The warning that an engine ran transfers although a switch was off (src/services/alerts/kinds/switch-ignored.ts). */
export const switches = defineMessages(
  {
    'switches.headline':
      '{count, plural, one {# transfer ran} other {# transfers ran}} although {reason, select, integration_off {the integration is deactivated} module_off {the {module} module is deactivated} other {the connection {connection} is deactivated}}',
    'switches.explain':
      'The integration engine did not obey the switch: it should hold these transfers until the switch is on again, and it ran them. Ask your IEX contact to check the engine; turn the switch on in `/iex settings` or `/iex connections` if they are meant to run.',
    'switches.field.last': 'Last',
    'switches.field.since': 'Switched off',
    'switches.field.connection': 'Connection',
    'switches.module.orders': 'orders',
    'switches.module.products': 'products',
    'switches.module.stock': 'stock',
    'switches.openLog': 'Open log',
    'switches.muted': 'Muted until {until}: new ones are counted, not posted.',
  },
  {
    'switches.headline':
      '{count, plural, one {# overførsel kørte} other {# overførsler kørte}}, selvom {reason, select, integration_off {integrationen er slået fra} module_off {modulet {module} er slået fra} other {forbindelsen {connection} er slået fra}}',
    'switches.explain':
      'Integrationsmotoren adlød ikke kontakten: den skulle holde disse overførsler tilbage, indtil kontakten er slået til igen, men den kørte dem. Bed din IEX-kontakt om at tjekke motoren; slå kontakten til i `/iex settings` eller `/iex connections`, hvis de skal køre.',
    'switches.field.last': 'Seneste',
    'switches.field.since': 'Slået fra',
    'switches.field.connection': 'Forbindelse',
    'switches.module.orders': 'ordrer',
    'switches.module.products': 'produkter',
    'switches.module.stock': 'lager',
    'switches.openLog': 'Åbn loggen',
    'switches.muted': 'Lydløs indtil {until}: nye tælles med, men sendes ikke.',
  },
);
