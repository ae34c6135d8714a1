import { defineMessages } from '../define-messages';

/**
 * What the chat platforms' adapters say themselves (bots/slack, bots/discord): around a reply
 * they had to shorten, a confirmation they ask for, interactions the core never sees, and the
 * pages of the Slack installation.
 */
export const bots = defineMessages(
  {
    'bots.shortened': 'Shortened: {left} more characters not shown.',
    'bots.slack.pictureInMessages': 'The picture comes as a file in your messages with the app.',
    'bots.slack.pictureHere': 'The picture follows as a file in this channel.',
    'bots.slack.listContinues':
      "The list continues: Slack shows at most {max} blocks at once. Use the command's pages or filters to see the rest.",
    'bots.slack.installed.title': 'IEX ChatOps is installed',
    'bots.slack.installed.body':
      '<p>The app is now in <strong>{where}</strong>.</p>\n<p>Next, link the workspace to your shop: in any channel, type <code>/iex link CODE</code> with the link code IEX gave you.\nThen <code>/iex status</code> shows your integration.</p>',
    'bots.slack.installed.yourWorkspace': 'your workspace',
    'bots.slack.failed.title': 'The installation did not complete',
    'bots.slack.failed.refused':
      '<p>This link is not valid here, or it has expired. Start again from the <a href="install">Add to Slack</a> page, in this browser.</p>',
    'bots.slack.failed.other':
      '<p>Slack did not confirm the installation. Please try again from the <a href="install">Add to Slack</a> page.</p>',
    'bots.discord.listContinues':
      "The list continues: one Discord message holds no more. Use the command's pages or filters to see the rest.",
    'bots.discord.confirmText': 'This change is hard to undo, so it asks first.',
    'bots.discord.goAhead': 'Go ahead',
    'bots.discord.cancelled': 'Cancelled: nothing was changed.',
    'bots.discord.directMessage':
      'IEX works in a server: use `/iex` in a channel of the server your integration is linked to.',
    'bots.discord.unknown': 'This bot answers `/iex` and its buttons; `/iex help` lists the commands.',
    'bots.discord.shared': 'Posted in the channel for everyone.',
    'bots.discord.disconnected': 'disconnected',
    'bots.console.asksFirst': 'asks first',
    'bots.console.greeting':
      "IEX console · {tenant} ({tenantId}) · you are {user}, the owner.\nType a command (status, log failed, help …), a button's number, or exit.",
  },
  {
    'bots.shortened': 'Forkortet: {left} tegn mere vises ikke.',
    'bots.slack.pictureInMessages': 'Billedet kommer som en fil i dine beskeder med appen.',
    'bots.slack.pictureHere': 'Billedet følger som en fil i denne kanal.',
    'bots.slack.listContinues':
      'Listen fortsætter: Slack viser højst {max} blokke ad gangen. Brug kommandoens sider eller filtre for at se resten.',
    'bots.slack.installed.title': 'IEX ChatOps er installeret',
    'bots.slack.installed.body':
      '<p>Appen er nu i <strong>{where}</strong>.</p>\n<p>Forbind nu workspacet med din butik: skriv <code>/iex link KODE</code> i en vilkårlig kanal med den forbindelseskode, IEX har givet dig.\nDerefter viser <code>/iex status</code> din integration.</p>',
    'bots.slack.installed.yourWorkspace': 'dit workspace',
    'bots.slack.failed.title': 'Installationen blev ikke gennemført',
    'bots.slack.failed.refused':
      '<p>Dette link er ikke gyldigt her, eller det er udløbet. Start forfra fra siden <a href="install">Add to Slack</a> i denne browser.</p>',
    'bots.slack.failed.other':
      '<p>Slack bekræftede ikke installationen. Prøv igen fra siden <a href="install">Add to Slack</a>.</p>',
    'bots.discord.listContinues':
      'Listen fortsætter: en Discord-besked kan ikke rumme mere. Brug kommandoens sider eller filtre for at se resten.',
    'bots.discord.confirmText': 'Denne ændring er svær at fortryde, så du bliver spurgt først.',
    'bots.discord.goAhead': 'Fortsæt',
    'bots.discord.cancelled': 'Annulleret: intet blev ændret.',
    'bots.discord.directMessage':
      'IEX virker i en server: brug `/iex` i en kanal på den server, din integration er forbundet til.',
    'bots.discord.unknown': 'Denne bot svarer på `/iex` og dens knapper; `/iex help` viser kommandoerne.',
    'bots.discord.shared': 'Sendt i kanalen til alle.',
    'bots.discord.disconnected': 'afbrudt',
    'bots.console.asksFirst': 'spørger først',
    'bots.console.greeting':
      'IEX-konsol · {tenant} ({tenantId}) · du er {user}, ejeren.\nSkriv en kommando (status, log failed, help …), en knaps nummer eller exit.',
  },
);
