// `npm run dlq -- list|show|replay|purge`: the dead-letter topic, for operators.
import { parseTimeSpec } from '../src/commands/time-spec';
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadToolConfig } from '../src/config/local-services';
import { createLogger } from '../src/config/logger';
import { createKafka, kafkaSecurity } from '../src/kafka/client';
import {
  createDeadLetters,
  DeadLetterError,
  parseDeadLetterId,
  type DeadLetter,
  type DeadLetters,
  type ReplayOutcome,
} from '../src/kafka/dead-letters';
import { createNaming } from '../src/kafka/topics';
import { connectStore } from '../src/store';
import { createReplayStore } from '../src/store/dead-letter-replays';

const SETTINGS = `Reads KAFKA_BROKERS, MONGO_URL and KAFKA_NAMESPACE (the topic prefix) like the service
(the local broker and store when unset).`;

const HELP: Record<string, string> = {
  main: `Usage: npm run dlq -- <command> [options]

The dead-letter topic (iex.dlq.v1): messages a consumer gave up on, with why and where they came from.
A dead letter's ID is its place on the topic, <partition>:<offset> (e.g. 0:17).

Commands:
  list     the dead letters: id, age, original topic, tenant, consumer group, replay, reason
  show     one dead letter's headers and bytes
  replay   put dead letters back on their original topic, each once
  purge    remove the dead letters older than a date

npm run dlq -- <command> --help tells more. ${SETTINGS}
Exit status: 0 done, 1 refused or failed, 2 bad arguments, 78 bad settings.`,
  list: `Usage: npm run dlq -- list [--group G] [--tenant T] [--since 1h] [--limit N]

One line per dead letter, oldest first: ID, AGE, TOPIC (where it was read), TENANT, GROUP (the
consumer group that gave up on it), REPLAY (when it was replayed) and REASON.

Options:
  --group <g>     only this consumer group's (e.g. iex.transfer-recorder; the namespace prefix is optional)
  --tenant <t>    only this tenant's (from the message's key, else its tenantId)
  --since <when>  only those dead-lettered since: 30m, 2h, 3d, 1w, 2026-11-27, 2026-11-27T13:05 (UTC)
  --limit <n>     at most the newest n (default 100)`,
  show: `Usage: npm run dlq -- show ID

A dead letter's details, every header, and its bytes: pretty JSON when they are JSON, else the text
with escapes (\\n, \\xNN for bytes that are not UTF-8).`,
  replay: `Usage: npm run dlq -- replay ID [--resume]
       npm run dlq -- replay --all [--group G] [--tenant T] [--since WHEN]

Produces a dead letter again onto its original topic, with its original key and headers and an
x-iex-replay-of: ID header. Each dead letter is replayed once: the replay is recorded in MongoDB
before it is produced, and a second replay of it is refused (exit status 1), from any machine.
If a replay was interrupted between that record and the broker's acknowledgement, the dead letter
is refused as "unconfirmed"; check the original topic and finish it with --resume (the consumers
ignore an event id they have, so a copy that did arrive changes nothing). A replay also tells the
tenant's dead-letter alert, which is resolved once all its dead letters are replayed.

Options:
  --all           every dead letter that matches and was not replayed yet, oldest first
  --group, --tenant, --since   as for list (with --all)
  --resume        finish a replay that was begun and not confirmed`,
  purge: `Usage: npm run dlq -- purge --before DATE

Removes the dead letters dead-lettered before DATE (7d, 2026-11-27, 2026-11-27T13:05 UTC, or an ISO
time). A Kafka topic is append-only: this deletes, in each partition, the records below the first
one dead-lettered at or after DATE (Kafka's DeleteRecords), and the replay records of those.
Options:
  --before <date> required`,
};

class UsageError extends Error {}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

function age(at: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

function parseWhen(flag: string, value: string, now: Date): Date {
  const at =
    parseTimeSpec(value, now, 'UTC', 'since') ??
    (/\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) ? new Date(value) : undefined);
  if (!at || Number.isNaN(at.getTime())) {
    throw new UsageError(`${flag} '${value}' is not a time: use 30m, 2h, 3d, 1w, 2026-11-27 or 2026-11-27T13:05 (UTC)`);
  }
  if (at > now) throw new UsageError(`${flag} '${value}' is in the future`);
  return at;
}

const replayNote = (letter: DeadLetter, now: Date) =>
  !letter.replay
    ? '-'
    : letter.replay.state === 'replayed'
      ? `${age(letter.replay.replayedAt ?? letter.replay.claimedAt, now)} ago`
      : 'unconfirmed';

