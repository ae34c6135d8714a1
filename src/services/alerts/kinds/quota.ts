import { encodeAction } from '../../../chat/actions';
import { actions, button, context, linkButton, reply, text, type Block, type Reply } from '../../../chat/reply';
import { TOP_UP_ACTION } from '../../../chat/alert-actions';
import { periodName } from '../../../domain/period-bounds';
import { formatDkk } from '../../../domain/plans';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/**
 * The tenant's order allowance (quotaGroupKey names the period and the threshold or pack): one
 * message per alert, posted once.
 */

export type QuotaAlert = EventOf<'quota.threshold' | 'quota.topup' | 'quota.exceeded'>;

export function quotaMessage(alert: QuotaAlert, ctx: MessageContext): Reply {
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

export const quotaKind = defineAlertKind<QuotaAlert['kind'], QuotaAlert>({
  name: 'quota',
  events: {
    'quota.threshold': { trigger: 'quota.threshold', change: 'quota' },
    'quota.exceeded': { trigger: 'quota.threshold', change: 'quota' },
    'quota.topup': { trigger: 'topup.auto', change: 'quota' },
  },
  field: 'quota',
  stored: storedAlert<QuotaAlert>(),
  eventOf: (alert) => alert.kind,
  apply(next, alert) {
    // A quota alert is one message: its group key names the period and the threshold or pack.
    next.subject = alert;
    next.episode = Math.max(1, next.episode);
    next.alerting = true;
    next.version += 1;
    return true;
  },
  delivery: 'once',
  message: (_state, alert, ctx) => quotaMessage(alert, ctx),
});
