import { defineMessages } from '../define-messages';

/**
 * What a mail adds to the alert it carries (src/services/mail/render.ts): why the reader gets it,
 * and which buttons only work in chat.
 */
export const mail = defineMessages(
  {
    'mail.why.trigger': '{to} gets this mail from {tenant} when {what}.',
    'mail.why.triggerNoTenant': '{to} gets this mail when {what}.',
    'mail.why.recipient': '{to} is a notification recipient of {tenant}.',
    'mail.why.recipientNoTenant': '{to} is a notification recipient.',
    'mail.why.change': 'Change who gets it in Slack or Discord with `/iex notify`.',
    'mail.chatButtons': 'In Slack or Discord: {labels}',
  },
  {
    'mail.why.trigger': '{to} får denne mail fra {tenant}, når {what}.',
    'mail.why.triggerNoTenant': '{to} får denne mail, når {what}.',
    'mail.why.recipient': '{to} modtager notifikationer fra {tenant}.',
    'mail.why.recipientNoTenant': '{to} modtager notifikationer.',
    'mail.why.change': 'Skift, hvem der får den, i Slack eller Discord med `/iex notify`.',
    'mail.chatButtons': 'I Slack eller Discord: {labels}',
  },
);
