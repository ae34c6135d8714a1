import { logPageAction } from '../../chat/log-link';
import { tryAction } from '../../chat/actions';
import { formatWhen } from '../../chat/format-time';
import { encodeAction } from '../../chat/actions';
import {
  actions,
  button,
  context,
  fields,
  linkButton,
  reply,
  text,
  type Block,
  type Button,
  type Reply,
} from '../../chat/reply';
import type { Entity } from '../../domain/events';
import { periodName } from '../../domain/period-bounds';
import { formatDkk } from '../../domain/plans';
import { MUTE_ACTION, MUTE_HOURS, TOP_UP_ACTION } from '../../chat/alert-actions';
import type { MessageContext } from './message-context';
import { deadLetterMessage } from './dead-letter-message';
import { digestMessage } from './digest-message';
import { isMuted, type GroupState, type LastFailure, type QuotaAlert } from './grouping';
import { jobMessage } from './job-message';

const NOUNS: Record<Entity, [string, string]> = {
  order: ['order', 'orders'],
  product: ['product', 'products'],
  stock: ['stock update', 'stock updates'],
};

const counted = (count: number, entity: Entity) => `${count} ${NOUNS[entity][count === 1 ? 0 : 1]}`;

/** The buttons of a failure group: its values say which group; the tenant comes from the caller. */
export function failureButtons(last: LastFailure, link?: Button): Button[] {
  const group = { conn: last.connectionId, code: last.error.code };
  const buttons: Button[] = [];
  // The retry command's own confirmation: it says how many transfers match, then retries them.
  const retry = tryAction('retry.ask', group);
  if (retry) buttons.push(button('Retry', retry, { style: 'primary' }));
  for (const hours of MUTE_HOURS) {
    const mute = tryAction(MUTE_ACTION, { ...group, h: hours });
    if (mute) buttons.push(button(`Mute ${hours} h`, mute));
  }
  const log = logPageAction({ status: 'failed', ...group }) ?? logPageAction({ status: 'failed' });
  if (log) buttons.push(button('Open log', log));
  if (link) buttons.push(link);
  return buttons;
}

function failureMessage(state: GroupState, last: LastFailure, ctx: MessageContext): Reply {
  const label = ctx.connectionLabel ?? last.connectionId;
  const time = (at: Date | undefined) => (at ? formatWhen(at, ctx.now, ctx.timezone) : '—');
  const headline = `${counted(state.count, last.entity)} failed · ${label} · ${state.reason ?? last.error.code}`;
  const lastOne = `${last.reference ?? last.transferId} at ${time(state.lastAt)}`;

  if (state.resolvedAt) {
    const all = state.count === 1 ? 'It' : state.count === 2 ? 'Both' : `All ${state.count}`;
    return reply(
      `Resolved: ${headline}`,
      [
        text(`*Resolved:* ${headline}`),
        context(`${all} succeeded on retry · resolved at ${time(state.resolvedAt)} · error \`${last.error.code}\``),
      ],
      { visibility: 'in_channel' },
    );
  }

  const details: Array<[string, string]> = [
    ['Last', lastOne],
    ['Since', time(state.firstAt)],
    ['Error', `\`${last.error.code}\``],
  ];
  if (state.recovered > 0) details.push(['Recovered', `${state.recovered} of ${state.count}`]);
  const notes: string[] = [];
  if (ctx.repeated)
    notes.push(`Still failing since ${time(state.firstAt)}: the count includes the failures posted earlier.`);
  if (isMuted(state, ctx.now))
    notes.push(`Muted until ${time(state.mutedUntil)}: new failures are counted, not posted.`);
  return reply(
    headline,
    [
      text(`*${headline}*`),
      text(last.error.message),
      fields(details),
      ...(notes.length > 0 ? [context(notes.join(' '))] : []),
      actions(
        ...failureButtons(
          last,
          ctx.links ? linkButton('Open transfer', ctx.links.transfer(state.tenantId, last.transferId)) : undefined,
        ),
      ),
    ],
    { visibility: 'in_channel' },
  );
}

function quotaMessage(alert: QuotaAlert, ctx: MessageContext): Reply {
  const { used, allowance } = alert;
  const percent = allowance > 0 ? Math.floor((used * 100) / allowance) : 100;
  const usage = text(`Orders: ${used} of ${allowance} used (${percent} %)`);
  const month = periodName(alert.period);
  const topUp = actions(
    button('Top up', encodeAction(TOP_UP_ACTION), { style: 'primary' }),
    ...(ctx.links ? [linkButton('Subscription', ctx.links.subscription(alert.tenantId))] : []),
  );
  const message = (headline: string, blocks: Block[]) =>
    reply(headline, [text(`*${headline}*`), ...blocks], { visibility: 'in_channel' });
  switch (alert.kind) {
    case 'quota.threshold':
      return message(`${alert.threshold} % of the orders of ${month} are used`, [
        usage,
        context(
          'When they are used up, the integration tops up automatically if that is on; otherwise new orders are held.',
        ),
        topUp,
      ]);
    case 'quota.topup':
      return message(
        `Topped up ${alert.orders} orders automatically · invoice ${alert.invoiceNumber} · ${formatDkk(alert.totalOre)}`,
        [usage, topUp],
      );
    case 'quota.exceeded':
      return message(`The orders of ${month} are used up: new orders are held until you top up`, [
        usage,
        context(
          'Automatic top-up is off or has reached its limit for this period. Held orders are sent as soon as orders are added.',
        ),
        topUp,
      ]);
  }
}

/** The chat message of an alert group, as the neutral reply model every platform renders. */
export function alertMessage(state: GroupState, ctx: MessageContext): Reply | undefined {
  if (state.quota) return quotaMessage(state.quota, ctx);
  if (state.digest) return digestMessage(state.digest, ctx);
  if (state.job) return jobMessage(state, state.job, ctx);
  if (state.deadLetter) return deadLetterMessage(state, state.deadLetter, ctx);
  if (state.last) return failureMessage(state, state.last, ctx);
  return undefined;
}