function printList(letters: DeadLetter[], limit: number, now: Date, { out }: Output): void {
  if (letters.length === 0) {
    out('No dead letters.');
    return;
  }
  const shown = letters.slice(-limit);
  const rows = shown.map((letter) => [
    letter.id,
    age(letter.at, now),
    letter.topic ?? '?',
    letter.tenantId ?? '?',
    letter.group ?? '?',
    replayNote(letter, now),
    letter.reason.replace(/\s+/g, ' '),
  ]);
  const head = ['ID', 'AGE', 'TOPIC', 'TENANT', 'GROUP', 'REPLAYED', 'REASON'];
  const widths = head.map((title, column) =>
    column === head.length - 1 ? 0 : Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  for (const row of [head, ...rows])
    out(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  if (shown.length < letters.length) out(`(the newest ${shown.length} of ${letters.length}; --limit shows more)`);
}

/** Text with control characters and bytes that are not UTF-8 escaped, so the terminal shows them. */
export function escapeBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes)) return JSON.stringify(text);
  let escaped = '';
  for (const byte of bytes) {
    if (byte === 0x0a) escaped += '\\n';
    else if (byte === 0x0d) escaped += '\\r';
    else if (byte === 0x09) escaped += '\\t';
    else if (byte === 0x5c) escaped += '\\\\';
    else if (byte === 0x22) escaped += '\\"';
    else if (byte >= 0x20 && byte < 0x7f) escaped += String.fromCharCode(byte);
    else escaped += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${escaped}"`;
}

function printLetter(letter: DeadLetter, dlqTopic: string, now: Date, { out }: Output): void {
  const line = (label: string, value: string) => out(`  ${label.padEnd(15)}${value}`);
  out(`Dead letter ${letter.id} on ${dlqTopic}`);
  line('dead-lettered', `${letter.at.toISOString()} (${age(letter.at, now)} ago)`);
  line('reason', letter.reason);
  line(
    'from',
    letter.topic
      ? `${letter.topic}${letter.origin ? ` partition ${letter.origin.partition} offset ${letter.origin.offset}` : ''}`
      : '? (no origin headers)',
  );
  line('group', letter.group ?? '?');
  line('key', letter.key === null ? '(none)' : JSON.stringify(letter.key));
  line('tenant', letter.tenantId ?? '?');
  if (letter.transferId) line('transfer', `${letter.transferId}${letter.reference ? ` (${letter.reference})` : ''}`);
  line(
    'replay',
    !letter.replay
      ? 'not replayed'
      : letter.replay.state === 'replayed'
        ? `replayed ${letter.replay.replayedAt?.toISOString() ?? ''} by ${letter.replay.by}`
        : `begun ${letter.replay.claimedAt.toISOString()} by ${letter.replay.by}, not confirmed (replay ${letter.id} --resume)`,
  );
  out(`Headers (${letter.headers.length}):`);
  for (const [name, value] of letter.headers) {
    const text = value.toString('utf8');
    out(
      `  ${name}: ${Buffer.from(text, 'utf8').equals(value) && !/[\u0000-\u001f]/.test(text) ? text : escapeBytes(value)}`,
    );
  }
  const value = letter.value;
  if (!value || value.length === 0) {
    out('Value: (empty)');
    return;
  }
  const text = value.toString('utf8');
  let json: unknown;
  let isJson = false;
  if (Buffer.from(text, 'utf8').equals(value)) {
    try {
      json = JSON.parse(text);
      isJson = true;
    } catch {
      // Shown as escaped text below.
    }
  }
  if (isJson) {
    out(`Value (${value.length} bytes, JSON):`);
    out(JSON.stringify(json, null, 2));
  } else {
    out(`Value (${value.length} bytes, not JSON, escaped):`);
    out(escapeBytes(value));
  }
}

function describeOutcome(outcome: ReplayOutcome): { line: string; ok: boolean } {
  const { letter } = outcome;
  switch (outcome.status) {
    case 'replayed':
      return {
        ok: true,
        line: `replayed ${letter.id} onto ${outcome.topic} (key ${letter.key === null ? 'none' : JSON.stringify(letter.key)})${outcome.alerted ? "; the tenant's alert was told" : ''}`,
      };
    case 'already_replayed':
      return {
        ok: false,
        line: `refused: ${letter.id} was already replayed ${outcome.record.replayedAt?.toISOString() ?? ''} by ${outcome.record.by}; a dead letter is replayed once`,
      };
    case 'unconfirmed':
      return {
        ok: false,
        line: `refused: a replay of ${letter.id} was begun ${outcome.record.claimedAt.toISOString()} by ${outcome.record.by} and not confirmed; it may or may not be on ${outcome.record.topic}. Check, then finish it with: npm run dlq -- replay ${letter.id} --resume`,
      };
    case 'not_replayable':
      return { ok: false, line: `refused: ${letter.id} cannot be replayed: ${outcome.why}` };
  }
}

