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
import { dayBounds, dayName } from '../../../domain/digest';
import { ENTITIES, type Entity } from '../../../domain/events';
import { periodName } from '../../../domain/period-bounds';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/** The daily digest of one tenant (digestGroupKey names the day): one message, posted once. */

export type DigestAlert = EventOf<'digest'>;

/** How many causes of failure a digest names; the rest are summed up. */
export const DIGEST_CAUSES = 5;

const ENTITY_TITLES: Record<Entity, string> = { order: 'Orders', product: 'Products', stock: 'Stock' };

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The daily digest: yesterday's transfers and failures, the period's quota, what is held. */
export function digestMessage(digest: DigestAlert, ctx: MessageContext): Reply {
  const headline = `Daily digest — ${dayName(digest.day)}`;

  const transfers = fields(
    ENTITIES.map((entity): [string, string] => {
      const { created, updated, failed } = digest.transfers[entity];
      return [ENTITY_TITLES[entity], `${created} created · ${updated} updated · ${failed} failed`];
    }),
  );

  const causes = digest.failuresByCause;
  const shown = causes.slice(0, DIGEST_CAUSES);
  const rest = causes.slice(DIGEST_CAUSES);
  const failures =
    causes.length === 0
      ? 'No failures.'
      : [
          '*Failures by cause*',
          ...shown.map(
            ({ code, reason, count }) => `• ${count} × \`${code}\`${reason && reason !== code ? ` ${reason}` : ''}`,
          ),
          ...(rest.length > 0
            ? [
                `and ${rest.length} more (${plural(
                  rest.reduce((sum, { count }) => sum + count, 0),
                  'failure',
                )})`,
              ]
            : []),
        ].join('\n');

  const { used, allowance } = digest.quota;
  const left = Math.max(0, allowance - used);
  const quota = `Orders in ${periodName(digest.period)}: ${used} of ${allowance} used · ${left} left`;
  const held = digest.held > 0 ? `${plural(digest.held, 'transfer')} held` : 'Nothing held';

  const { start, end } = dayBounds(digest.day, ctx.timezone);
  const buttons: Button[] = [];
  const log = logPageAction({ status: 'failed', since: start, until: end }) ?? logPageAction({ status: 'failed' });
  if (log && causes.length > 0) buttons.push(button('Open log', log));
  if (ctx.links) buttons.push(linkButton('Subscription', ctx.links.subscription(digest.tenantId)));

  return reply(
    headline,
    [
      text(`*${headline}*`),
      transfers,
      text(failures),
      context(`${quota} · ${held}`),
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
});
