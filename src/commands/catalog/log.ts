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
import { formatWhen } from '../../chat/format-time';
import { oneLine, prettyPayload, shortenText, splitText } from '../../chat/text';
import { parseTimeSpec, TIME_SPEC_HELP } from '../time-spec';
import { z } from 'zod';
import type { TransferStatus } from '../../domain/closed-lists';
import { encodeAction, tryAction } from '../../chat/actions';
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
const ENTITY_PLURAL = { order: 'orders', product: 'products', stock: 'stock' } as const;

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
    throw new UserError('bad_input', 'The time range is empty: --since must be before --until.');
  }
  if (values.system) {
    const system = await ctx.ports.transfers.findSystem(ctx.tenantId, values.system);
    if ('known' in system) {
      const known = system.known.length > 0 ? system.known.map((name) => `\`${name}\``).join(', ') : 'none yet';
      throw new UserError(
        'not_found',
        `There is no system "${values.system}" in this integration. Its systems: ${known}.`,
      );
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
        `There is no connection "${values.conn}". Its connections: ${known || 'none yet'}.`,
      );
    }
    filter.connectionId = connection.connectionId;
    resolved.connectionLabel = `${connection.label} (${connection.entity})`;
  }
  return resolved;
}

/** "failed · orders · Shopify · since 27 Nov 13:05", or '' for no filter. */
export function describeFilter(
  resolved: ResolvedFilter,
  now: Date,
  timezone: string,
  { withStatus = true } = {},
): string {
  const { values } = resolved;
  const parts = [
    withStatus ? values.status : undefined,
    values.entity ? ENTITY_PLURAL[values.entity] : undefined,
    resolved.systemName ? `from or to ${resolved.systemName}` : undefined,
    resolved.connectionLabel,
    values.ref ? `reference ${values.ref}` : undefined,
    values.code ? `error \`${values.code}\`` : undefined,
    values.since ? `since ${formatWhen(values.since, now, timezone)}` : undefined,
    values.until ? `until ${formatWhen(values.until, now, timezone)}` : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** "Only the latest transfers are kept (30 days, at most 10 000); the oldest still here is from 28 Oct." */
export function retentionNote(settings: LogSettings, now: Date): string {
  const bounds = [
    settings.retention?.days ? `${settings.retention.days} days` : undefined,
    settings.retention?.maxTransfers ? `at most ${settings.retention.maxTransfers.toLocaleString('en-US')}` : undefined,
  ].filter(Boolean);
  const oldest = settings.oldestKept
    ? `; the oldest still here is from ${formatWhen(settings.oldestKept, now, settings.timezone)}`
    : '';
  return `Only the latest transfers are kept${bounds.length ? ` (${bounds.join(', ')})` : ''}${oldest}.`;
}

const timeSpec = (flag: string) =>
  z.string({ message: `needs a time, e.g. --${flag} 2h` }).min(1, `needs a time, e.g. --${flag} 2h`);

const TIMES = '30m, 2h, 3d, 13:05 or 2026-11-27';

/** The filter options `log` and `retry` share, as `--flag value`. */
export const filterFlags = {
  // The status is a word on Discord (`/iex log status:failed`); text takes `--status` too.
  status: flag.text('Only transfers with this status', { schema: statusSchema.optional(), textOnly: true }),
  entity: flag.text('Only orders, products or stock', { schema: entityArgSchema.optional(), choices: ENTITIES }),
  system: flag.text('Only transfers from or to this system', {
    schema: z.string({ message: 'needs a system, e.g. --system shopify' }).optional(),
    autocomplete: 'system',
  }),
  connection: flag.text('Only this connection', {
    schema: z.string({ message: 'needs a connection id, e.g. --connection orders' }).optional(),
    autocomplete: 'connection',
  }),
  ref: flag.text('An order number, e.g. 1001', {
    schema: z.string({ message: 'needs an order number, e.g. --ref #1001' }).optional(),
  }),
  code: flag.text('An error code, e.g. economic.vat_zone_unknown', {
    schema: z.string({ message: 'needs an error code, e.g. --code economic.vat_zone_unknown' }).optional(),
  }),
  since: flag.text(`From this time: ${TIMES}`, { schema: timeSpec('since').optional() }),
  until: flag.text(`Until this time: ${TIMES}`, { schema: timeSpec('until').optional() }),
};

export type FilterFlags = { [K in keyof typeof filterFlags]?: z.output<(typeof filterFlags)[K]['schema']> };

/** Turns typed options into a filter: times read in the tenant's zone, the order number without '#'. */
export function flagsToValues(flags: FilterFlags, now: Date, timezone: string, usage: string): FilterValues {
  const time = (flag: 'since' | 'until') => {
    const spec = flags[flag];
    if (spec === undefined) return undefined;
    const at = parseTimeSpec(spec, now, timezone, flag);
    if (!at)
      throw new UserError('bad_input', `--${flag}: "${spec}" is not a time; use ${TIME_SPEC_HELP}. Usage: ${usage}`);
    return at;
  };
  const since = time('since');
  const until = time('until');
  if (since && since > now)
    throw new UserError('bad_input', `--since: ${formatWhen(since, now, timezone)} is in the future. Usage: ${usage}`);
  const ref = flags.ref === undefined ? undefined : normalizeReference(flags.ref);
  if (ref === '') throw new UserError('bad_input', `--ref: give an order number, e.g. --ref #1001. Usage: ${usage}`);
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
export function readLogWords(words: readonly string[]): { status?: TransferStatus; ref?: string; idOrRef?: string } {
  const read: { status?: TransferStatus; ref?: string; idOrRef?: string } = {};
  for (const word of words) {
    if (isStatusWord(word)) {
      if (read.status)
        throw new UserError('bad_input', `Give one status, not "${read.status}" and "${word}". Usage: ${LOG_USAGE}`);
      read.status = word.toLowerCase() as TransferStatus;
    } else if (word.startsWith('#')) {
      if (read.ref || read.idOrRef)
        throw new UserError('bad_input', `Give one order number or transfer id. Usage: ${LOG_USAGE}`);
      read.ref = normalizeReference(word);
    } else {
      if (read.ref || read.idOrRef)
        throw new UserError('bad_input', `Give one order number or transfer id. Usage: ${LOG_USAGE}`);
      read.idOrRef = word;
    }
  }
  return read;
}

// ---------------------------------------------------------------- lines and details

export const transferName = (transfer: Pick<TransferSummary, 'reference' | 'transferId'>): string =>
  transfer.reference ?? transfer.transferId;

function outcomeText(transfer: TransferSummary): string {
  const mark = `${STATUS_MARK[transfer.status]} ${transfer.status}`;
  if (transfer.status === 'failed' && transfer.error)
    return `${mark} \`${transfer.error.code}\` ${oneLine(transfer.error.message, 80)}`;
  if (transfer.status === 'held' && transfer.hold)
    return `${mark}: ${oneLine(transfer.hold.message || transfer.hold.reason, 80)}`;
  return mark;
}

/** One line of the log: what, where, what happened, when. */
export function transferLine(transfer: TransferSummary, now: Date, timezone: string): string {
  // Ids and references may be long (up to 200 characters); ten lines must fit one chat text.
  const name = transfer.reference ? `*${oneLine(transfer.reference, 40)}*` : `\`${oneLine(transfer.transferId, 48)}\``;
  const attempts = transfer.attempts > 1 ? ` · attempt ${transfer.attempts}` : '';
  return `${name} · ${transfer.connectionLabel} · ${transfer.entity} ${transfer.operation} · ${outcomeText(transfer)} · ${formatWhen(transfer.at, now, timezone)}${attempts}`;
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
  const described = describeFilter(resolved, ctx.now, timezone);
  const blocks: Block[] = [header(resolved.values.status ? `Log — ${resolved.values.status} transfers` : 'Log')];
  if (described) blocks.push(context(`Filter: ${described}`));
  if (result.total === 0) {
    const nothing = described ? `No transfers match (${described}).` : 'No transfers yet.';
    blocks.push(text(nothing), context(retentionNote(settings, ctx.now)));
    const all = described ? logPageAction({}, 1, { replace: true }) : undefined;
    if (all) blocks.push(actions(button('Show all transfers', all)));
    return reply(nothing, blocks, { replaceOriginal });
  }

  const pages = Math.ceil(result.total / result.pageSize);
  const first = (result.page - 1) * result.pageSize;
  blocks.push(
    text(
      result.items
        .map((transfer, index) => `${first + index + 1}. ${transferLine(transfer, ctx.now, timezone)}`)
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
  if (previous) navigation.push(button('◀ Previous', previous));
  if (next) navigation.push(button('Next ▶', next));
  const status = resolved.values.status;
  if ((status === 'failed' || status === 'held') && hasRole(ctx.role, 'admin')) {
    const ask = tryAction('retry.ask', filterToValues({ ...resolved.values, status }));
    if (ask) navigation.push(button(`Retry these ${result.total}`, ask, { style: 'primary' }));
  }
  if (navigation.length > 0) blocks.push(actions(...navigation));
  const pagingLost = (result.page > 1 && !previous) || (result.page < pages && !next);
  blocks.push(
    context(
      `Page ${result.page} of ${pages} · ${result.total} transfer${result.total === 1 ? '' : 's'} · newest first · Details shows every stage and the data` +
        (pagingLost ? ' · this filter is too long for page buttons: narrow it or use --page N' : ''),
    ),
    context(retentionNote(settings, ctx.now)),
  );
  return reply(
    `Log: ${result.total} transfers${described ? ` (${described})` : ''}, page ${result.page} of ${pages}`,
    blocks,
    { replaceOriginal },
  );
}

function payloadBlocks(detail: TransferDetail, side: 'source' | 'target'): Block[] {
  const payload = detail[side];
  const title = side === 'source' ? '*Original data*' : '*In the receiving system’s format*';
  if (!payload)
    return [text(`${title}: none recorded${side === 'target' ? ' (the transfer did not get that far)' : ''}.`)];
  const pretty = prettyPayload(payload.payload);
  const preview = shortenText(pretty, PAYLOAD_PREVIEW_CHARS);
  const blocks: Block[] = [text(`${title} — ${payload.system}, format \`${payload.format}\``), code(preview.text)];
  if (preview.shortened) {
    blocks.push(
      context(
        `Shortened: the first ${preview.shownChars.toLocaleString('en-US')} of ${pretty.length.toLocaleString('en-US')} characters. "Show all" gives the rest.`,
      ),
    );
  }
  return blocks;
}

function stageLines(detail: TransferDetail, now: Date, timezone: string): string {
  const shown = detail.stages.slice(-MAX_STAGES);
  const lines = shown.map((stage) => {
    const message = stage.message ? ` — ${oneLine(stage.message, 160)}` : '';
    return `${formatWhen(stage.at, now, timezone, { seconds: true })} · ${stage.name} · ${stage.status}${message}`;
  });
  const earlier = detail.stages.length - shown.length;
  return (earlier > 0 ? [`(${earlier} earlier stages not shown)`, ...lines] : lines).join('\n');
}

/** Why a transfer cannot be retried now, or undefined when it can. */
export function retryRefusal(detail: TransferDetail, now: Date, timezone: string): string | undefined {
  const name = transferName(detail);
  if (detail.status === 'succeeded') {
    const when = detail.finishedAt ? ` at ${formatWhen(detail.finishedAt, now, timezone)}` : '';
    return `${name} succeeded${when}; retrying it would transfer it twice. Only failed and held transfers are retried.`;
  }
  if (detail.status === 'started') {
    return `${name} is still running (last change ${formatWhen(detail.at, now, timezone)}); retrying now could transfer it twice. Retry it if it fails.`;
  }
  if (detail.blockedBy)
    return `${name} cannot run now: ${detail.blockedBy} Switch that back on first; that releases what it held.`;
  return undefined;
}

/** One transfer through all its stages, with its data in both formats. */
export async function detailReply(ctx: CommandContext, detail: TransferDetail): Promise<Reply> {
  const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
  const when = (at: Date | undefined) => (at ? formatWhen(at, ctx.now, timezone, { seconds: true }) : '—');
  const blocks: Block[] = [
    header(`Transfer ${oneLine(transferName(detail), 140)}`),
    fields([
      ['Status', `${STATUS_MARK[detail.status]} ${detail.status}`],
      ['Connection', detail.connectionLabel],
      ['What', `${detail.entity} ${detail.operation}`],
      ['Attempts', String(detail.attempts)],
      ['Started', when(detail.startedAt)],
      [detail.finishedAt ? 'Finished' : 'Last change', when(detail.finishedAt ?? detail.at)],
      ['Transfer id', `\`${detail.transferId}\``],
      ...(detail.reference ? ([['Order / reference', detail.reference]] as Array<[string, string]>) : []),
    ]),
  ];
  if (detail.error) {
    blocks.push(
      text(
        `*Error* \`${detail.error.code}\`: ${detail.error.message}${detail.error.retryable ? '' : '\n_The engine marked this error as not retryable: fix its cause before retrying._'}`,
      ),
    );
  }
  if (detail.status === 'held' && detail.hold)
    blocks.push(text(`*Held* (${detail.hold.reason.replace(/_/g, ' ')}): ${detail.hold.message}`));
  blocks.push(divider(), text('*Stages*'), code(stageLines(detail, ctx.now, timezone) || '(none recorded)'));
  blocks.push(divider(), ...payloadBlocks(detail, 'source'), ...payloadBlocks(detail, 'target'));

  const buttons: Array<Button | undefined> = [];
  const refusal = retryRefusal(detail, ctx.now, timezone);
  if ((detail.status === 'failed' || detail.status === 'held') && hasRole(ctx.role, 'admin') && !refusal) {
    const retry = tryAction('retry.one', { id: detail.transferId, at: encodeTime(ctx.now) });
    if (retry) {
      buttons.push(
        button(detail.status === 'held' ? 'Release (retry)' : 'Retry', retry, {
          style: 'primary',
          confirm: {
            title: `Retry ${oneLine(transferName(detail), 60)}?`,
            text: `The engine runs the transfer on ${detail.connectionLabel} again; its outcome appears in the log.`,
            confirm: 'Retry',
            deny: 'Cancel',
          },
        }),
      );
    }
  }
  for (const side of ['source', 'target'] as const) {
    const payload = detail[side];
    if (payload && shortenText(prettyPayload(payload.payload), PAYLOAD_PREVIEW_CHARS).shortened) {
      const all = tryAction('log.payload', { id: detail.transferId, side });
      if (all) buttons.push(button(side === 'source' ? 'Show all original data' : 'Show all receiver data', all));
    }
  }
  const back = logPageAction({});
  if (back) buttons.push(button('Back to the log', back));
  blocks.push(...rowsOf(buttons));
  if ((detail.status === 'failed' || detail.status === 'held') && refusal) blocks.push(context(refusal));
  else if ((detail.status === 'failed' || detail.status === 'held') && !hasRole(ctx.role, 'admin'))
    blocks.push(context('An admin can retry this transfer.'));
  return reply(`Transfer ${transferName(detail)}: ${detail.status} (${detail.connectionLabel})`, blocks);
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
    `No transfer has the id or order number "${idOrRef}". ${retentionNote(settings, ctx.now)}`,
  );
}

// ---------------------------------------------------------------- command and actions

export const logCommand = defineCommand({
  name: 'log',
  summary: 'The latest transfers with filters ("I am missing an order"); one transfer through all its stages',
  usage: LOG_USAGE,
  help: [
    'Examples:',
    '`/iex log` — the latest transfers, newest first, 10 a page',
    '`/iex log failed --since 2h` — what failed in the last two hours',
    '`/iex log held` — what waits for a connection, module or the integration to be switched back on',
    '`/iex log #1001` or `/iex log --ref 1001` — find an order by its number',
    '`/iex log failed --entity order --system e-conomic --since 2026-11-27`',
    '`/iex log TRANSFER_ID` — one transfer: every stage, the error, the original data and the data in the receiving format',
    `Times: ${TIME_SPEC_HELP}, in the integration's time zone; they filter on when a transfer last changed. Only the latest transfers are kept.`,
  ].join('\n'),
  role: 'viewer',
  words: [
    word.text('status', 'Only transfers with this status', { choices: STATUS_WORDS }),
    word.text('transfer', 'One transfer through all its stages: its id or order number', { autocomplete: 'transfer' }),
  ],
  positional: z.array(z.string()).max(2, 'give at most a status and an order number or transfer id'),
  flags: {
    ...filterFlags,
    page: flag.integer('Page of the log', {
      min: 1,
      schema: z.coerce
        .number({ message: 'must be a page number' })
        .int('must be a page number')
        .min(1, 'pages start at 1')
        .optional(),
    }),
  },
  async run(ctx, { _: words, page, ...flags }) {
    const read = readLogWords(words);
    if (read.status && flags.status && read.status !== flags.status) {
      throw new UserError(
        'bad_input',
        `Give one status, not "${read.status}" and --status ${flags.status}. Usage: ${LOG_USAGE}`,
      );
    }
    if ((read.ref || read.idOrRef) && flags.ref)
      throw new UserError('bad_input', `Give the order number once. Usage: ${LOG_USAGE}`);
    const filtered = read.status || Object.values(flags).some((value) => value !== undefined) || page !== undefined;
    const lookup = read.idOrRef ?? read.ref;
    if (lookup && !filtered) {
      // "I am missing an order": one order number alone opens that transfer when it is the only one.
      const found = await findTransfer(ctx, lookup);
      return 'detail' in found ? detailReply(ctx, found.detail) : found.matches;
    }
    const { timezone } = await ctx.ports.transfers.settings(ctx.tenantId);
    const values = flagsToValues(
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
    if (!detail)
      throw new UserError(
        'not_found',
        'That transfer is no longer kept (only the latest transfers are). Run `/iex log` again.',
      );
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
    if (!detail || !payload)
      throw new UserError('not_found', 'That transfer or its data is no longer kept. Run `/iex log` again.');
    const pretty = prettyPayload(payload.payload);
    const { parts, shownChars } = splitText(pretty, PAYLOAD_PART_CHARS, PAYLOAD_MAX_PARTS);
    const what = side === 'source' ? 'original data' : 'data in the receiving format';
    const note =
      shownChars < pretty.length
        ? `Cut after character ${shownChars.toLocaleString('en-US')} of ${pretty.length.toLocaleString('en-US')}: chat shows at most ${PAYLOAD_MAX_PARTS} parts. The engine's own log has the rest.`
        : `All ${pretty.length.toLocaleString('en-US')} characters, in ${parts.length} part${parts.length === 1 ? '' : 's'}.`;
    const back = tryAction('log.show', { id });
    return reply(`${transferName(detail)}: ${what} (${payload.format})`, [
      header(`${oneLine(transferName(detail), 100)} — ${what}`),
      context(`${payload.system}, format \`${payload.format}\``),
      ...parts.map((part) => code(part)),
      context(note),
      ...(back ? [actions(button('Back to the transfer', back))] : []),
    ]);
  },
});

export const logActions = [pageAction, showAction, payloadAction];
