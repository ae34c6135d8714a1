import {
  encodeTime,
  filterToValues,
  filterValuesShape,
  isStatusWord,
  type FilterValues,
  logPageAction,
} from '../../chat/log-link';
import { formatWhen } from '../../chat/format-time';
import { nextWholeSecond, wholeSecond } from '../time-spec';
import { tryAction } from '../../chat/actions';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { word } from '../options';
import { changed, defineAction, defineCommand, type CommandContext, type Outcome } from '../define';
import { UserError } from '../errors';
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
const retryStatusSchema = z.enum(['failed', 'held'], { message: 'only failed and held transfers are retried' });

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

const resultsButton = (batch: string, after: Date, label = 'Check results'): Button[] => {
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

const paceNote = (queued: number, perSecond: number) =>
  queued > perSecond
    ? `They go to the engine at up to ${perSecond} a second (about ${Math.ceil(queued / perSecond)} s). `
    : '';

// ---------------------------------------------------------------- one transfer

async function retryOne(ctx: CommandContext, detail: TransferDetail, stamp: Date): Promise<Outcome<Retried>> {
  const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
  const refusal = retryRefusal(detail, ctx.now, timezone);
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
    const name = transferName(detail);
    const summary = `${status === 'held' ? 'Released' : 'Retrying'} ${name} (${detail.connectionLabel}): the engine runs it again.`;
    const details = tryAction('log.show', { id: detail.transferId });
    return reply(summary, [
      text(summary),
      context('Its outcome arrives as an ordinary transfer event: the log and "Check result" show it.'),
      actions(...resultsButton(batch, started, 'Check result'), ...(details ? [button('Details', details)] : [])),
    ]);
  }, retried);
}

// ---------------------------------------------------------------- by filter

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** "12 failed order transfers of Shopify > e-conomic since 13:05" */
function selectionText(
  count: number,
  values: FilterValues & { status: RetryStatus },
  where: string,
  since: string,
): string {
  return `${count.toLocaleString('en-US')} ${values.status} ${values.entity ? `${values.entity} ` : ''}transfer${count === 1 ? '' : 's'}${where}${since}`;
}

/**
 * The confirmation of a bulk retry: how many match, which of them cannot run now, and a button
 * that retries exactly this filter up to this moment (the until in the button).
 */
