import { defineMessages } from '../define-messages';

/** Mute 1 h / Mute 24 h on a channel alert (src/commands/catalog/alerts.ts). */
export const mute = defineMessages(
  {
    'mute.err.gone': 'That connection no longer exists, so there is nothing to mute.',
    'mute.done': 'Muted for {hours} h, until {until}: {what}',
    'mute.failures':
      'failures of {connection} with error `{code}` are counted but not posted. The alert message says so too.',
    'mute.jobRuns': 'missed and failed runs of {connection} are counted but not posted.',
  },
  {
    'mute.err.gone': 'Den forbindelse findes ikke længere, så der er intet at sætte på lydløs.',
    'mute.done': 'Lydløs i {hours} t, indtil {until}: {what}',
    'mute.failures':
      'fejl på {connection} med fejlkoden `{code}` tælles med, men sendes ikke. Det står også i advarslen.',
    'mute.jobRuns': 'missede og fejlede kørsler af {connection} tælles med, men sendes ikke.',
  },
);
