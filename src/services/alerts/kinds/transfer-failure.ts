import { z } from 'zod';
import { logPageAction } from '../../../chat/log-link';
import { tryAction } from '../../../chat/actions';
import { formatWhen } from '../../../chat/format-time';
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