async function askReply(ctx: CommandContext, values: FilterValues & { status: RetryStatus }): Promise<Reply> {
  const settings = await ctx.ports.transfers.settings(ctx.tenantId);
  const { timezone } = settings;
  // Up to and including this second: a Retry pressed right after a failure still finds it.
  const resolved = await resolveFilter(ctx, { ...values, until: values.until ?? nextWholeSecond(ctx.now) });
  const status = values.status;
  const plan = await ctx.ports.transfers.planRetry(ctx.tenantId, { ...resolved.filter, status }, 0);
  const where = resolved.connectionLabel
    ? ` of ${resolved.connectionLabel}`
    : resolved.systemName
      ? ` from or to ${resolved.systemName}`
      : plan.connectionLabels.length === 1
        ? ` of ${plan.connectionLabels[0]}`
        : plan.connectionLabels.length > 1
          ? ` of ${plan.connectionLabels.length} connections`
          : '';
  const since = values.since ? ` since ${formatWhen(values.since, ctx.now, timezone)}` : '';
  const narrowed = [
    values.ref ? `reference ${values.ref}` : undefined,
    values.code ? `error \`${values.code}\`` : undefined,
    values.until ? `until ${formatWhen(values.until, ctx.now, timezone)}` : undefined,
  ].filter(Boolean);
  const selection =
    selectionText(plan.matched, values, where, since) + (narrowed.length ? ` (${narrowed.join(', ')})` : '');
  const show = logPageAction(resolved.values);

  if (plan.matched === 0) {
    const described = describeFilter(
      { ...resolved, values: { ...resolved.values, until: values.until } },
      ctx.now,
      timezone,
      { withStatus: false },
    );
    const nothing = `No ${values.status} transfers match${described ? ` (${described})` : ''}: nothing to retry.`;
    return reply(nothing, [
      text(nothing),
      context(retentionNote(settings, ctx.now)),
      ...(show ? [actions(button('Open the log', show))] : []),
    ]);
  }
  const blocked = plan.blocked.reduce((sum, entry) => sum + entry.count, 0);
  const runnable = plan.matched - blocked;
  const blockedLines = plan.blocked.map((entry) => `• ${plural(entry.count, 'transfer')}: ${entry.reason}`).join('\n');
  if (runnable === 0) {
    const none = `${selection} ${plan.matched === 1 ? 'matches' : 'match'}, but none can run now:`;
    return reply(`${none} ${plan.blocked.map((entry) => entry.reason).join(' ')}`, [
      text(`${none}\n${blockedLines}`),
      context('Switch that back on first; switching a connection on releases what it held.'),
      ...(show ? [actions(button('Show them', show))] : []),
    ]);
  }

  const sending = Math.min(runnable, MAX_BULK_RETRY);
  const question =
    blocked > 0 || sending < plan.matched
      ? `${selection} ${plan.matched === 1 ? 'matches' : 'match'}. Retry ${sending} of them?`
      : `Retry ${selection}?`;
  const blocks: Block[] = [header(`Retry ${values.status} transfers`), text(`*${question}*`)];
  if (blocked > 0) blocks.push(text(`Not retried, because they cannot run now:\n${blockedLines}`));
  if (runnable > MAX_BULK_RETRY)
    blocks.push(context(`At most ${MAX_BULK_RETRY} at once, the oldest first; ask again for the rest.`));
  blocks.push(
    context(
      `${status === 'held' ? 'Releasing a held transfer runs it now. ' : ''}Each goes to the engine as a retry command; the outcomes arrive as ordinary transfers in the log.`,
    ),
  );
  const { status: _status, ...rest } = resolved.values;
  // `failed` is the default, which keeps the button short enough for the 100 characters.
  const run = tryAction('retry.run', { ...filterToValues(rest), ...(status === 'held' ? { status } : {}) });
  if (!run)
    throw new UserError(
      'bad_input',
      'This filter is too long for a confirmation button; use fewer options or a shorter --code.',
    );
  const buttons: Button[] = [button(`Retry ${sending}`, run, { style: 'primary' }), button('Cancel', 'retry.cancel')];
  if (show) buttons.push(button('Show them', show));
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
  const described = describeFilter(resolved, ctx.now, timezone);
  if (plan.targets.length === 0) {
    return notice(`Nothing left to retry (${described}): they have been retried or changed since you asked.`, {
      replaceOriginal: true,
    });
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
      const already = `These ${sent.queued.toLocaleString('en-US')} retries were queued already, ${formatWhen(sent.alreadyQueuedAt, ctx.now, timezone, { seconds: true })}: ${sent.sent.toLocaleString('en-US')} of ${sent.queued.toLocaleString('en-US')} sent to the engine so far. Nothing was sent again.`;
      return reply(
        already,
        [text(already), actions(...resultsButton(batch, started), ...(log ? [button('Open the log', log)] : []))],
        { replaceOriginal: true },
      );
    }
    const summary = `Queued ${sent.queued.toLocaleString('en-US')} ${sent.queued === 1 ? 'retry' : 'retries'} (${described}).`;
    return reply(
      summary,
      [
        text(`*${summary}*`),
        context(
          `${paceNote(sent.queued, sent.perSecond)}Their outcomes arrive as ordinary transfers: "Check results" counts how they went.`,
        ),
        actions(...resultsButton(batch, started), ...(log ? [button('Open the log', log)] : [])),
      ],
      { replaceOriginal: true },
    );
  }, retried);
}

