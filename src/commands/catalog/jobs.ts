import { z } from 'zod';
import { nextCronRun } from '../../domain/cron-next';
import { cronInWords } from '../../domain/cron-words';
import { defineCommand, type CommandContext } from '../define';
import { formatWhen } from '../transfer-log';
import { pageOf } from '../paging';
import type { JobView } from '../ports/jobs';
import { context, header, notice, reply, text, type Block } from '../reply';

const PAGE_SIZE = 15;

/** A scheduler under load may start a run a few minutes late; later than this, the run was missed. */
export const MISSED_GRACE_MS = 10 * 60 * 1000;

interface JobState {
  job: JobView;
  next?: Date | undefined;
  missed: boolean;
  /** When the run that did not happen was due, when known. */
  missedRun?: Date | undefined;
}

/**
 * When a job runs next and whether it missed a run. A stored `nextRunAt` is the scheduler's own
 * plan; without one, the next run is worked out from the schedule. A job that does not run now
 * because something is switched off did not miss anything.
 */
export function jobState(job: JobView, now: Date): JobState {
  if (!job.cron) return { job, missed: false };
  const next = job.nextRunAt && job.nextRunAt >= now ? job.nextRunAt : nextCronRun(job.cron, job.timezone, now);
  if (job.heldBy) return { job, next, missed: false };
  // The run that was due: the scheduler's plan, else the schedule's first time after the last run.
  const due = job.nextRunAt ?? (job.lastRunAt ? nextCronRun(job.cron, job.timezone, job.lastRunAt) : undefined);
  const overdue = due !== undefined && due.getTime() < now.getTime() - MISSED_GRACE_MS;
  const missedRun = overdue ? due : job.lastStatus === 'missed' ? job.lastRunAt : undefined;
  return { job, next, missed: overdue || job.lastStatus === 'missed', missedRun };
}

function scheduleWords(cron: string, timezone: string): string {
  const words = cronInWords(cron);
  return `${words ?? `\`${cron}\``} (${timezone})`;
}

function jobLines({ job, next, missed, missedRun }: JobState, now: Date): string {
  const when = (at: Date) => formatWhen(at, now, job.timezone);
  const last = job.lastRunAt
    ? `${when(job.lastRunAt)}${job.lastStatus ? `, ${job.lastStatus === 'failed' ? '*failed*' : job.lastStatus}` : ''}`
    : 'not yet';
  const lines = [
    `*${job.label}* · ${job.entity} · ${scheduleWords(job.cron!, job.timezone)}`,
    `Last run: ${last} · Next run: ${job.heldBy ? 'paused' : next ? when(next) : 'none found in the schedule'}`,
  ];
  if (job.heldBy) lines.push(`_Paused: ${job.heldBy}_`);
  if (missed) lines.push(`⚠ *Missed its run${missedRun ? ` due ${when(missedRun)}` : ''}.*`);
  return lines.join('\n');
}

async function jobsReply(ctx: CommandContext, page: number) {
  const all = await ctx.ports.jobs.list(ctx.tenantId);
  if (all.length === 0) return notice('This integration has no connections yet, so nothing runs on a schedule.');
  const scheduled = all.filter((job) => job.cron).map((job) => jobState(job, ctx.now));
  const unscheduled = all.filter((job) => !job.cron);
  const missed = scheduled.filter((state) => state.missed).length;

  const blocks: Block[] = [header('Run settings (jobs)')];
  if (missed > 0) {
    blocks.push(
      text(
        `*${missed} job${missed === 1 ? '' : 's'} missed ${missed === 1 ? 'its' : 'their'} run.* Each runs again at its next time; if runs keep being missed, tell your IEX contact.`,
      ),
    );
  }
  const shownPage = pageOf(scheduled, page, PAGE_SIZE);
  for (const state of shownPage.items) blocks.push(text(jobLines(state, ctx.now)));
  if (scheduled.length === 0) blocks.push(text('No connection runs on a schedule.'));
  if (shownPage.pages > 1) {
    blocks.push(
      context(
        `Page ${shownPage.page} of ${shownPage.pages} · ${shownPage.total} jobs · \`/iex jobs --page ${shownPage.page < shownPage.pages ? shownPage.page + 1 : 1}\``,
      ),
    );
  }
  if (unscheduled.length > 0 && shownPage.page === 1) {
    const lines = unscheduled.map((job) =>
      job.mode === 'webhook'
        ? `• ${job.label} · ${job.entity} · event-driven, no schedule${job.heldBy ? ` · _paused: ${job.heldBy}_` : ''}`
        : `• ${job.label} · ${job.entity} · ⚠ scheduled, but it has no schedule set`,
    );
    blocks.push(text(`*Event-driven (webhooks)*\n${lines.join('\n')}`));
    blocks.push(context('Webhook connections need no job: they react to changes as they happen, not to a schedule.'));
  }
  const fallback = [
    ...scheduled.map(
      ({ job, next, missed: late }) =>
        `${job.label} ${job.entity}: ${late ? 'MISSED, ' : ''}next ${next ? next.toISOString() : 'none'}`,
    ),
    ...unscheduled.map((job) => `${job.label} ${job.entity}: event-driven`),
  ].join('; ');
  return reply(fallback, blocks);
}

export const jobsCommand = defineCommand({
  name: 'jobs',
  summary: 'Scheduled runs: when each last ran, its result, when it runs next; webhook connections need none',
  usage: '/iex jobs [--page N]',
  help: 'Each scheduled connection shows its schedule in its time zone, its last run and result, and its next run. A job is flagged when it missed a run (due more than 10 minutes ago, or reported missed). Webhook-driven connections are listed as event-driven: they react to changes, not to a schedule. A job is paused while its connection, its system, its module or the whole integration is off.',
  role: 'viewer',
  args: z.object({
    _: z.array(z.string()).max(0, 'jobs takes no arguments'),
    page: z.coerce.number({ message: 'must be a page number' }).int().min(1).optional(),
  }),
  run: (ctx, { page }) => jobsReply(ctx, page ?? 1),
});
