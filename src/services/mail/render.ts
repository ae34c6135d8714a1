import { type NotificationTrigger } from '../../domain/closed-lists';
import type { Reply } from '../../chat/reply';
import { TRIGGER_DESCRIPTIONS } from '../../domain/notifications';
import { markupToPlain } from '../../chat/markup';
import { htmlDocument, renderReplyHtml } from '../../chat/render-html';
import { renderText } from '../../chat/render-text';
import type { Translator } from '../../i18n';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  /** The tenant's language: a mail goes to an address, not to a person whose language we know. */
  t: Translator;
  /** The address it goes to, named in the footer ("why do I get this"). */
  to: string;
  tenantName?: string;
  trigger?: NotificationTrigger;
}

/** Mail clients cut long subjects anyway; past this the rest is in the body. */
export const MAX_SUBJECT_CHARS = 150;

/** One line of at most `max` characters, cut with an ellipsis. */
function subjectLine(value: string, max = MAX_SUBJECT_CHARS): string {
  const line = value.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(line.charAt(cut - 1))) cut -= 1;
  return `${line.slice(0, cut).trimEnd()}…`;
}

function footerText({ t, to, tenantName, trigger }: MailContext): string {
  const tenant = tenantName ?? '';
  const why = trigger
    ? t.t(tenantName ? 'mail.why.trigger' : 'mail.why.triggerNoTenant', {
        to,
        tenant,
        what: t.t(TRIGGER_DESCRIPTIONS[trigger]),
      })
    : t.t(tenantName ? 'mail.why.recipient' : 'mail.why.recipientNoTenant', { to, tenant });
  return `${why} ${t.t('mail.why.change')}`;
}

/**
 * An alert message as a mail: the subject from its fallback (one line, the integration's name
 * first), the body as plain text and HTML, with a footer that says why the reader gets it.
 */
export function renderMail(reply: Reply, context: MailContext): RenderedMail {
  const summary = markupToPlain(reply.fallback);
  const subject = subjectLine(context.tenantName ? `${context.tenantName}: ${summary}` : summary);
  const footer = footerText(context);
  const { t } = context;
  const text = `${renderText(reply, { buttons: 'links', chatButtons: 'list', spaced: true, t })}\n\n-- \n${markupToPlain(footer)}\n`;
  const html = htmlDocument({
    title: subject,
    body: renderReplyHtml(reply, { chatButtons: 'list', t }),
    footer,
    lang: t.language,
  });
  return { subject, text, html };
}