function outcomeReply(outcome: RetryOutcome, batch: string, after: Date, now: Date, timezone: string): Reply {
  const failed = outcome.failedAgain.reduce((sum, entry) => sum + entry.count, 0);
  const done = outcome.succeeded + failed;
  const summary = `Retry of ${plural(outcome.total, 'transfer')} (${formatWhen(outcome.retriedAt, now, timezone)}): ${outcome.succeeded} succeeded, ${failed} failed again, ${outcome.running + outcome.waiting} pending.`;
  const blocks: Block[] = [
    header('Retry results'),
    text(
      `Retry of ${plural(outcome.total, 'transfer')}, sent ${formatWhen(outcome.retriedAt, now, timezone)} · ${done} of ${outcome.total} done`,
    ),
    fields([
      ['✅ Succeeded', String(outcome.succeeded)],
      [
        '❌ Failed again',
        failed
          ? `${failed}: ${outcome.failedAgain.map((entry) => `\`${entry.code}\` ${entry.count}`).join(', ')}`
          : '0',
      ],
      ['⏳ Running', String(outcome.running)],
      ['Waiting for the engine', String(outcome.waiting)],
      ...(outcome.unsent ? ([['Still to send to the engine', String(outcome.unsent)]] as Array<[string, string]>) : []),
      ...(outcome.gone ? ([['No longer kept', String(outcome.gone)]] as Array<[string, string]>) : []),
    ]),
  ];
  const failures = failed ? logPageAction({ status: 'failed', since: wholeSecond(outcome.retriedAt) }) : undefined;
  blocks.push(
    actions(
      ...resultsButton(batch, after, 'Check again'),
      ...(failures ? [button('Open the failures', failures)] : []),
    ),
    context(`Checked ${formatWhen(now, now, timezone, { seconds: true })}.`),
  );
  return reply(summary, blocks, { replaceOriginal: true });
}

// ---------------------------------------------------------------- command and actions

export const retryCommand = defineCommand({
  name: 'retry',
  summary: 'Retry one failed or held transfer, or all that match a filter (after a confirmation)',
  usage: RETRY_USAGE,
  help: [
    'Examples:',
    '`/iex retry TRANSFER_ID` or `/iex retry #1001` — retry one transfer',
    '`/iex retry failed --since 2h` — asks "Retry 12 failed transfers … since 13:05?" first',
    '`/iex retry failed --since 2h --connection orders --code economic.vat_zone_unknown` — after fixing a VAT zone',
    '`/iex retry held --system shopify` — release what was held while something was off',
    `The retries go to the engine as commands, paced; "Check results" shows how they went. Succeeded and running transfers are not retried, nor those whose connection, module or integration is still off. At most ${MAX_BULK_RETRY} at once.`,
  ].join('\n'),
  role: 'admin',
  words: [
    word.text('transfer', 'Retry one transfer: its id or order number', { autocomplete: 'transfer' }),
    word.text('status', 'Or retry all failed or held transfers that match the filters (asks first)', {
      choices: ['failed', 'held'],
    }),
  ],
  positional: z.array(z.string()).min(1, 'say what to retry').max(1, 'give one transfer id or one status'),
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
      if (given.length > 0)
        throw new UserError(
          'bad_input',
          `Options filter a bulk retry: \`/iex retry failed --since 2h\`. Usage: ${RETRY_USAGE}`,
        );
      const found = await findTransfer(ctx, word!);
      if ('matches' in found) return found.matches;
      return retryOne(ctx, found.detail, wholeSecond(ctx.now));
    }
    const status = word!.toLowerCase();
    if (flags.status)
      throw new UserError('bad_input', `Give the status once, as the first word. Usage: ${RETRY_USAGE}`);
    if (status === 'succeeded')
      throw new UserError(
        'bad_input',
        'Succeeded transfers are done; retrying them would transfer them twice. Retry `failed` or `held` ones.',
      );
    if (status === 'started')
      throw new UserError(
        'bad_input',
        'Started transfers are still running; retrying them could transfer them twice. Retry them if they fail.',
      );
    const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
    const values = flagsToValues(flags, ctx.now, timezone, RETRY_USAGE);
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
    if (!detail)
      throw new UserError(
        'not_found',
        'That transfer is no longer kept (only the latest transfers are). Run `/iex log` again.',
      );
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
    if (!outcome) throw new UserError('not_found', 'There is no record of that retry in this integration.');
    return outcomeReply(outcome, b, at, ctx.now, settings.timezone);
  },
});

const cancelAction = defineAction({
  id: 'retry.cancel',
  role: 'viewer',
  values: z.object({}),
  run: async () => notice('Cancelled: nothing was retried.', { replaceOriginal: true }),
});

export const retryActions = [askAction, runAction, oneAction, resultsAction, cancelAction];
