import {
  encodeTime,
  entityArgSchema,
  filterToValues,
  filterValuesShape,
  isStatusWord,
  normalizeReference,
  statusSchema,
  logPageAction,
  STATUS_WORDS,
  type FilterValues,
} from '../../chat/log-link';
import { oneLine, prettyPayload, shortenText, splitText } from '../../chat/text';
import { parseTimeSpec } from '../time-spec';
import type { Translator } from '../../i18n';
import { z } from 'zod';
import type { TransferStatus } from '../../domain/closed-lists';
import { tryAction } from '../../chat/actions';
import { defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import type { LogSettings, TransferDetail, TransferFilter, TransferPage, TransferSummary } from '../ports/transfers';
import {
  actions,
  button,
  code,
  context,
  divider,
  fields,
  header,
  reply,
  text,
  type Block,
  type Button,
  type Reply,
} from '../../chat/reply';
import { hasRole } from '../roles';
import { flag, word } from '../options';
import { ENTITIES } from '../../domain/events';
import { holdCauseWords } from '../entity-word';

export const PAGE_SIZE = 10;
/** How much of a payload the detail view shows before "Show all". */
const PAYLOAD_PREVIEW_CHARS = 1500;
/** "Show all" splits a payload into code blocks of this size (fits Slack's 3000 and Discord's 2000 per text)… */
const PAYLOAD_PART_CHARS = 1800;
/** …and stops after this many: a chat reply is no place for a megabyte of JSON. */
const PAYLOAD_MAX_PARTS = 10;
/** The detail view lists at most this many stages (the latest); a transfer retried often has many. */
const MAX_STAGES = 30;

const LOG_USAGE =
  '/iex log [failed|held|succeeded|started] [#ORDER | TRANSFER_ID] [--entity order|product|stock] [--system NAME] [--connection ID] [--ref #1001] [--code ERROR_CODE] [--since 2h] [--until 2026-11-27] [--page N]';

const STATUS_MARK: Record<TransferStatus, string> = { failed: '❌', held: '⏸', succeeded: '✅', started: '⏳' };

// ---------------------------------------------------------------- filters

/** A filter checked against the tenant: its system and connection exist, its times are in order. */
export interface ResolvedFilter {
  values: FilterValues;
  filter: TransferFilter;
  systemName?: string;
  connectionLabel?: string;
}

export async function resolveFilter(ctx: CommandContext, values: FilterValues): Promise<ResolvedFilter> {
  const filter: TransferFilter = {
    ...(values.status ? { status: values.status } : {}),
    ...(values.entity ? { entity: values.entity } : {}),
    ...(values.ref ? { reference: values.ref } : {}),
    ...(values.code ? { errorCode: values.code } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
  };
  const resolved: ResolvedFilter = { values: { ...values }, filter };
  if (values.since && values.until && values.since >= values.until) {
    throw new UserError('bad_input', ctx.t.t('log.err.emptyRange'));
  }
  if (values.system) {
    const system = await ctx.ports.transfers.findSystem(ctx.tenantId, values.system);
    if ('known' in system) {
      const known =
        system.known.length > 0 ? system.known.map((name) => `\`${name}\``).join(', ') : ctx.t.t('log.err.noneYet');
      throw new UserError('not_found', ctx.t.t('log.err.noSystem', { system: values.system, known }));
    }
    filter.systemId = system.systemId;
    resolved.values.system = system.systemId;
    resolved.systemName = system.name;
  }
  if (values.conn) {
    const connection = await ctx.ports.connections.get(ctx.tenantId, values.conn);
    if (!connection) {
      const all = await ctx.ports.connections.list(ctx.tenantId);
      const known = all
        .map((candidate) => `\`${candidate.connectionId}\` (${candidate.label}, ${candidate.entity})`)
        .join(', ');
      throw new UserError(
        'not_found',
        ctx.t.t('log.err.noConnection', { connection: values.conn, known: known || ctx.t.t('log.err.noneYet') }),
      );
    }
    filter.connectionId = connection.connectionId;
    resolved.connectionLabel = `${connection.label} (${connection.entity})`;
  }
  return resolved;
}

/** "failed · orders · Shopify · since 27 Nov 13:05", or '' for no filter. */
export function describeFilter(
  t: Translator,
  resolved: ResolvedFilter,
  now: Date,
  timezone: string,
  { withStatus = true } = {},
): string {
  const { values } = resolved;
  const parts = [
    withStatus && values.status ? t.t('log.status', { status: values.status }) : undefined,
    values.entity ? t.t('log.entities', { entity: values.entity }) : undefined,
    resolved.systemName ? t.t('log.filter.system', { system: resolved.systemName }) : undefined,
    resolved.connectionLabel,
    values.ref ? t.t('log.filter.ref', { ref: values.ref }) : undefined,
    values.code ? t.t('log.filter.code', { code: values.code }) : undefined,
    values.since ? t.t('log.filter.since', { when: t.when(values.since, now, timezone) }) : undefined,
    values.until ? t.t('log.filter.until', { when: t.when(values.until, now, timezone) }) : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** "Only the latest transfers are kept (30 days, at most 10,000); the oldest still here is from 28 Oct." */
export function retentionNote(t: Translator, settings: LogSettings, now: Date): string {
  const bounds = [
    settings.retention?.days ? t.t('log.retention.days', { days: settings.retention.days }) : undefined,
    settings.retention?.maxTransfers
      ? t.t('log.retention.max', { max: t.number(settings.retention.maxTransfers) })
      : undefined,
  ].filter(Boolean);
  return t.t('log.retention', {
    hasBounds: bounds.length ? 'yes' : 'no',
    bounds: bounds.join(', '),
    hasOldest: settings.oldestKept ? 'yes' : 'no',
    oldest: settings.oldestKept ? t.when(settings.oldestKept, now, settings.timezone) : '',
  });
}

const timeSpec = (flag: 'since' | 'until') => {
  const message = flag === 'since' ? 'log.args.since' : 'log.args.until';
  return z.string({ message }).min(1, message);
};

/** The filter options `log` and `retry` share, as `--flag value`. */
export const filterFlags = {
  // The status is a word on Discord (`/iex log status:failed`); text takes `--status` too.
  status: flag.text('log.flag.status', { schema: statusSchema.optional(), textOnly: true }),
  entity: flag.text('log.flag.entity', { schema: entityArgSchema.optional(), choices: ENTITIES }),
  system: flag.text('log.flag.system', {
    schema: z.string({ message: 'log.args.system' }).optional(),
    autocomplete: 'system',
  }),
  connection: flag.text('log.flag.connection', {
    schema: z.string({ message: 'log.args.connection' }).optional(),
    autocomplete: 'connection',
  }),
  ref: flag.text('log.flag.ref', {
    schema: z.string({ message: 'log.args.ref' }).optional(),
  }),
  code: flag.text('log.flag.code', {
    schema: z.string({ message: 'log.args.code' }).optional(),
  }),
  since: flag.text('log.flag.since', { schema: timeSpec('since').optional() }),
  until: flag.text('log.flag.until', { schema: timeSpec('until').optional() }),
};

export type FilterFlags = { [K in keyof typeof filterFlags]?: z.output<(typeof filterFlags)[K]['schema']> };

/** Turns typed options into a filter: times read in the tenant's zone, the order number without '#'. */
export function flagsToValues(
  t: Translator,
  flags: FilterFlags,
  now: Date,
  timezone: string,
  usage: string,
): FilterValues {
  const time = (flag: 'since' | 'until') => {
    const spec = flags[flag];
    if (spec === undefined) return undefined;
    const at = parseTimeSpec(spec, now, timezone, flag);
    if (!at)
      throw new UserError('bad_input', t.t('log.err.notATime', { flag, spec, times: t.t('log.timeSpecs'), usage }));
    return at;
  };
  const since = time('since');
  const until = time('until');
  if (since && since > now)
    throw new UserError('bad_input', t.t('log.err.future', { when: t.when(since, now, timezone), usage }));
  const ref = flags.ref === undefined ? undefined : normalizeReference(flags.ref);
  if (ref === '') throw new UserError('bad_input', t.t('log.err.emptyRef', { usage }));
  return {
    ...(flags.status ? { status: flags.status } : {}),
    ...(flags.entity ? { entity: flags.entity } : {}),
    ...(flags.system ? { system: flags.system } : {}),
    ...(flags.connection ? { conn: flags.connection } : {}),
    ...(ref ? { ref } : {}),
    ...(flags.code ? { code: flags.code } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/**
 * The words after `log`: a status word, an order number (`#1001`), or one transfer id or order
 * number without '#' (looked up as either).
 */
export function readLogWords(
  t: Translator,
  words: readonly string[],
): { status?: TransferStatus; ref?: string; idOrRef?: string } {
  const read: { status?: TransferStatus; ref?: string; idOrRef?: string } = {};
  const oneRef = () => new UserError('bad_input', t.t('log.err.oneRef', { usage: LOG_USAGE }));
  for (const word of words) {
    if (isStatusWord(word)) {
      if (read.status)
        throw new UserError(
          'bad_input',
          t.t('log.err.twoStatuses', { first: read.status, second: word, usage: LOG_USAGE }),
        );
      read.status = word.toLowerCase() as TransferStatus;
    } else if (word.startsWith('#')) {
      if (read.ref || read.idOrRef) throw oneRef();
      read.ref = normalizeReference(word);
    } else {
      if (read.ref || read.idOrRef) throw oneRef();
      read.idOrRef = word;
    }
  }
  return read;
}

// ---------------------------------------------------------------- lines and details

export const transferName = (transfer: Pick<TransferSummary, 'reference' | 'transferId'>): string =>
  transfer.reference ?? transfer.transferId;

function outcomeText(t: Translator, transfer: TransferSummary): string {
  const mark = `${STATUS_MARK[transfer.status]} ${t.t('log.status', { status: transfer.status })}`;
  if (transfer.status === 'failed' && transfer.error)
    return `${mark} \`${transfer.error.code}\` ${oneLine(transfer.error.message, 80)}`;
  if (transfer.status === 'held' && transfer.hold)
    return `${mark}: ${oneLine(transfer.hold.message || transfer.hold.reason, 80)}`;
  return mark;
}

/** One line of the log: what, where, what happened, when. */
export function transferLine(t: Translator, transfer: TransferSummary, now: Date, timezone: string): string {
  // Ids and references may be long (up to 200 characters); ten lines must fit one chat text.
  const name = transfer.reference ? `*${oneLine(transfer.reference, 40)}*` : `\`${oneLine(transfer.transferId, 48)}\``;
  const attempts = transfer.attempts > 1 ? ` · ${t.t('log.line.attempt', { attempts: transfer.attempts })}` : '';
  const what = t.t('log.what', { entity: transfer.entity, operation: transfer.operation });
  return `${name} · ${transfer.connectionLabel} · ${what} · ${outcomeText(t, transfer)} · ${t.when(transfer.at, now, timezone)}${attempts}`;
}

const detailsButton = (transfer: TransferSummary, label: string): Button | undefined => {
  const action = tryAction('log.show', { id: transfer.transferId });
  return action ? button(oneLine(label, 40), action) : undefined;
};

function rowsOf(buttons: Array<Button | undefined>, perRow = 5): Block[] {
  const present = buttons.filter((candidate): candidate is Button => candidate !== undefined);
  const rows: Block[] = [];
  for (let at = 0; at < present.length; at += perRow) rows.push(actions(...present.slice(at, at + perRow)));
  return rows;
}

async function logPage(
  ctx: CommandContext,
  values: FilterValues,
  page: number,
  replaceOriginal = false,
): Promise<Reply> {
  const [settings, resolved] = await Promise.all([
    ctx.ports.transfers.settings(ctx.tenantId),
    resolveFilter(ctx, values),
  ]);
  const result = await ctx.ports.transfers.list(ctx.tenantId, resolved.filter, page, PAGE_SIZE);
  return logPageReply(ctx, resolved, result, settings, replaceOriginal);
}

function logPageReply(
  ctx: CommandContext,
  resolved: ResolvedFilter,
  result: TransferPage,
  settings: LogSettings,
  replaceOriginal: boolean,
): Reply {
  const { timezone } = settings;
  const { t } = ctx;
  const described = describeFilter(t, resolved, ctx.now, timezone);
  const status = resolved.values.status;
  const blocks: Block[] = [header(status ? t.t('log.header.status', { status }) : t.t('log.header'))];
  if (described) blocks.push(context(t.t('log.filterLine', { filter: described })));
  if (result.total === 0) {
    const nothing = described ? t.t('log.noMatch', { filter: described }) : t.t('log.noneYet');
    blocks.push(text(nothing), context(retentionNote(t, settings, ctx.now)));
    const all = described ? logPageAction({}, 1, { replace: true }) : undefined;
    if (all) blocks.push(actions(button(t.t('log.showAll'), all)));
    return reply(nothing, blocks, { replaceOriginal });
  }

  const pages = Math.ceil(result.total / result.pageSize);
  const first = (result.page - 1) * result.pageSize;
  blocks.push(
    text(
      result.items
        .map((transfer, index) => `${first + index + 1}. ${transferLine(t, transfer, ctx.now, timezone)}`)
        .join('\n'),
    ),
  );
  blocks.push(
    ...rowsOf(
      result.items.map((transfer, index) => detailsButton(transfer, `${first + index + 1}. ${transferName(transfer)}`)),
    ),
  );

  const navigation: Button[] = [];
  const previous = result.page > 1 ? logPageAction(resolved.values, result.page - 1, { replace: true }) : undefined;
  const next = result.page < pages ? logPageAction(resolved.values, result.page + 1, { replace: true }) : undefined;
  if (previous) navigation.push(button(t.t('log.previous'), previous));
  if (next) navigation.push(button(t.t('log.next'), next));
  if ((status === 'failed' || status === 'held') && hasRole(ctx.role, 'admin')) {
    const ask = tryAction('retry.ask', filterToValues({ ...resolved.values, status }));
    if (ask)
      navigation.push(button(t.t('log.retryThese', { count: t.number(result.total) }), ask, { style: 'primary' }));
  }
  if (navigation.length > 0) blocks.push(actions(...navigation));
  const pagingLost = (result.page > 1 && !previous) || (result.page < pages && !next);
  blocks.push(
    context(
      t.t('log.pageInfo', { page: result.page, pages, count: result.total }) +
        (pagingLost ? t.t('log.pagingLost') : ''),
    ),
    context(retentionNote(t, settings, ctx.now)),
  );
  return reply(
    t.t('log.fallback', {
      count: result.total,
      hasFilter: described ? 'yes' : 'no',
      filter: described,
      page: result.page,
      pages,
    }),
    blocks,
    { replaceOriginal },
  );
}

function payloadBlocks(t: Translator, detail: TransferDetail, side: 'source' | 'target'): Block[] {
  const payload = detail[side];
  const title = t.t(side === 'source' ? 'log.payload.source' : 'log.payload.target');
  if (!payload) return [text(t.t(side === 'target' ? 'log.payload.noneTarget' : 'log.payload.noneSource', { title }))];
  const pretty = prettyPayload(payload.payload);
  const preview = shortenText(pretty, PAYLOAD_PREVIEW_CHARS);
  const blocks: Block[] = [
    text(t.t('log.payload.title', { title, system: payload.system, format: payload.format })),
    code(preview.text),
  ];
  if (preview.shortened) {
    blocks.push(
      context(t.t('log.payload.shortened', { shown: t.number(preview.shownChars), total: t.number(pretty.length) })),
    );
  }
  return blocks;
}

function stageLines(t: Translator, detail: TransferDetail, now: Date, timezone: string): string {
  const shown = detail.stages.slice(-MAX_STAGES);
  const lines = shown.map((stage) => {
    const message = stage.message ? ` — ${oneLine(stage.message, 160)}` : '';
    return `${t.when(stage.at, now, timezone, { seconds: true })} · ${stage.name} · ${t.t('log.stageStatus', { status: stage.status })}${message}`;
  });
  const earlier = detail.stages.length - shown.length;
  return (earlier > 0 ? [t.t('log.stages.earlier', { count: earlier }), ...lines] : lines).join('\n');
}

/** Why a transfer cannot be retried now, or undefined when it can. */
export function retryRefusal(t: Translator, detail: TransferDetail, now: Date, timezone: string): string | undefined {
  const name = transferName(detail);
  if (detail.status === 'succeeded') {
    return t.t('log.refusal.succeeded', {
      name,
      hasWhen: detail.finishedAt ? 'yes' : 'no',
      when: detail.finishedAt ? t.when(detail.finishedAt, now, timezone) : '',
    });
  }
  if (detail.status === 'started') return t.t('log.refusal.started', { name, when: t.when(detail.at, now, timezone) });
  if (detail.blockedBy) return t.t('log.refusal.blocked', { name, blockedBy: holdCauseWords(t, detail.blockedBy) });
  return undefined;
}

/** One transfer through all its stages, with its data in both formats. */
export async function detailReply(ctx: CommandContext, detail: TransferDetail): Promise<Reply> {
  const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
  const { t } = ctx;
  const when = (at: Date | undefined) => (at ? t.when(at, ctx.now, timezone, { seconds: true }) : '—');
  const blocks: Block[] = [
    header(t.t('log.detail.header', { name: oneLine(transferName(detail), 140) })),
    fields([
      [t.t('log.detail.status'), `${STATUS_MARK[detail.status]} ${t.t('log.status', { status: detail.status })}`],
      [t.t('log.detail.connection'), detail.connectionLabel],
      [t.t('log.detail.what'), t.t('log.what', { entity: detail.entity, operation: detail.operation })],
      [t.t('log.detail.attempts'), String(detail.attempts)],
      [t.t('log.detail.started'), when(detail.startedAt)],
      [t.t(detail.finishedAt ? 'log.detail.finished' : 'log.detail.lastChange'), when(detail.finishedAt ?? detail.at)],
      [t.t('log.detail.transferId'), `\`${detail.transferId}\``],
      ...(detail.reference ? ([[t.t('log.detail.reference'), detail.reference]] as Array<[string, string]>) : []),
    ]),
  ];
  if (detail.error) {
    blocks.push(
      text(
        t.t('log.detail.error', { code: detail.error.code, message: detail.error.message }) +
          (detail.error.retryable ? '' : `\n${t.t('log.detail.notRetryable')}`),
      ),
    );
  }
  if (detail.status === 'held' && detail.hold)
    blocks.push(
      text(
        t.t('log.detail.held', {
          reason: t.t('log.holdReason', { reason: detail.hold.reason }),
          message: detail.hold.message,
        }),
      ),
    );
  blocks.push(
    divider(),
    text(t.t('log.detail.stages')),
    code(stageLines(t, detail, ctx.now, timezone) || t.t('log.detail.noStages')),
  );
  blocks.push(divider(), ...payloadBlocks(t, detail, 'source'), ...payloadBlocks(t, detail, 'target'));

  const buttons: Array<Button | undefined> = [];
  const refusal = retryRefusal(t, detail, ctx.now, timezone);
  if ((detail.status === 'failed' || detail.status === 'held') && hasRole(ctx.role, 'admin') && !refusal) {
    const retry = tryAction('retry.one', { id: detail.transferId, at: encodeTime(ctx.now) });
    if (retry) {
      buttons.push(
        button(t.t(detail.status === 'held' ? 'log.detail.release' : 'log.detail.retry'), retry, {
          style: 'primary',
          confirm: {
            title: t.t('log.detail.confirmTitle', { name: oneLine(transferName(detail), 60) }),
            text: t.t('log.detail.confirmText', { connection: detail.connectionLabel }),
            confirm: t.t('log.detail.retry'),
            deny: t.t('common.cancel'),
          },
        }),
      );
    }
  }
  for (const side of ['source', 'target'] as const) {
    const payload = detail[side];
    if (payload && shortenText(prettyPayload(payload.payload), PAYLOAD_PREVIEW_CHARS).shortened) {
      const all = tryAction('log.payload', { id: detail.transferId, side });
      if (all) buttons.push(button(t.t(side === 'source' ? 'log.detail.showSource' : 'log.detail.showTarget'), all));
    }
  }
  const back = logPageAction({});
  if (back) buttons.push(button(t.t('log.detail.back'), back));
  blocks.push(...rowsOf(buttons));
  if ((detail.status === 'failed' || detail.status === 'held') && refusal) blocks.push(context(refusal));
  else if ((detail.status === 'failed' || detail.status === 'held') && !hasRole(ctx.role, 'admin'))
    blocks.push(context(t.t('log.detail.adminCan')));
  return reply(
    t.t('log.detail.fallback', {
      name: transferName(detail),
      status: detail.status,
      connection: detail.connectionLabel,
    }),
    blocks,
  );
}

/**
 * A transfer by id, else by order number (with or without '#'). Several with that order number
 * give their page of the log; none is "not found" — also for another tenant's transfer.
 */
export async function findTransfer(
  ctx: CommandContext,
  idOrRef: string,
): Promise<{ detail: TransferDetail } | { matches: Reply }> {
  const direct = await ctx.ports.transfers.get(ctx.tenantId, idOrRef);
  if (direct) return { detail: direct };
  const ref = normalizeReference(idOrRef);
  const byRef = ref ? await ctx.ports.transfers.list(ctx.tenantId, { reference: ref }, 1, PAGE_SIZE) : undefined;
  const only = byRef?.total === 1 ? await ctx.ports.transfers.get(ctx.tenantId, byRef.items[0]!.transferId) : undefined;
  if (only) return { detail: only };
  if (byRef && byRef.total > 1) {
    const settings = await ctx.ports.transfers.settings(ctx.tenantId);
    return { matches: logPageReply(ctx, { values: { ref }, filter: { reference: ref } }, byRef, settings, false) };
  }
  const settings = await ctx.ports.transfers.settings(ctx.tenantId);
  throw new UserError(
    'not_found',
    ctx.t.t('log.err.notFound', { ref: idOrRef, retention: retentionNote(ctx.t, settings, ctx.now) }),
  );
}

// ---------------------------------------------------------------- command and actions

export const logCommand = defineCommand({
  name: 'log',
  summary: 'log.summary',
  usage: LOG_USAGE,
  help: 'log.help',
  role: 'viewer',
  words: [
    word.text('status', 'log.word.status', { choices: STATUS_WORDS }),
    word.text('transfer', 'log.word.transfer', { autocomplete: 'transfer' }),
  ],
  positional: z.array(z.string()).max(2, 'log.args.words'),
  flags: {
    ...filterFlags,
    page: flag.integer('log.flag.page', {
      min: 1,
      schema: z.coerce
        .number({ message: 'common.args.pageNumber' })
        .int('common.args.pageNumber')
        .min(1, 'log.args.pageStart')
        .optional(),
    }),
  },
  async run(ctx, { _: words, page, ...flags }) {
    const read = readLogWords(ctx.t, words);
    if (read.status && flags.status && read.status !== flags.status) {
      throw new UserError(
        'bad_input',
        ctx.t.t('log.err.statusTwice', { first: read.status, second: flags.status, usage: LOG_USAGE }),
      );
    }
    if ((read.ref || read.idOrRef) && flags.ref)
      throw new UserError('bad_input', ctx.t.t('log.err.refTwice', { usage: LOG_USAGE }));
    const filtered = read.status || Object.values(flags).some((value) => value !== undefined) || page !== undefined;
    const lookup = read.idOrRef ?? read.ref;
    if (lookup && !filtered) {
      // "I am missing an order": one order number alone opens that transfer when it is the only one.
      const found = await findTransfer(ctx, lookup);
      return 'detail' in found ? detailReply(ctx, found.detail) : found.matches;
    }
    const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
    const values = flagsToValues(
      ctx.t,
      { ...flags, status: read.status ?? flags.status, ref: read.ref ?? read.idOrRef ?? flags.ref },
      ctx.now,
      timezone,
      LOG_USAGE,
    );
    return logPage(ctx, values, page ?? 1);
  },
});

const pageAction = defineAction({
  id: 'log.page',
  role: 'viewer',
  values: z.object({
    page: z.coerce.number().int().min(1).default(1),
    r: z.literal('1').optional(),
    ...filterValuesShape,
  }),
  run: (ctx, { page, r, ...values }) => logPage(ctx, values, page, r === '1'),
});

const showAction = defineAction({
  id: 'log.show',
  role: 'viewer',
  values: z.object({ id: z.string().min(1) }),
  async run(ctx, { id }) {
    const detail = await ctx.ports.transfers.get(ctx.tenantId, id);
    if (!detail) throw new UserError('not_found', ctx.t.t('log.err.gone'));
    return detailReply(ctx, detail);
  },
});

const payloadAction = defineAction({
  id: 'log.payload',
  role: 'viewer',
  values: z.object({ id: z.string().min(1), side: z.enum(['source', 'target']) }),
  async run(ctx, { id, side }) {
    const detail = await ctx.ports.transfers.get(ctx.tenantId, id);
    const payload = detail?.[side];
    if (!detail || !payload) throw new UserError('not_found', ctx.t.t('log.err.dataGone'));
    const { t } = ctx;
    const pretty = prettyPayload(payload.payload);
    const { parts, shownChars } = splitText(pretty, PAYLOAD_PART_CHARS, PAYLOAD_MAX_PARTS);
    const what = t.t(side === 'source' ? 'log.payload.whatSource' : 'log.payload.whatTarget');
    const total = t.number(pretty.length);
    const note =
      shownChars < pretty.length
        ? t.t('log.payload.cut', { shown: t.number(shownChars), total, parts: PAYLOAD_MAX_PARTS })
        : t.t('log.payload.all', { total, parts: parts.length });
    const back = tryAction('log.show', { id });
    return reply(`${transferName(detail)}: ${what} (${payload.format})`, [
      header(`${oneLine(transferName(detail), 100)} — ${what}`),
      context(t.t('log.payload.format', { system: payload.system, format: payload.format })),
      ...parts.map((part) => code(part)),
      context(note),
      ...(back ? [actions(button(t.t('log.payload.back'), back))] : []),
    ]);
  },
});

export const logActions = [pageAction, showAction, payloadAction];
