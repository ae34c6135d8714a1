import { encodeAction } from '../../../chat/actions';
import { actions, button, context, linkButton, reply, text, type Block, type Reply } from '../../../chat/reply';
import { TOP_UP_ACTION } from '../../../chat/alert-actions';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/**
 * The tenant's order allowance (quotaGroupKey names the period and the threshold or pack): one
 * message per alert, posted once.
 */

export type QuotaAlert = EventOf<'quota.threshold' | 'quota.topup' | 'quota.exceeded'>;

export function quotaMessage(alert: QuotaAlert, ctx: MessageContext): Reply {
  const { t } = ctx;
  const { used, allowance } = alert;
  const percent = allowance > 0 ? Math.floor((used * 100) / allowance) : 100;
  const usage = text(
    t.t('alerts.quota.usage', { used: t.number(used), allowance: t.number(allowance), percent: t.number(percent) }),
  );
  const month = t.period(alert.period);
  const topUp = actions(
    button(t.t('alerts.button.topUp'), encodeAction(TOP_UP_ACTION), { style: 'primary' }),
    ...(ctx.links ? [linkButton(t.t('alerts.button.subscription'), ctx.links.subscription(alert.tenantId))] : []),
  );
  const message = (headline: string, blocks: Block[]) =>
    reply(headline, [text(`*${headline}*`), ...blocks], { visibility: 'in_channel' });
  switch (alert.kind) {
    case 'quota.threshold':
      return message(t.t('alerts.quota.threshold', { threshold: alert.threshold, month }), [
        usage,
        context(t.t('alerts.quota.thresholdNote')),
        topUp,
      ]);
    case 'quota.topup':
      return message(
        t.t('alerts.quota.topup', {
          orders: alert.orders,
          invoice: alert.invoiceNumber,
          total: t.money(alert.totalOre),
        }),
        [usage, topUp],
      );
    case 'quota.exceeded':
      return message(t.t('alerts.quota.exceeded', { month }), [
        usage,
        context(t.t('alerts.quota.exceededNote')),
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
