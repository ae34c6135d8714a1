import { logPageAction } from '../../../chat/log-link';
import { tryAction } from '../../../chat/actions';
import { actions, button, context, reply, text, type Button, type Reply } from '../../../chat/reply';
import { MUTE_HOURS, MUTE_JOB_ACTION, RUN_JOB_ACTION } from '../../../chat/alert-actions';
import type { Translator } from '../../../i18n';
import { isMuted, recordFailure, type GroupState } from '../group-state';
import type { MessageContext } from '../message-context';
import { defineAlertKind, storedAlert, type EventOf } from './kind';

/**
 * A scheduled sync job (jobGroupKey): an episode opens with a missed or failing run and keeps one
 * message, updated as more come, until a good run resolves it.
 */

/** What a job group's message shows: its latest missed run or run of failures. */
export type JobAlert = EventOf<'job.missed' | 'job.failing'>;

/** Run now, Mute, and the connection's failures in the log. */
export function jobButtons(t: Translator, job: JobAlert): Button[] {
  const buttons: Button[] = [];
  const run = tryAction(RUN_JOB_ACTION, { id: job.connectionId });
  if (run) buttons.push(button(t.t('alerts.button.runNow'), run, { style: 'primary' }));
  for (const hours of MUTE_HOURS) {
    const mute = tryAction(MUTE_JOB_ACTION, { conn: job.connectionId, h: hours });
    if (mute) buttons.push(button(t.t('alerts.button.mute', { hours }), mute));
  }
  const log = logPageAction({ status: 'failed', conn: job.connectionId }) ?? logPageAction({ status: 'failed' });
  if (log) buttons.push(button(t.t('alerts.button.openLog'), log));
  return buttons;
}

function headlineOf(t: Translator, job: JobAlert, name: string, time: (at: Date) => string): string {
  if (job.kind === 'job.missed') {
    const due = t.t('alerts.job.missed', { name, time: time(new Date(job.dueAt)) });
    return job.missedRuns > 1 ? `${due} · ${t.t('alerts.job.missedRuns', { count: job.missedRuns })}` : due;
  }
  if (job.lastStatus === 'no_answer')
    return job.failures === 1
      ? t.t('alerts.job.noAnswer', { name })
      : t.t('alerts.job.failedNoAnswer', { name, count: job.failures });
  const failed = t.t('alerts.job.failed', { name, count: job.failures });
  return job.reason ? `${failed} · ${job.reason}` : failed;
}

/** The message of a job group: missed or failing runs, until a good run resolves it. */
export function jobMessage(state: GroupState, job: JobAlert, ctx: MessageContext): Reply {
  const { t } = ctx;
  const time = (at: Date) => t.when(at, ctx.now, ctx.timezone);
  const name = t.t('alerts.job.name', { connection: ctx.connectionLabel ?? job.connectionId, entity: job.entity });
  const options = { visibility: 'in_channel' as const };

  if (state.resolvedAt) {
    const headline = t.t('alerts.job.resolved', { name, time: time(state.resolvedAt) });
    return reply(
      headline,
      [text(`*${headline}*`), context(t.t('alerts.job.was', { headline: headlineOf(t, job, name, time) }))],
      options,
    );
  }

  const headline = headlineOf(t, job, name, time);
  const notes: string[] = [];
  if (job.kind === 'job.failing') notes.push(t.t('alerts.job.lastRun', { time: time(new Date(job.lastRunAt)) }));
  if (state.firstAt) notes.push(t.t('alerts.job.alertingSince', { time: time(state.firstAt) }));
  if (isMuted(state, ctx.now) && state.mutedUntil)
    notes.push(t.t('alerts.job.muted', { time: time(state.mutedUntil) }));
  const buttons = jobButtons(t, job);
  return reply(
    headline,
    [
      text(`*${headline}*`),
      ...(notes.length > 0 ? [context(notes.join(' · '))] : []),
      ...(buttons.length > 0 ? [actions(...buttons)] : []),
    ],
    options,
  );
}

export const jobKind = defineAlertKind<'job.missed' | 'job.failing' | 'job.recovered', JobAlert>({
  name: 'job',
  events: {
    'job.missed': { trigger: 'job.missed', change: 'failure' },
    'job.failing': { trigger: 'job.missed', change: 'failure' },
    'job.recovered': { trigger: 'job.missed', change: 'recovery' },
  },
  field: 'job',
  stored: storedAlert<JobAlert>(),
  eventOf: (job) => job.kind,
  apply(next, alert, { at, seen }) {
    if (alert.kind === 'job.recovered') {
      if (!seen) return false;
      // Nothing open to resolve, or a good run from before the latest failure.
      if (!next.subject || next.resolvedAt || (next.lastAt && at < next.lastAt)) return true;
      next.resolvedAt = new Date(alert.runAt);
      next.version += 1;
      return true;
    }
    // A job's episode runs from its first missed or failing run to the good run that resolves it.
    if (next.episode === 0 || next.resolvedAt) {
      Object.assign(next, { episode: next.episode + 1, count: 0, firstAt: at });
      delete next.resolvedAt;
    }
    next.count += 1;
    next.alerting = true;
    recordFailure(next, at, alert);
    return true;
  },
  // A job's runs come far apart (hours, days): its one message is kept up to date where it is.
  delivery: 'in-place',
  message: jobMessage,
  connectionId: (job) => job.connectionId,
});
