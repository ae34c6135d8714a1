import { RUN_JOB_ACTION } from '../../chat/alert-actions';
import { formatWhen } from '../../chat/format-time';
import { validate } from 'node-cron';
import { z } from 'zod';
import { nextCronRun } from '../../domain/cron-next';
import { cronInWords } from '../../domain/cron-words';
import { isTimeZone } from '../../domain/periods';
import { encodeAction } from '../../chat/actions';
import { changed, defineAction, defineCommand, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
import { callerMention, mention } from '../mentions';
import { pageOf } from '../paging';
import type { JobView } from '../ports/jobs';
import { actions, button, context, header, notice, reply, text, type Block, type Reply } from '../../chat/reply';
import { hasRole } from '../roles';
import { flag, pageFlag, word } from '../options';

const PAGE_SIZE = 15;
/** Run now buttons are offered when a page has this few jobs: one row on Discord. */
const MAX_RUN_BUTTONS = 5;
const USAGE =
  '/iex jobs [--page N]  ·  /iex jobs run CONNECTION  ·  /iex jobs schedule CONNECTION CRON [--timezone ZONE]';

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
export function jobState(job: JobView, now: Date, missedGraceMs: number): JobState {
  if (!job.cron) return { job, missed: false };
  const next = job.nextRunAt && job.nextRunAt >= now ? job.nextRunAt : nextCronRun(job.cron, job.timezone, now);
  if (job.heldBy) return { job, next, missed: false };
  // The run that was due: the scheduler's plan, else the schedule's first time after the last run.
  const due = job.nextRunAt ?? (job.lastRunAt ? nextCronRun(job.cron, job.timezone, job.lastRunAt) : undefined);
  const overdue = due !== undefined && due.getTime() < now.getTime() - missedGraceMs;
  const missedRun = overdue ? due : job.lastStatus === 'missed' ? job.lastRunAt : undefined;
  return { job, next, missed: overdue || job.lastStatus === 'missed', missedRun };
}

function statusWords(job: JobView): string {
  const result = job.lastResult
    ? ` — ${job.lastResult.transfers} transfer${job.lastResult.transfers === 1 ? '' : 's'}${job.lastResult.failed ? `, ${job.lastResult.failed} failed` : ''}`
    : '';
  switch (job.lastStatus) {
    case 'failed':
      return `*failed*${result}`;
    case 'no_answer':
      return '*no answer* from the integration engine';
    case 'running':
      return `waiting for the engine${result}`;
    case 'succeeded':
      return `succeeded${result}`;
    default:
      return job.lastStatus ?? '';
  }
}

function scheduleWords(cron: string, timezone: string): string {
  const words = cronInWords(cron);
  return `${words ?? `\`${cron}\``} (${timezone})`;
}

function jobLines({ job, next, missed, missedRun }: JobState, now: Date): string {
  const when = (at: Date) => formatWhen(at, now, job.timezone);
  const last = job.lastRunAt ? `${when(job.lastRunAt)}${job.lastStatus ? `, ${statusWords(job)}` : ''}` : 'not yet';
  const lines = [
    `*${job.label}* · ${job.entity} · ${scheduleWords(job.cron!, job.timezone)}`,
    `Last run: ${last} · Next run: ${job.heldBy ? 'paused' : next ? when(next) : 'none found in the schedule'}`,
  ];
  if (job.heldBy) lines.push(`_Paused: ${job.heldBy}_`);
  if (job.lastStatus === 'failed' && job.lastFailure) lines.push(`_${job.lastFailure}_`);
  if (missed) lines.push(`⚠ *Missed its run${missedRun ? ` due ${when(missedRun)}` : ''}.*`);
  return lines.join('\n');
}

async function jobsReply(ctx: CommandContext, page: number) {
  const all = await ctx.ports.jobs.list(ctx.tenantId);
  if (all.length === 0) return notice('This integration has no connections yet, so nothing runs on a schedule.');
  const scheduled = all.filter((job) => job.cron).map((job) => jobState(job, ctx.now, ctx.ports.jobs.missedGraceMs));
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
  const runnable = shownPage.items.filter((state) => !state.job.heldBy && state.job.jobId);
  if (runnable.length > 0 && runnable.length <= MAX_RUN_BUTTONS && hasRole(ctx.role, 'admin')) {
    blocks.push(
      actions(
        ...runnable.map(({ job }) =>
          button(`Run ${job.label} (${job.entity}) now`, encodeAction(RUN_JOB_ACTION, { id: job.connectionId })),
        ),
      ),
    );
  }
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
        // In the job's time zone, as the blocks show it (the fallback is what notifications read).
        `${job.label} ${job.entity}: ${late ? 'MISSED, ' : ''}next ${next ? `${formatWhen(next, ctx.now, job.timezone)} (${job.timezone})` : 'none'}`,
    ),
    ...unscheduled.map((job) => `${job.label} ${job.entity}: event-driven`),
  ].join('; ');
  return reply(fallback, blocks);
}

/** A connection of the tenant by its id, as `/iex connections` and autocomplete give it. */
async function scheduledJob(ctx: CommandContext, connectionId: string | undefined): Promise<JobView> {
  const jobs = await ctx.ports.jobs.list(ctx.tenantId);
  const ids = jobs.filter((job) => job.mode === 'schedule').map((job) => `\`${job.connectionId}\``);
  const known = ids.length > 0 ? ` Scheduled connections: ${ids.join(', ')}.` : ' No connection runs on a schedule.';
  if (!connectionId) throw new UserError('bad_input', `Name the connection. Usage: \`${USAGE}\`.${known}`);
  const job = jobs.find((candidate) => candidate.connectionId === connectionId);
  if (!job) throw new UserError('not_found', `There is no connection \`${connectionId}\`.${known}`);
  if (job.mode === 'webhook') {
    throw new UserError(
      'bad_input',
      `${job.label} (${job.entity}) is event-driven: it reacts to webhooks as changes happen, so it has no schedule to run or change.`,
    );
  }
  return job;
}

