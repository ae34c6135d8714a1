import { z } from 'zod';
import { logPageAction } from '../../../chat/log-link';
import { tryAction } from '../../../chat/actions';
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
import { MUTE_ACTION, MUTE_HOURS } from '../../../chat/alert-actions';
import { entitySchema, type Entity, type TransferError } from '../../../domain/events';
import type { Translator } from '../../../i18n';
import { countFailing, errorGist, isMuted, recoverFailing, recordFailure, type GroupState } from '../group-state';
import type { MessageContext } from '../message-context';
import { defineAlertKind } from './kind';

/**
 * Failed transfers of one connection with one error code (failureGroupKey): one message per
 * episode, counting the transfers; it resolves when every one of them succeeded on retry.
 */

/** The latest failure of a group: what its message shows. */
export interface LastFailure {
  transferId: string;
  connectionId: string;
  entity: Entity;
  reference?: string;
  error: Pick<TransferError, 'code' | 'message'>;
}

/** The buttons of a failure group: its values say which group; the tenant comes from the caller. */
export function failureButtons(t: Translator, last: LastFailure, link?: Button): Button[] {
  const group = { conn: last.connectionId, code: last.error.code };
  const buttons: Button[] = [];
  // The retry command's own confirmation: it says how many transfers match, then retries them.
  const retry = tryAction('retry.ask', group);
  if (retry) buttons.push(button(t.t('alerts.button.retry'), retry, { style: 'primary' }));
  for (const hours of MUTE_HOURS) {
    const mute = tryAction(MUTE_ACTION, { ...group, h: hours });
    if (mute) buttons.push(button(t.t('alerts.button.mute', { hours }), mute));
  }
  const log = logPageAction({ status: 'failed', ...group }) ?? logPageAction({ status: 'failed' });
  if (log) buttons.push(button(t.t('alerts.button.openLog'), log));
  if (link) buttons.push(link);
  return buttons;
}

function failureMessage(state: GroupState, last: LastFailure, ctx: MessageContext): Reply {
  const { t } = ctx;
  const label = ctx.connectionLabel ?? last.connectionId;
  const time = (at: Date | undefined) => (at ? t.when(at, ctx.now, ctx.timezone) : '—');
  const counted = t.t('alerts.failure.count', { entity: last.entity, count: state.count });
  const headline = `${counted} · ${label} · ${state.reason ?? last.error.code}`;
  const lastOne = t.t('alerts.at', { what: last.reference ?? last.transferId, time: time(state.lastAt) });

  if (state.resolvedAt) {
    return reply(
      t.t('alerts.resolved', { headline }),
      [
        text(t.t('alerts.resolvedBold', { headline })),
        context(
          t.t('alerts.failure.resolvedNote', {
            count: state.count,
            time: time(state.resolvedAt),
            code: last.error.code,
          }),
        ),
      ],
      { visibility: 'in_channel' },
    );
  }

  const details: Array<[string, string]> = [
    [t.t('alerts.field.last'), lastOne],
    [t.t('alerts.field.since'), time(state.firstAt)],
    [t.t('alerts.field.error'), `\`${last.error.code}\``],
  ];
  if (state.recovered > 0)
    details.push([t.t('alerts.field.recovered'), t.t('alerts.ofCount', { done: state.recovered, count: state.count })]);
  const notes: string[] = [];
  if (ctx.repeated) notes.push(t.t('alerts.failure.repeated', { time: time(state.firstAt) }));
  if (isMuted(state, ctx.now)) notes.push(t.t('alerts.failure.muted', { time: time(state.mutedUntil) }));
  const open = ctx.links
    ? linkButton(t.t('alerts.button.openTransfer'), ctx.links.transfer(state.tenantId, last.transferId))
    : undefined;
  return reply(
    headline,
    [
      text(`*${headline}*`),
      text(last.error.message),
      fields(details),
      ...(notes.length > 0 ? [context(notes.join(' '))] : []),
      actions(...failureButtons(t, last, open)),
    ],
    { visibility: 'in_channel' },
  );
}

export const transferFailureKind = defineAlertKind<'transfer.failed' | 'transfer.recovered', LastFailure>({
  name: 'transfer-failure',
  events: {
    'transfer.failed': { trigger: 'transfer.failed', change: 'failure' },
    'transfer.recovered': { trigger: 'transfer.failed', change: 'recovery' },
  },
  field: 'last',
  stored: z.object({
    transferId: z.string(),
    connectionId: z.string(),
    entity: entitySchema,
    reference: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  eventOf: () => 'transfer.failed',
  apply(next, alert, { settings, at, seen }) {
    if (alert.kind === 'transfer.recovered') {
      if (!seen) return false;
      next.streak = 0;
      recoverFailing(next, alert.transferId, at);
      return true;
    }
    // A transfer that fails again (a retry that did not help) is still one failed order.
    countFailing(next, at, settings, alert.transferId, errorGist(alert.error.message), alert.error.code);
    next.streak += 1;
    if (next.streak >= settings.threshold) next.alerting = true;
    recordFailure(next, at, {
      transferId: alert.transferId,
      connectionId: alert.connectionId,
      entity: alert.entity,
      ...(alert.reference ? { reference: alert.reference } : {}),
      error: { code: alert.error.code, message: alert.error.message },
    });
    return true;
  },
  delivery: 'repeating',
  message: failureMessage,
  connectionId: (last) => last.connectionId,
});
