import { context, fields, reply, text, type Reply } from '../../../chat/reply';
import { deadLetterReasonForChat } from '../../../domain/alerts';
import type { Translator } from '../../../i18n';
import { TOPICS, type TopicId } from '../../../kafka/topics';
import { countFailing, errorGist, isMuted, recoverFailing, recordFailure, type GroupState } from '../group-state';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/**
 * Messages of a tenant that one consumer group gave up on (deadLetterGroupKey): episodes as for
 * failed transfers, each message tracked by where it was read (`origin`); resolved when an
 * operator has replayed every one of them.
 */

/** What a dead-letter group's message shows: its latest dead letter. */
export type DeadLetterAlert = EventOf<'pipeline.dead_letter'>;

/** The group's reason when its dead letters have little in common; stored in its state, so never changed. */
const SEVERAL_REASONS = 'several reasons';

/** "transfer events" for `iex.transfers.v1` in any namespace (`staging.iex.transfers.v1`), else the name. */
export function topicWords(t: Translator, topic: string): string {
  for (const [id, name] of Object.entries(TOPICS) as Array<[TopicId, string]>) {
    if (topic === name || topic.endsWith(`.${name}`)) return t.t(`alerts.topic.${id}`);
  }
  return topic;
}

function reasonOf(t: Translator, reason: string | undefined): string {
  if (reason === undefined) return t.t('alerts.deadLetter.seeReason');
  return reason === SEVERAL_REASONS ? t.t('alerts.deadLetter.severalReasons') : reason;
}

/**
 * The message of a dead-letter group: how many of the tenant's messages one consumer group gave up
 * on, why, and where they are kept; resolved when an operator has replayed every one of them. It
 * names the transfer when the message said which, never the message's content.
 */
export function deadLetterMessage(state: GroupState, last: DeadLetterAlert, ctx: MessageContext): Reply {
  const { t } = ctx;
  const time = (at: Date | undefined) => (at ? t.when(at, ctx.now, ctx.timezone) : '—');
  const headline = t.t('alerts.deadLetter.headline', {
    count: state.count,
    what: topicWords(t, last.topic),
    reason: reasonOf(t, state.reason),
  });
  const options = { visibility: 'in_channel' as const };

  if (state.resolvedAt) {
    return reply(
      t.t('alerts.resolved', { headline }),
      [
        text(t.t('alerts.resolvedBold', { headline })),
        context(t.t('alerts.deadLetter.resolvedNote', { count: state.count, time: time(state.resolvedAt) })),
      ],
      options,
    );
  }

  const about = last.reference ?? last.transferId;
  const details: Array<[string, string]> = [
    [
      t.t('alerts.field.last'),
      about ? t.t('alerts.at', { what: about, time: time(state.lastAt) }) : time(state.lastAt),
    ],
    [t.t('alerts.field.since'), time(state.firstAt)],
    [t.t('alerts.field.topic'), `\`${last.topic}\``],
    [t.t('alerts.field.consumer'), `\`${last.group}\``],
  ];
  if (state.recovered > 0)
    details.push([t.t('alerts.field.replayed'), t.t('alerts.ofCount', { done: state.recovered, count: state.count })]);
  const notes = [t.t('alerts.deadLetter.kept', { count: state.count })];
  if (ctx.repeated) notes.push(t.t('alerts.deadLetter.repeated', { time: time(state.firstAt) }));
  if (isMuted(state, ctx.now)) notes.push(t.t('alerts.deadLetter.muted', { time: time(state.mutedUntil) }));
  return reply(
    headline,
    [text(`*${headline}*`), text(deadLetterReasonForChat(last.reason)), fields(details), context(notes.join(' '))],
    options,
  );
}

export const deadLetterKind = defineAlertKind<'pipeline.dead_letter' | 'pipeline.replayed', DeadLetterAlert>({
  name: 'dead-letter',
  // The people told about failed transfers are the ones to hear that a message was not processed.
  events: {
    'pipeline.dead_letter': { trigger: 'transfer.failed', change: 'failure' },
    'pipeline.replayed': { trigger: 'transfer.failed', change: 'recovery' },
  },
  field: 'deadLetter',
  stored: storedAlert<DeadLetterAlert>(),
  eventOf: () => 'pipeline.dead_letter',
  apply(next, alert, { settings, at, seen }) {
    if (alert.kind === 'pipeline.replayed') {
      if (!seen) return false;
      recoverFailing(next, alert.origin, at);
      return true;
    }
    // Episodes as for failed transfers; a message is tracked by where it was read (`origin`).
    countFailing(next, at, settings, alert.origin, errorGist(alert.reason), SEVERAL_REASONS);
    // Nothing was recorded for the message: one is enough to tell people, whatever the threshold.
    next.alerting = true;
    recordFailure(next, at, alert);
    return true;
  },
  delivery: 'repeating',
  message: deadLetterMessage,
});