/** A dead letter id as given, checked before anything is read. */
function checkedId(id: string): string {
  try {
    parseDeadLetterId(id);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return id;
}

const positiveInt = (flag: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a whole number of 1 or more`);
  return Number(value);
};

interface Parsed {
  command: string;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const COMMAND_OPTIONS = {
  list: { group: { type: 'string' }, tenant: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  show: {},
  replay: {
    all: { type: 'boolean' },
    resume: { type: 'boolean' },
    group: { type: 'string' },
    tenant: { type: 'string' },
    since: { type: 'string' },
  },
  purge: { before: { type: 'string' } },
} as const;

function parse(argv: string[]): Parsed | { help: string } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') return { help: HELP.main! };
  if (!(command in COMMAND_OPTIONS)) throw new UsageError(`unknown command '${command}': list, show, replay or purge`);
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: { ...COMMAND_OPTIONS[command as keyof typeof COMMAND_OPTIONS], help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return { help: HELP[command]! };
  return { command, values: values as Parsed['values'], positionals };
}

async function run(parsed: Parsed, dlq: DeadLetters, io: Output): Promise<number> {
  const { command, values, positionals } = parsed;
  const now = new Date();
  const by = `${userInfo().username}@${hostname()}`;
  const filter = {
    ...(typeof values.group === 'string' ? { group: values.group } : {}),
    ...(typeof values.tenant === 'string' ? { tenant: values.tenant } : {}),
    ...(typeof values.since === 'string' ? { since: parseWhen('--since', values.since, now) } : {}),
  };
  switch (command) {
    case 'list': {
      if (positionals.length > 0) throw new UsageError(`list takes no ID ('${positionals[0]}'); show ID shows one`);
      const limit = positiveInt('--limit', values.limit as string | undefined, 100);
      printList(await dlq.list(filter), limit, now, io);
      return 0;
    }
    case 'show': {
      if (positionals.length !== 1) throw new UsageError('show needs one dead letter ID, e.g. show 0:17');
      printLetter(await dlq.get(checkedId(positionals[0]!)), dlq.dlqTopic, now, io);
      return 0;
    }
    case 'replay': {
      if (values.all) {
        if (positionals.length > 0) throw new UsageError('replay takes an ID or --all, not both');
        if (values.resume) throw new UsageError('--resume finishes one replay: replay ID --resume');
        const outcomes = await dlq.replayAll(filter, { by });
        let failed = 0;
        for (const outcome of outcomes) {
          const { line, ok } = describeOutcome(outcome);
          if (outcome.status === 'already_replayed') continue;
          if (!ok) failed += 1;
          (ok ? io.out : io.err)(line);
        }
        const replayed = outcomes.filter(({ status }) => status === 'replayed').length;
        const before = outcomes.filter(({ status }) => status === 'already_replayed').length;
        io.out(`replayed ${replayed}; ${before} replayed before, left alone; ${failed} refused`);
        return failed > 0 ? 1 : 0;
      }
      if (positionals.length !== 1) throw new UsageError('replay needs one dead letter ID (e.g. replay 0:17) or --all');
      if (Object.keys(filter).length > 0) throw new UsageError('--group, --tenant and --since go with --all');
      const outcome = await dlq.replay(checkedId(positionals[0]!), { by, resume: values.resume === true });
      const { line, ok } = describeOutcome(outcome);
      (ok ? io.out : io.err)(line);
      return ok ? 0 : 1;
    }
    case 'purge': {
      if (positionals.length > 0) throw new UsageError(`purge takes no ID ('${positionals[0]}'), only --before DATE`);
      if (typeof values.before !== 'string') throw new UsageError('purge needs --before DATE, e.g. --before 7d');
      const before = parseWhen('--before', values.before, now);
      const result = await dlq.purge(before);
      for (const { partition, from, to, removed } of result.partitions) {
        io.out(`partition ${partition}: removed ${removed} (offsets ${from} to ${BigInt(to) - 1n})`);
      }
      io.out(
        `purged ${result.removed} dead letter(s) dead-lettered before ${before.toISOString()}` +
          (result.prunedReplays > 0 ? `; ${result.prunedReplays} replay record(s) with them` : ''),
      );
      return 0;
    }
  }
  throw new UsageError(`unknown command '${command}'`);
}

export async function main(argv: string[], io: Output = { out: console.log, err: console.error }): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(
      `error: ${(error as Error).message}\nSee: npm run dlq -- ${argv[0] && argv[0] in HELP ? `${argv[0]} ` : ''}--help`,
    );
    return 2;
  }
  if ('help' in parsed) {
    io.out(parsed.help);
    return 0;
  }
  const config = loadToolConfig((message) => io.err(message));
  if (!config) return 78;
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error', format: 'json', destination: process.stderr });
  const store = connectStore(config.MONGO_URL, { logger });
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-dlq`,
    logger,
    ...kafkaSecurity(config),
  });
  const dlq = createDeadLetters({
    kafka,
    naming: createNaming(config.KAFKA_NAMESPACE),
    replays: createReplayStore(store.connection),
    tenantExists: async (tenantId) => (await store.models.Tenant.exists({ tenantId })) !== null,
  });
  try {
    await store.ready();
    return await run(parsed, dlq, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nSee: npm run dlq -- ${parsed.command} --help`);
      return 2;
    }
    if (error instanceof DeadLetterError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await dlq.close();
    await store.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