/** What a run or a schedule change audits and announces. */
type JobChange =
  | { kind: 'run'; connectionId: string }
  | { kind: 'schedule'; connectionId: string; cron: string; timezone: string; previous: unknown };

const jobEffects = {
  audit: (_args: unknown, change: JobChange) =>
    change.kind === 'run'
      ? { action: 'job.run', target: change.connectionId }
      : {
          action: 'job.schedule',
          target: change.connectionId,
          details: { cron: change.cron, timezone: change.timezone, previous: change.previous },
        },
};

async function runNow(ctx: CommandContext, connectionId: string): Promise<Reply | Outcome<JobChange>> {
  const result = await ctx.ports.jobs.runNow(ctx.tenantId, connectionId, ctx.caller, ctx.now);
  switch (result.status) {
    case 'no_connection':
      throw new UserError('not_found', 'That connection no longer exists. Run `/iex jobs` again.');
    case 'webhook':
      throw new UserError('bad_input', `${result.label} is event-driven: it has no scheduled run.`);
    case 'skipped':
      return notice(`${result.label} (${result.entity}) did not run: ${result.reason}`);
    case 'already_started': {
      const self = result.by?.platform === ctx.caller.platform && result.by.userId === ctx.caller.userId;
      const who = self
        ? 'You'
        : result.by
          ? mention(result.by.platform, result.by.userId, result.by.displayName)
          : 'Someone';
      const ago = Math.max(0, Math.round((ctx.now.getTime() - result.startedAt.getTime()) / 1000));
      const at = formatWhen(result.startedAt, ctx.now, result.timezone, { seconds: true });
      return notice(
        `${who} started a run of ${result.label} (${result.entity}) at ${at}, ${ago} s ago: it is running, so it was not started again. \`/iex jobs\` shows its result when the engine answers.`,
      );
    }
  }
  return changed(
    notice(
      `${callerMention(ctx.caller)} started a run of ${result.label} (${result.entity}): the engine syncs it now. \`/iex jobs\` shows the result when it answers.`,
      { visibility: 'in_channel' },
    ),
    { kind: 'run', connectionId },
  );
}

