import { logPageAction } from '../../../chat/log-link';
import {
  actions,
  button,
  context,
  fields,
  linkButton,
  reply,
  text,
  type Button,
  type Reply,
} from '../../../chat/reply';
import { dayBounds } from '../../../domain/digest';
import { ENTITIES } from '../../../domain/events';
import type { Translator } from '../../../i18n';
import { periodLabel } from '../../charts/usage-spec';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/** The daily digest of one tenant (digestGroupKey names the day): one message, posted once. */

export type DigestAlert = EventOf<'digest'>;

/** How many causes of failure a digest names; the rest are summed up. */
export const DIGEST_CAUSES = 5;

/** 'Wednesday', '26 November' / 'onsdag', '26. november': the digest's day, as its language names it. */
function dayTitle(t: Translator, day: string): { weekday: string; date: string } {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(year, month - 1, date));
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(t.locale, { ...options, timeZone: 'UTC' }).format(at);
  return { weekday: format({ weekday: 'long' }), date: format({ day: 'numeric', month: 'long' }) };
}

/**
 * The daily digest: yesterday's transfers and failures, the period's quota, what is held, in the
 * tenant's language, with the usage chart of the period when the notifier could draw it.
 */
export function digestMessage(digest: DigestAlert, ctx: MessageContext): Reply {
  const { t } = ctx;
  const headline = t.t('digest.headline', dayTitle(t, digest.day));

  const transfers = fields(
    ENTITIES.map((entity): [string, string] => [
      t.t(`common.entities.${entity}`),
      t.t('digest.counts', { ...digest.transfers[entity] }),
    ]),
  );

  const causes = digest.failuresByCause;
  const shown = causes.slice(0, DIGEST_CAUSES);
  const rest = causes.slice(DIGEST_CAUSES);
  const failures =
    causes.length === 0
      ? t.t('digest.noFailures')
      : [
          t.t('digest.failuresByCause'),
          ...shown.map(
            ({ code, reason, count }) =>
              `• ${t.number(count)} × \`${code}\`${reason && reason !== code ? ` ${reason}` : ''}`,
          ),
          ...(rest.length > 0
            ? [
                t.t('digest.more', {
                  count: rest.length,
                  failures: rest.reduce((sum, { count }) => sum + count, 0),
                }),
              ]
            : []),
        ].join('\n');

  const { used, allowance } = digest.quota;
  const quota = t.t('digest.quota', {
    period: periodLabel(t, digest.period),
    used,
    allowance,
    left: Math.max(0, allowance - used),
  });
  const held = t.t('digest.held', { count: digest.held });

  const { start, end } = dayBounds(digest.day, ctx.timezone);
  const buttons: Button[] = [];
  const log = logPageAction({ status: 'failed', since: start, until: end }) ?? logPageAction({ status: 'failed' });
  if (log && causes.length > 0) buttons.push(button(t.t('digest.openLog'), log));
  if (ctx.links) buttons.push(linkButton(t.t('digest.subscription'), ctx.links.subscription(digest.tenantId)));

  return reply(
    headline,
    [
      text(`*${headline}*`),
      transfers,
      text(failures),
      context(`${quota} · ${held}`),
      // A mail cannot show SVG: the picture goes as PNG (an inline attachment in mails).
      ...(ctx.picture ? [{ type: 'image' as const, image: { ...ctx.picture, svg: undefined } }] : []),
      ...(buttons.length > 0 ? [actions(...buttons)] : []),
    ],
    { visibility: 'in_channel' },
  );
}

export const digestKind = defineAlertKind<'digest', DigestAlert>({
  name: 'digest',
  events: { digest: { trigger: 'digest', change: 'digest' } },
  field: 'digest',
  stored: storedAlert<DigestAlert>(),
  eventOf: () => 'digest',
  apply(next, alert) {
    // A digest is one message: a second one for the same day adds nothing.
    if (next.subject) return false;
    next.subject = alert;
    next.episode = 1;
    next.alerting = true;
    next.version += 1;
    return true;
  },
  delivery: 'once',
  message: (_state, digest, ctx) => digestMessage(digest, ctx),
  usageChart: (digest) => ({ period: digest.period }),
});
