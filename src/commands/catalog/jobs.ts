import { RUN_JOB_ACTION } from '../../chat/alert-actions';
import { validate } from 'node-cron';
import { z } from 'zod';
import { nextCronRun } from '../../domain/cron-next';
import { cronShape } from '../../domain/cron-words';
import type { Translator } from '../../i18n';
import { isTimeZone } from '../../domain/periods';
import { encodeAction } from '../../chat/actions';
import { changed, defineAction, defineCommand, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
import { entityWord, holdCauseWords } from '../entity-word';
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

function statusWords(t: Translator, job: JobView): string {
  const result = job.lastResult
    ? t.t('jobs.result', { transfers: job.lastResult.transfers, failed: job.lastResult.failed ?? 0 })
    : '';
  switch (job.lastStatus) {
    case 'failed':
      return t.t('jobs.status.failed', { result });
    case 'no_answer':
      return t.t('jobs.status.noAnswer');
    case 'running':
      return t.t('jobs.status.running', { result });
    case 'succeeded':
      return t.t('jobs.status.succeeded', { result });
    case 'missed':
      return t.t('jobs.status.missed');
    case 'skipped':
      return t.t('jobs.status.skipped');
    default:
      return job.lastStatus ?? '';
  }
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "on weekdays at 06:00 (Europe/Copenhagen)"; a less common schedule as its expression. */
function scheduleWords(t: Translator, cron: string, timezone: string): string {
  const shape = cronShape(cron);
  const words = shape
    ? t.t('jobs.cron', {
        weekday: 0,
        day: 0,
        every: 0,
        ...shape,
        minute: 'minute' in shape ? shape.minute : 0,
        clock: 'hour' in shape ? t.t('jobs.clock', { hour: pad(shape.hour), minute: pad(shape.minute) }) : '',
      })
    : `\`${cron}\``;
  return t.t('jobs.schedule', { words, timezone });
}

function jobLines(t: Translator, { job, next, missed, missedRun }: JobState, now: Date): string {
  const when = (at: Date) => t.when(at, now, job.timezone);
  const last = job.lastRunAt
    ? `${when(job.lastRunAt)}${job.lastStatus ? `, ${statusWords(t, job)}` : ''}`
    : t.t('jobs.notYet');
  const lines = [
    `*${job.label}* · ${entityWord(t, job.entity)} · ${scheduleWords(t, job.cron!, job.timezone)}`,
    t.t('jobs.lines', {
      last,
      next: job.heldBy ? t.t('jobs.paused') : next ? when(next) : t.t('jobs.noneInSchedule'),
    }),
  ];
  if (job.heldBy) lines.push(t.t('jobs.pausedBy', { reason: holdCauseWords(t, job.heldBy) }));
  if (job.lastStatus === 'failed' && job.lastFailure) lines.push(`_${job.lastFailure}_`);
  if (missed)
    lines.push(t.t('jobs.missedRun', { hasDue: missedRun ? 'yes' : 'no', due: missedRun ? when(missedRun) : '' }));
  return lines.join('\n');
}

async function jobsReply(ctx: CommandContext, page: number) {
  const { t } = ctx;
  const all = await ctx.ports.jobs.list(ctx.tenantId);
  if (all.length === 0) return notice(t.t('jobs.noConnections'));
  const scheduled = all.filter((job) => job.cron).map((job) => jobState(job, ctx.now, ctx.ports.jobs.missedGraceMs));
  const unscheduled = all.filter((job) => !job.cron);
  const missed = scheduled.filter((state) => state.missed).length;

  const blocks: Block[] = [header(t.t('jobs.header'))];
  if (missed > 0) blocks.push(text(t.t('jobs.missed', { count: missed })));
  const shownPage = pageOf(scheduled, page, PAGE_SIZE);
  for (const state of shownPage.items) blocks.push(text(jobLines(t, state, ctx.now)));
  const runnable = shownPage.items.filter((state) => !state.job.heldBy && state.job.jobId);
  if (runnable.length > 0 && runnable.length <= MAX_RUN_BUTTONS && hasRole(ctx.role, 'admin')) {
    blocks.push(
      actions(
        ...runnable.map(({ job }) =>
          button(
            t.t('jobs.runNow', { label: job.label, entity: entityWord(t, job.entity) }),
            encodeAction(RUN_JOB_ACTION, { id: job.connectionId }),
          ),
        ),
      ),
    );
  }
  if (scheduled.length === 0) blocks.push(text(t.t('jobs.noneScheduled')));
  if (shownPage.pages > 1) {
    blocks.push(
      context(
        t.t('jobs.page', {
          page: shownPage.page,
          pages: shownPage.pages,
          count: shownPage.total,
          next: shownPage.page < shownPage.pages ? shownPage.page + 1 : 1,
        }),
      ),
    );
  }
  if (unscheduled.length > 0 && shownPage.page === 1) {
    const lines = unscheduled.map((job) => {
      const named = { label: job.label, entity: entityWord(t, job.entity) };
      return job.mode === 'webhook'
        ? t.t('jobs.webhookLine', {
            ...named,
            hasPause: job.heldBy ? 'yes' : 'no',
            reason: job.heldBy ? holdCauseWords(t, job.heldBy) : '',
          })
        : t.t('jobs.noScheduleLine', named);
    });
    blocks.push(text(t.t('jobs.eventDriven', { lines: lines.join('\n') })));
    blocks.push(context(t.t('jobs.webhookNote')));
  }
  const fallback = [
    ...scheduled.map(({ job, next, missed: late }) =>
      // In the job's time zone, as the blocks show it (the fallback is what notifications read).
      t.t('jobs.fallback.scheduled', {
        label: job.label,
        entity: entityWord(t, job.entity),
        missed: late ? 'yes' : 'no',
        hasNext: next ? 'yes' : 'no',
        next: next ? t.when(next, ctx.now, job.timezone) : '',
        timezone: job.timezone,
      }),
    ),
    ...unscheduled.map((job) => t.t('jobs.fallback.webhook', { label: job.label, entity: entityWord(t, job.entity) })),
  ].join('; ');
  return reply(fallback, blocks);
}

/** A connection of the tenant by its id, as `/iex connections` and autocomplete give it. */
async function scheduledJob(ctx: CommandContext, connectionId: string | undefined): Promise<JobView> {
  const jobs = await ctx.ports.jobs.list(ctx.tenantId);
  const { t } = ctx;
  const ids = jobs.filter((job) => job.mode === 'schedule').map((job) => `\`${job.connectionId}\``);
  const known = ids.length > 0 ? t.t('jobs.known', { ids: ids.join(', ') }) : t.t('jobs.knownNone');
  if (!connectionId) throw new UserError('bad_input', t.t('jobs.err.name', { usage: USAGE, known }));
  const job = jobs.find((candidate) => candidate.connectionId === connectionId);
  if (!job) throw new UserError('not_found', t.t('jobs.err.noConnection', { connection: connectionId, known }));
  if (job.mode === 'webhook') {
    throw new UserError('bad_input', t.t('jobs.err.webhook', { label: job.label, entity: entityWord(t, job.entity) }));
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
  const { t } = ctx;
  const result = await ctx.ports.jobs.runNow(ctx.tenantId, connectionId, ctx.caller, ctx.now);
  switch (result.status) {
    case 'no_connection':
      throw new UserError('not_found', t.t('jobs.err.gone'));
    case 'webhook':
      throw new UserError('bad_input', t.t('jobs.err.webhookRun', { label: result.label }));
    case 'skipped':
      return notice(
        t.t('jobs.skipped', {
          label: result.label,
          entity: entityWord(t, result.entity),
          reason: holdCauseWords(t, result.cause),
        }),
      );
    case 'already_started': {
      const self = result.by?.platform === ctx.caller.platform && result.by.userId === ctx.caller.userId;
      const who = self
        ? t.t('jobs.you')
        : result.by
          ? mention(result.by.platform, result.by.userId, result.by.displayName)
          : t.t('jobs.someone');
      const ago = Math.max(0, Math.round((ctx.now.getTime() - result.startedAt.getTime()) / 1000));
      const at = t.when(result.startedAt, ctx.now, result.timezone, { seconds: true });
      return notice(
        t.t('jobs.already', { who, label: result.label, entity: entityWord(t, result.entity), at, ago: t.number(ago) }),
      );
    }
  }
  return changed(
    notice(
      t.t('jobs.started', {
        who: callerMention(ctx.caller),
        label: result.label,
        entity: entityWord(t, result.entity),
      }),
      { visibility: 'in_channel' },
    ),
    { kind: 'run', connectionId },
  );
}

/** Cron as people type it: the words after the connection, or one quoted argument. */
function parseSchedule(
  t: Translator,
  words: string[],
  timezone: string | undefined,
): { cron: string; timezone?: string } {
  const cron = words
    .join(' ')
    .replace(/^["'`]|["'`]$/g, '')
    .trim();
  const fields = cron.split(/\s+/).filter(Boolean);
  if (fields.length !== 5 || !validate(cron)) {
    throw new UserError('bad_input', t.t('jobs.err.notSchedule', { cron: cron || t.t('jobs.nothing') }));
  }
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw new UserError('bad_input', t.t('jobs.err.timezone', { timezone }));
  }
  return { cron, ...(timezone ? { timezone } : {}) };
}

async function changeSchedule(
  ctx: CommandContext,
  job: JobView,
  schedule: { cron: string; timezone?: string },
): Promise<Outcome<JobChange>> {
  const { t } = ctx;
  const change = await ctx.ports.jobs.setSchedule(ctx.tenantId, job.connectionId, schedule);
  if (!change) throw new UserError('not_found', t.t('jobs.err.gone'));
  if (change === 'webhook') throw new UserError('bad_input', t.t('jobs.err.webhookSchedule', { label: job.label }));
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
      t.t('jobs.changed', {
        who: callerMention(ctx.caller),
        label: change.label,
        entity: entityWord(t, change.entity),
        schedule: scheduleWords(t, change.cron, change.timezone),
        hasPrevious: change.previous.cron ? 'yes' : 'no',
        previous: change.previous.cron ? scheduleWords(t, change.previous.cron, change.previous.timezone) : '',
        next: next ? t.when(next, ctx.now, change.timezone) : t.t('jobs.noneInSchedule'),
      }),
      { visibility: 'in_channel' },
    ),
    scheduled,
  );
}

export const jobsCommand = defineCommand({
  name: 'jobs',
  summary: 'jobs.summary',
  usage: USAGE,
  help: 'jobs.help',
  role: 'viewer',
  words: [
    word.text('action', 'jobs.word.action', { choices: ['run', 'schedule'] }),
    word.text('connection', 'jobs.word.connection', { autocomplete: 'connection' }),
    word.text('cron', 'jobs.word.cron'),
  ],
  positional: z.array(z.string()).max(8, 'jobs.args.tooMany'),
  flags: {
    timezone: flag.text('jobs.flag.timezone', { schema: z.string().min(1).optional() }),
    page: pageFlag('jobs.flag.page'),
  },
  verbs: {
    run: { role: 'admin', doing: 'jobs.doing.run' },
    schedule: { role: 'admin', doing: 'jobs.doing.schedule' },
  },
  effects: jobEffects,
  async run(ctx, { _: words, page, timezone }) {
    const [verb, connectionId, ...rest] = words;
    if (verb === undefined) {
      if (timezone !== undefined) throw new UserError('bad_input', ctx.t.t('jobs.err.timezoneAlone'));
      return jobsReply(ctx, page ?? 1);
    }
    switch (verb.toLowerCase()) {
      case 'run': {
        if (rest.length > 0) throw new UserError('bad_input', ctx.t.t('jobs.err.runUsage'));
        const job = await scheduledJob(ctx, connectionId);
        return runNow(ctx, job.connectionId);
      }
      case 'schedule': {
        const job = await scheduledJob(ctx, connectionId);
        return changeSchedule(ctx, job, parseSchedule(ctx.t, rest, timezone));
      }
      default:
        throw new UserError('bad_input', ctx.t.t('jobs.err.verb', { verb, usage: USAGE }));
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
