import { formatWhen } from '../../../chat/format-time';
import { context, fields, reply, text, type Reply } from '../../../chat/reply';
import { deadLetterReasonForChat } from '../../../domain/alerts';
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

/** What a person calls the messages of each topic. */
const TOPIC_WORDS: Record<TopicId, string> = {
  webhooksRaw: 'Shopify webhooks',
  transfers: 'transfer events',
  alerts: 'alerts',
  commands: 'commands to the integration engine',
  deadLetter: 'dead letters',
  tenants: 'tenant specifications from the IEX platform',
};

/** "transfer events" for `iex.transfers.v1` in any namespace (`staging.iex.transfers.v1`), else the name. */
export function topicWords(topic: string): string {
  for (const [id, name] of Object.entries(TOPICS) as Array<[TopicId, string]>) {
    if (topic === name || topic.endsWith(`.${name}`)) return TOPIC_WORDS[id];
  }
  return topic;
}

const messages = (count: number) => (count === 1 ? '1 message' : `${count} messages`);

/**
 * The message of a dead-letter group: how many of the tenant's messages one consumer group gave up
 * on, why, and where they are kept; resolved when an operator has replayed every one of them. It
 * names the transfer when the message said which, never the message's content.
 */
export function deadLetterMessage(state: GroupState, last: DeadLetterAlert, ctx: MessageContext): Reply {
  const time = (at: Date | undefined) => (at ? formatWhen(at, ctx.now, ctx.timezone) : '—');
  const what = topicWords(last.topic);
  const headline = `${messages(state.count)} not processed · ${what} · ${state.reason ?? 'see the reason'}`;
  const options = { visibility: 'in_channel' as const };

  if (state.resolvedAt) {
    const all = state.count === 1 ? 'It was' : state.count === 2 ? 'Both were' : `All ${state.count} were`;
    return reply(
      `Resolved: ${headline}`,
      [
        text(`*Resolved:* ${headline}`),
        context(`${all} replayed · the last at ${time(state.resolvedAt)} · they go through the pipeline again`),
      ],
      options,
    );
  }

  const about = last.reference ?? last.transferId;
  const details: Array<[string, string]> = [
    ['Last', `${about ? `${about} at ` : ''}${time(state.lastAt)}`],
    ['Since', time(state.firstAt)],
    ['Topic', `\`${last.topic}\``],
    ['Consumer', `\`${last.group}\``],
  ];
  if (state.recovered > 0) details.push(['Replayed', `${state.recovered} of ${state.count}`]);
  const them = state.count === 1 ? 'it' : 'them';
  const notes = [
    `Kept on the dead-letter topic, so nothing is lost: an IEX operator can replay ${them} once the cause is fixed.`,
  ];
  if (ctx.repeated)
    notes.push(`Still happening since ${time(state.firstAt)}: the count includes those posted earlier.`);
  if (isMuted(state, ctx.now)) notes.push(`Muted until ${time(state.mutedUntil)}: new ones are counted, not posted.`);
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
    countFailing(next, at, settings, alert.origin, errorGist(alert.reason), 'several reasons');
    // Nothing was recorded for the message: one is enough to tell people, whatever the threshold.
    next.alerting = true;
    recordFailure(next, at, alert);
    return true;
  },
  delivery: 'repeating',
  message: deadLetterMessage,
});
