import {
  encodeTime,
  filterToValues,
  filterValuesShape,
  isStatusWord,
  type FilterValues,
  logPageAction,
} from '../../chat/log-link';
import { nextWholeSecond, wholeSecond } from '../time-spec';
import { tryAction } from '../../chat/actions';
import { createHash } from 'node:crypto';
import type { Translator } from '../../i18n';
import { z } from 'zod';
import { word } from '../options';
import { changed, defineAction, defineCommand, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
import { holdCauseWords } from '../entity-word';
import type { RetryOutcome, RetryTarget, TransferDetail } from '../ports/transfers';
import {
  actions,
  button,
  context,
  fields,
  header,
  notice,
  reply,
  text,
  type Block,
  type Button,
  type Reply,
} from '../../chat/reply';
import {
  describeFilter,
  filterFlags,
  findTransfer,
  flagsToValues,
  resolveFilter,
  retentionNote,
  retryRefusal,
  transferName,
} from './log';

/**
 * One confirmation retries at most this many transfers. It bounds the audit entry (which lists
 * them, for "Check results") and the time the paced sending takes; the rest is one more ask away.
 */
export const MAX_BULK_RETRY = 1000;

const RETRY_USAGE =
  '/iex retry TRANSFER_ID|#ORDER  or  /iex retry failed|held [--since 2h] [--until 13:00] [--connection ID] [--system NAME] [--entity order] [--code ERROR_CODE]';

type RetryStatus = 'failed' | 'held';
const retryStatusSchema = z.enum(['failed', 'held'], { message: 'retry.args.status' });

/**
 * A retry batch id: the same confirmation clicked twice gives the same id, so the engines get the
 * same command ids and drop the second; a new confirmation gives a new one.
 */
function batchId(tenantId: string, what: Record<string, string>): string {
  return createHash('sha256')
    .update(JSON.stringify([tenantId, what]))
    .digest('hex')
    .slice(0, 12);
}

const resultsButton = (batch: string, after: Date, label: string): Button[] => {
  const action = tryAction('retry.results', { b: batch, at: encodeTime(after) });
  return action ? [button(label, action)] : [];
};

/** A retry as its audit entry records it: its transfers, which "Check results" reads back. */
interface Retried {
  targets: RetryTarget[];
  batch: string;
  details: Record<string, unknown>;
}

/** Audited before the retries are sent (the reply sends them), so "Check results" dates them right. */
const retryEffects = {
  audit: (_args: unknown, { targets, batch, details }: Retried) => ({
    action: 'transfers.retry',
    ...(targets.length === 1 ? { target: targets[0]!.transferId } : {}),
    details: { ...details, batch, count: targets.length, transferIds: targets.map((target) => target.transferId) },
  }),
};

/** Sends a retry, paced. */
function send(ctx: CommandContext, { targets, batch }: Retried) {
  return ctx.ports.transfers.sendRetries(ctx.tenantId, targets, {
    actor: { platform: ctx.caller.platform, userId: ctx.caller.userId },
    batch,
    now: ctx.now,
  });
}

const paceNote = (t: Translator, queued: number, perSecond: number) =>
  queued > perSecond
    ? t.t('retry.pace', { perSecond: t.number(perSecond), seconds: t.number(Math.ceil(queued / perSecond)) })
    : '';

// ---------------------------------------------------------------- one transfer

async function retryOne(ctx: CommandContext, detail: TransferDetail, stamp: Date): Promise<Outcome<Retried>> {
  const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
  const refusal = retryRefusal(ctx.t, detail, ctx.now, timezone);
  if (refusal) throw new UserError('conflict', refusal);
  const status = detail.status as RetryStatus;
  const batch = batchId(ctx.tenantId, { one: detail.transferId, at: encodeTime(stamp) });
  const started = wholeSecond(ctx.now);
  const retried: Retried = {
    targets: [{ transferId: detail.transferId, connectionId: detail.connectionId, status }],
    batch,
    details: { reference: detail.reference, connection: detail.connectionLabel },
  };
  return changed(async () => {
    await send(ctx, retried);
    const { t } = ctx;
    const summary = t.t('retry.one.done', {
      held: status === 'held' ? 'yes' : 'no',
      name: transferName(detail),
      connection: detail.connectionLabel,
    });
    const details = tryAction('log.show', { id: detail.transferId });
    return reply(summary, [
      text(summary),
      context(t.t('retry.one.note')),
      actions(
        ...resultsButton(batch, started, t.t('retry.checkResult')),
        ...(details ? [button(t.t('retry.details'), details)] : []),
      ),
    ]);
  }, retried);
}

// ---------------------------------------------------------------- by filter

/** "12 failed order transfers of Shopify > e-conomic since 13:05" */
function selectionText(
  t: Translator,
  count: number,
  values: FilterValues & { status: RetryStatus },
  where: string,
  since: string,
): string {
  return t.t('retry.selection', { count, status: values.status, entity: values.entity ?? 'none', where, since });
}

/**
 * The confirmation of a bulk retry: how many match, which of them cannot run now, and a button
 * that retries exactly this filter up to this moment (the until in the button).
 */
async function askReply(ctx: CommandContext, values: FilterValues & { status: RetryStatus }): Promise<Reply> {
  const settings = await ctx.ports.transfers.settings(ctx.tenantId);
  const { timezone } = settings;
  const { t } = ctx;
  // Up to and including this second: a Retry pressed right after a failure still finds it.
  const resolved = await resolveFilter(ctx, { ...values, until: values.until ?? nextWholeSecond(ctx.now) });
  const status = values.status;
  const plan = await ctx.ports.transfers.planRetry(ctx.tenantId, { ...resolved.filter, status }, 0);
  const where = resolved.connectionLabel
    ? t.t('retry.where.connection', { connection: resolved.connectionLabel })
    : resolved.systemName
      ? t.t('retry.where.system', { system: resolved.systemName })
      : plan.connectionLabels.length === 1
        ? t.t('retry.where.connection', { connection: plan.connectionLabels[0]! })
        : plan.connectionLabels.length > 1
          ? t.t('retry.where.connections', { count: plan.connectionLabels.length })
          : '';
  const since = values.since ? t.t('retry.since', { when: t.when(values.since, ctx.now, timezone) }) : '';
  const narrowed = [
    values.ref ? t.t('log.filter.ref', { ref: values.ref }) : undefined,
    values.code ? t.t('log.filter.code', { code: values.code }) : undefined,
    values.until ? t.t('log.filter.until', { when: t.when(values.until, ctx.now, timezone) }) : undefined,
  ].filter(Boolean);
  const selection =
    selectionText(t, plan.matched, values, where, since) + (narrowed.length ? ` (${narrowed.join(', ')})` : '');
  const show = logPageAction(resolved.values);

  if (plan.matched === 0) {
    const described = describeFilter(
      t,
      { ...resolved, values: { ...resolved.values, until: values.until } },
      ctx.now,
      timezone,
      { withStatus: false },
    );
    const nothing = t.t('retry.nothing', {
      status: values.status,
      hasFilter: described ? 'yes' : 'no',
      filter: described,
    });
    return reply(nothing, [
      text(nothing),
      context(retentionNote(t, settings, ctx.now)),
      ...(show ? [actions(button(t.t('retry.openLog'), show))] : []),
    ]);
  }
  const blocked = plan.blocked.reduce((sum, entry) => sum + entry.count, 0);
  const runnable = plan.matched - blocked;
  const blockedLines = plan.blocked
    .map((entry) => t.t('retry.blockedLine', { count: entry.count, reason: holdCauseWords(t, entry.cause) }))
    .join('\n');
  if (runnable === 0) {
    const none = t.t('retry.noneCanRun', { selection, count: plan.matched });
    return reply(`${none} ${plan.blocked.map((entry) => holdCauseWords(t, entry.cause)).join(' ')}`, [
      text(`${none}\n${blockedLines}`),
      context(t.t('retry.switchOnFirst')),
      ...(show ? [actions(button(t.t('retry.showThem'), show))] : []),
    ]);
  }

  const sending = Math.min(runnable, MAX_BULK_RETRY);
  const question =
    blocked > 0 || sending < plan.matched
      ? t.t('retry.askSome', { selection, count: plan.matched, sending: t.number(sending) })
      : t.t('retry.askAll', { selection });
  const blocks: Block[] = [header(t.t('retry.askHeader', { status: values.status })), text(`*${question}*`)];
  if (blocked > 0) blocks.push(text(t.t('retry.notRetried', { lines: blockedLines })));
  if (runnable > MAX_BULK_RETRY) blocks.push(context(t.t('retry.atMost', { max: t.number(MAX_BULK_RETRY) })));
  blocks.push(context(`${status === 'held' ? t.t('retry.heldRunsNow') : ''}${t.t('retry.eachGoes')}`));
  const { status: _status, ...rest } = resolved.values;
  // `failed` is the default, which keeps the button short enough for the 100 characters.
  const run = tryAction('retry.run', { ...filterToValues(rest), ...(status === 'held' ? { status } : {}) });
  if (!run) throw new UserError('bad_input', t.t('retry.err.tooLong'));
  const buttons: Button[] = [
    button(t.t('retry.retryN', { count: t.number(sending) }), run, { style: 'primary' }),
    button(t.t('common.cancel'), 'retry.cancel'),
  ];
  if (show) buttons.push(button(t.t('retry.showThem'), show));
  blocks.push(actions(...buttons));
  return reply(question, blocks);
}

async function runBulk(
  ctx: CommandContext,
  values: FilterValues & { status: RetryStatus; until: Date },
): Promise<Reply | Outcome<Retried>> {
  const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
  const resolved = await resolveFilter(ctx, values);
  const plan = await ctx.ports.transfers.planRetry(
    ctx.tenantId,
    { ...resolved.filter, status: values.status },
    MAX_BULK_RETRY,
  );
  const { t } = ctx;
  const described = describeFilter(t, resolved, ctx.now, timezone);
  if (plan.targets.length === 0) {
    return notice(t.t('retry.nothingLeft', { filter: described }), { replaceOriginal: true });
  }
  const { status: _status, ...rest } = filterToValues(resolved.values);
  const batch = batchId(ctx.tenantId, { ...rest, status: values.status });
  const started = wholeSecond(ctx.now);
  const retried: Retried = { targets: plan.targets, batch, details: { filter: described } };
  return changed(async () => {
    const sent = await send(ctx, retried);
    const log = logPageAction({ ...resolved.values, status: undefined, since: started });
    if (sent.alreadyQueuedAt) {
      // The same confirmation again (a double click, or a click on an old message): nothing new is sent.
      const already = t.t('retry.already', {
        count: sent.queued,
        when: t.when(sent.alreadyQueuedAt, ctx.now, timezone, { seconds: true }),
        sent: t.number(sent.sent),
        queued: t.number(sent.queued),
      });
      return reply(
        already,
        [
          text(already),
          actions(
            ...resultsButton(batch, started, t.t('retry.checkResults')),
            ...(log ? [button(t.t('retry.openLog'), log)] : []),
          ),
        ],
        { replaceOriginal: true },
      );
    }
    const summary = t.t('retry.queued', { count: sent.queued, filter: described });
    return reply(
      summary,
      [
        text(`*${summary}*`),
        context(`${paceNote(t, sent.queued, sent.perSecond)}${t.t('retry.outcomesArrive')}`),
        actions(
          ...resultsButton(batch, started, t.t('retry.checkResults')),
          ...(log ? [button(t.t('retry.openLog'), log)] : []),
        ),
      ],
      { replaceOriginal: true },
    );
  }, retried);
}

function outcomeReply(
  t: Translator,
  outcome: RetryOutcome,
  batch: string,
  after: Date,
  now: Date,
  timezone: string,
): Reply {
  const failed = outcome.failedAgain.reduce((sum, entry) => sum + entry.count, 0);
  const done = outcome.succeeded + failed;
  const when = t.when(outcome.retriedAt, now, timezone);
  const summary = t.t('retry.results.summary', {
    count: outcome.total,
    when,
    succeeded: t.number(outcome.succeeded),
    failed: t.number(failed),
    pending: t.number(outcome.running + outcome.waiting),
  });
  const blocks: Block[] = [
    header(t.t('retry.results.header')),
    text(
      t.t('retry.results.line', { count: outcome.total, when, done: t.number(done), total: t.number(outcome.total) }),
    ),
    fields([
      [t.t('retry.results.succeeded'), String(outcome.succeeded)],
      [
        t.t('retry.results.failed'),
        failed
          ? `${failed}: ${outcome.failedAgain.map((entry) => `\`${entry.code}\` ${entry.count}`).join(', ')}`
          : '0',
      ],
      [t.t('retry.results.running'), String(outcome.running)],
      [t.t('retry.results.waiting'), String(outcome.waiting)],
      ...(outcome.unsent ? ([[t.t('retry.results.unsent'), String(outcome.unsent)]] as Array<[string, string]>) : []),
      ...(outcome.gone ? ([[t.t('retry.results.gone'), String(outcome.gone)]] as Array<[string, string]>) : []),
    ]),
  ];
  const failures = failed ? logPageAction({ status: 'failed', since: wholeSecond(outcome.retriedAt) }) : undefined;
  blocks.push(
    actions(
      ...resultsButton(batch, after, t.t('retry.checkAgain')),
      ...(failures ? [button(t.t('retry.results.openFailures'), failures)] : []),
    ),
    context(t.t('retry.results.checked', { when: t.when(now, now, timezone, { seconds: true }) })),
  );
  return reply(summary, blocks, { replaceOriginal: true });
}

// ---------------------------------------------------------------- command and actions

export const retryCommand = defineCommand({
  name: 'retry',
  summary: 'retry.summary',
  usage: RETRY_USAGE,
  help: 'retry.help',
  role: 'admin',
  words: [
    word.text('transfer', 'retry.word.transfer', { autocomplete: 'transfer' }),
    word.text('status', 'retry.word.status', { choices: ['failed', 'held'] }),
  ],
  positional: z.array(z.string()).min(1, 'retry.args.what').max(1, 'retry.args.one'),
  flags: {
    since: filterFlags.since,
    until: filterFlags.until,
    connection: filterFlags.connection,
    system: filterFlags.system,
    entity: filterFlags.entity,
    code: filterFlags.code,
    // Text only: a bulk retry's status is its first word, and one transfer takes no filters.
    status: filterFlags.status,
    ref: { ...filterFlags.ref, textOnly: true },
  },
  effects: retryEffects,
  async run(ctx, { _: [word], ...flags }) {
    const given = Object.entries(flags).filter(([, value]) => value !== undefined);
    if (!isStatusWord(word!)) {
      if (given.length > 0) throw new UserError('bad_input', ctx.t.t('retry.err.optionsOne', { usage: RETRY_USAGE }));
      const found = await findTransfer(ctx, word!);
      if ('matches' in found) return found.matches;
      return retryOne(ctx, found.detail, wholeSecond(ctx.now));
    }
    const status = word!.toLowerCase();
    if (flags.status) throw new UserError('bad_input', ctx.t.t('retry.err.statusOnce', { usage: RETRY_USAGE }));
    if (status === 'succeeded') throw new UserError('bad_input', ctx.t.t('retry.err.succeeded'));
    if (status === 'started') throw new UserError('bad_input', ctx.t.t('retry.err.started'));
    const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
    const values = flagsToValues(ctx.t, flags, ctx.now, timezone, RETRY_USAGE);
    return askReply(ctx, { ...values, status: status as RetryStatus });
  },
});

const askAction = defineAction({
  id: 'retry.ask',
  role: 'admin',
  values: z.object({
    ...filterValuesShape,
    status: retryStatusSchema.default('failed'),
    /** The last N hours, as the Home's "Retry failed (last 24 h)" asks. */
    hours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
  }),
  run: (ctx, { hours, ...values }) =>
    askReply(ctx, hours ? { ...values, since: wholeSecond(new Date(ctx.now.getTime() - hours * 3_600_000)) } : values),
});

const runAction = defineAction({
  id: 'retry.run',
  role: 'admin',
  values: z.object({
    ...filterValuesShape,
    status: retryStatusSchema.default('failed'),
    until: filterValuesShape.until.unwrap(),
  }),
  effects: retryEffects,
  run: (ctx, values) => runBulk(ctx, values),
});

const oneAction = defineAction({
  id: 'retry.one',
  role: 'admin',
  values: z.object({ id: z.string().min(1), at: filterValuesShape.until.unwrap() }),
  effects: retryEffects,
  async run(ctx, { id, at }) {
    const detail = await ctx.ports.transfers.get(ctx.tenantId, id);
    if (!detail) throw new UserError('not_found', ctx.t.t('log.err.gone'));
    return retryOne(ctx, detail, at);
  },
});

const resultsAction = defineAction({
  id: 'retry.results',
  role: 'viewer',
  values: z.object({ b: z.string().regex(/^[0-9a-f]{12}$/), at: filterValuesShape.since.unwrap() }),
  async run(ctx, { b, at }) {
    const [outcome, settings] = await Promise.all([
      ctx.ports.transfers.retryOutcome(ctx.tenantId, b, at),
      ctx.ports.transfers.settings(ctx.tenantId),
    ]);
    if (!outcome) throw new UserError('not_found', ctx.t.t('retry.err.noRecord'));
    return outcomeReply(ctx.t, outcome, b, at, ctx.now, settings.timezone);
  },
});

const cancelAction = defineAction({
  id: 'retry.cancel',
  role: 'viewer',
  values: z.object({}),
  run: async (ctx) => notice(ctx.t.t('retry.cancelled'), { replaceOriginal: true }),
});

export const retryActions = [askAction, runAction, oneAction, resultsAction, cancelAction];