/** Cron as people type it: the words after the connection, or one quoted argument. */
function parseSchedule(words: string[], timezone: string | undefined): { cron: string; timezone?: string } {
  const cron = words
    .join(' ')
    .replace(/^["'`]|["'`]$/g, '')
    .trim();
  const fields = cron.split(/\s+/).filter(Boolean);
  if (fields.length !== 5 || !validate(cron)) {
    throw new UserError(
      'bad_input',
      `\`${cron || '(nothing)'}\` is not a schedule. Give five cron fields — minute hour day month weekday — e.g. \`*/15 * * * *\` (every 15 minutes) or \`0 6 * * 1-5\` (06:00 on weekdays).`,
    );
  }
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw new UserError('bad_input', `\`${timezone}\` is not a time zone. Give one like \`Europe/Copenhagen\`.`);
  }
  return { cron, ...(timezone ? { timezone } : {}) };
}

async function changeSchedule(
  ctx: CommandContext,
  job: JobView,
  schedule: { cron: string; timezone?: string },
): Promise<Outcome<JobChange>> {
  const change = await ctx.ports.jobs.setSchedule(ctx.tenantId, job.connectionId, schedule);
  if (!change) throw new UserError('not_found', 'That connection no longer exists. Run `/iex jobs` again.');
  if (change === 'webhook') throw new UserError('bad_input', `${job.label} is event-driven: it has no schedule.`);
  const next = nextCronRun(change.cron, change.timezone, ctx.now);
  const scheduled: JobChange = {
    kind: 'schedule',
    connectionId: job.connectionId,
    cron: change.cron,
    timezone: change.timezone,
    previous: change.previous,
  };
  return changed(
    notice(
      `${callerMention(ctx.caller)} changed the schedule of ${change.label} (${change.entity}) to ${scheduleWords(change.cron, change.timezone)}` +
        `${change.previous.cron ? `, was ${scheduleWords(change.previous.cron, change.previous.timezone)}` : ''}. ` +
        `Next run: ${next ? formatWhen(next, ctx.now, change.timezone) : 'none found in the schedule'}.`,
      { visibility: 'in_channel' },
    ),
    scheduled,
  );
}

export const jobsCommand = defineCommand({
  name: 'jobs',
  summary: 'Scheduled runs: when each last ran, its result, when it runs next; run one now or change its schedule',
  usage: USAGE,
  help:
    'Each scheduled connection shows its schedule in its time zone, its last run and result (from the transfers the run produced, or *no answer* when the integration engine sent none within the time limit), and its next run. A job is flagged when it missed a run. Webhook-driven connections are listed as event-driven: they react to changes, not to a schedule. A job is paused while its connection, its system, its module or the whole integration is off.\n' +
    "`/iex jobs run CONNECTION` asks the engine to sync the connection now. `/iex jobs schedule CONNECTION CRON [--timezone ZONE]` changes when it runs, e.g. `/iex jobs schedule shopify-economic-products 0 6 * * 1-5` (06:00 on weekdays); the time zone is the integration's unless given. Both need an admin; changes take effect at once, without a restart.",
  role: 'viewer',
  words: [
    word.text('action', 'Run a job now, or change its schedule (admins); leave out to list the jobs', {
      choices: ['run', 'schedule'],
    }),
    word.text('connection', 'The scheduled connection', { autocomplete: 'connection' }),
    word.text('cron', 'schedule: five cron fields, e.g. 0 6 * * 1-5 (06:00 on weekdays)'),
  ],
  positional: z.array(z.string()).max(8, 'too many words: a schedule has five fields'),
  flags: {
    timezone: flag.text("schedule: a time zone, e.g. Europe/Copenhagen (default: the integration's)", {
      schema: z.string().min(1).optional(),
    }),
    page: pageFlag('the scheduled jobs'),
  },
  verbs: { run: { role: 'admin', doing: 'run a job' }, schedule: { role: 'admin', doing: 'change a schedule' } },
  effects: jobEffects,
  async run(ctx, { _: words, page, timezone }) {
    const [verb, connectionId, ...rest] = words;
    if (verb === undefined) {
      if (timezone !== undefined) throw new UserError('bad_input', '`--timezone` goes with `schedule`.');
      return jobsReply(ctx, page ?? 1);
    }
    switch (verb.toLowerCase()) {
      case 'run': {
        if (rest.length > 0) throw new UserError('bad_input', `Usage: \`/iex jobs run CONNECTION\`.`);
        const job = await scheduledJob(ctx, connectionId);
        return runNow(ctx, job.connectionId);
      }
      case 'schedule': {
        const job = await scheduledJob(ctx, connectionId);
        return changeSchedule(ctx, job, parseSchedule(rest, timezone));
      }
      default:
        throw new UserError('bad_input', `\`${verb}\` is not a jobs command. Usage: \`${USAGE}\`.`);
    }
  },
});

/** The Run now button of the jobs list and of a job's alert. */
export const runJobAction = defineAction({
  id: RUN_JOB_ACTION,
  role: 'admin',
  values: z.object({ id: z.string().min(1) }),
  effects: jobEffects,
  run: (ctx, { id }) => runNow(ctx, id),
});
