import { logPageAction } from '../../../chat/log-link';
import { actions, button, context, fields, reply, text, type Reply } from '../../../chat/reply';
import { MODULE_OF } from '../../../domain/holds';
import { countFailing, isMuted, recordFailure, type GroupState } from '../group-state';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/**
 * Transfers an engine ran although a switch had held them (switchIgnoredGroupKey): one message per
 * episode and switch, counting the transfers. Nothing resolves it but time: the next transfer after
 * a quiet window opens a new episode.
 */
export type SwitchIgnoredAlert = EventOf<'switch.ignored'>;

export function switchIgnoredMessage(state: GroupState, last: SwitchIgnoredAlert, ctx: MessageContext): Reply {
  const { t } = ctx;
  const headline = t.t('switches.headline', {
    count: state.count,
    reason: last.reason,
    module: t.t(`switches.module.${MODULE_OF[last.entity]}`),
    connection: ctx.connectionLabel ?? last.connectionId,
  });
  const time = (at: Date | undefined) => (at ? t.when(at, ctx.now, ctx.timezone) : '—');
  const details: Array<[string, string]> = [
    [t.t('switches.field.last'), `${last.reference ?? last.transferId} · ${time(state.lastAt)}`],
    [t.t('switches.field.since'), time(new Date(last.switchedAt))],
    [t.t('switches.field.connection'), ctx.connectionLabel ?? last.connectionId],
  ];
  const notes = isMuted(state, ctx.now) ? [context(t.t('switches.muted', { until: time(state.mutedUntil) }))] : [];
  const log = logPageAction({ conn: last.connectionId });
  return reply(
    headline,
    [
      text(`*⚠️ ${headline}*`),
      text(t.t('switches.explain')),
      fields(details),
      ...notes,
      ...(log ? [actions(button(t.t('switches.openLog'), log))] : []),
    ],
    { visibility: 'in_channel' },
  );
}

export const switchIgnoredKind = defineAlertKind<'switch.ignored', SwitchIgnoredAlert>({
  name: 'switch-ignored',
  // Those told about failed transfers watch over what the integration transfers.
  events: { 'switch.ignored': { trigger: 'transfer.failed', change: 'failure' } },
  field: 'switchIgnored',
  stored: storedAlert<SwitchIgnoredAlert>(),
  eventOf: () => 'switch.ignored',
  apply(next, alert, { settings, at }) {
    countFailing(next, at, settings, alert.transferId, alert.reason, alert.reason);
    // One transfer against a switch is already worth telling: it moved data it should not have.
    next.alerting = true;
    recordFailure(next, at, alert);
    return true;
  },
  delivery: 'once',
  message: switchIgnoredMessage,
  connectionId: (subject) => subject.connectionId,
});
