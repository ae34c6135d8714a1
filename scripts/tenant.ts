// `npm run tenant -- apply|list|show|rotate-secret|link-code|export|erase`: customers, for operators.
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { hostname, userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { loadToolConfig } from '../src/config/local-services';
import { createLogger } from '../src/config/logger';
import { DURATION_HELP, parseDuration } from '../src/domain/durations';
import { describeSpecProblems, parseTenantSpec, SPEC_ID } from '../src/domain/tenant-spec';
import { ensureTopics } from '../src/kafka/admin';
import { createKafka, kafkaSecurity } from '../src/kafka/client';
import { createEventProducer } from '../src/kafka/producer';
import { createNaming } from '../src/kafka/topics';
import { describeChange } from '../src/services/tenants/diff';
import { TenantBusy, TenantNotFound, TenantSpecRefused, type Operator } from '../src/services/tenants/contract';
import { createTenantOperations, type TenantOperations } from '../src/services/tenants/operations';
import { MAX_SECRET_OVERLAP_MS } from '../src/services/tenants/rotate-secret';
import { connectStore } from '../src/store';

const SETTINGS = `Reads MONGO_URL, KAFKA_BROKERS and KAFKA_NAMESPACE like the service (the local store and
broker when unset); changes are audited as cli:<you>@<host> and announced on iex.commands.v1.`;

const HELP: Record<string, string> = {
  main: `Usage: npm run tenant -- <command> [options]

Customers (tenants): created and changed from a specification file, the way the admin API
(/admin/v1) and the platform's iex.tenants.v1 events do it.

Commands:
  apply FILE [--dry-run]           make the tenant match a spec (YAML or JSON); prints what changes
  list                             the tenants
  show ID                          one tenant as a spec (secrets only shown as set)
  rotate-secret ID [--overlap 24h] a new engine webhook secret; the old one keeps working for the overlap
  link-code ID                     a one-time code for /iex link CODE
  export ID [--out FILE]           everything held about the tenant, as one JSON document
  erase ID [--confirm ID]          remove the tenant for good (invoices are kept, anonymised)

npm run tenant -- <command> --help tells more. ${SETTINGS}
Exit status: 0 done, 1 refused or failed, 2 bad arguments, 78 bad settings.`,
  apply: `Usage: npm run tenant -- apply FILE [--dry-run]

Makes the tenant FILE describes exist exactly as described (examples/tenant.yaml shows every
field): creates it, or changes only what differs, and prints each change (secrets as "(secret)")
or "no changes". Items the file leaves out (systems, connections, notification rules) are removed.
A new tenant's engine webhook secret is printed once; keep it. Secrets may be given as
{ env: NAME } and are then read from this shell's environment.

Options:
  --dry-run   print what would change; change nothing`,
  list: `Usage: npm run tenant -- list

One line per tenant: ID, NAME, PLAN, LANGUAGE, ACTIVE, SYSTEMS, CONNECTIONS, WORKSPACES.`,
  show: `Usage: npm run tenant -- show ID

The tenant as a specification in YAML, as apply takes it; secrets appear only as "(set)".`,
  'rotate-secret': `Usage: npm run tenant -- rotate-secret ID [--overlap 24h]

Gives the tenant's engines a new webhook secret (POST /webhooks/events) and prints it once.
During the overlap both the new and the old secret are accepted, after it only the new one.

Options:
  --overlap <d>  how long the old secret keeps working: ${DURATION_HELP}, at most 1w (default 24h; 0m ends it now)`,
  'link-code': `Usage: npm run tenant -- link-code ID

Prints a one-time code that links a Slack workspace or a Discord server (or one channel) to the
tenant: in chat, /iex link CODE. Valid once, for 24 hours.`,
  export: `Usage: npm run tenant -- export ID [--out FILE]

Writes everything the service holds about the tenant (settings, members, transfers with their
payloads, usage, invoices, audit trail; never secrets) as one JSON document, to FILE or stdout.`,
  erase: `Usage: npm run tenant -- erase ID [--confirm ID]

Removes every document of the tenant from every collection, its workspace links, link codes,
mails and alert states. Invoices are kept (bookkeeping law: five years) with the billing
contact's personal data removed. Asks for the id again; --confirm ID answers that in advance.
Erasing a tenant that is already gone changes nothing.`,
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
  overlap: { type: 'string' },
  out: { type: 'string' },
  confirm: { type: 'string' },
} as const;

/** Which options each command takes; any other is a usage error. */
const TAKES: Record<string, readonly string[]> = {
  apply: ['dry-run'],
  list: [],
  show: [],
  'rotate-secret': ['overlap'],
  'link-code': [],
  export: ['out'],
  erase: ['confirm'],
};

class UsageError extends Error {}

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Standard output as a stream, for the export. */
  stdout?: NodeJS.WritableStream;
  /** Asks a question on a terminal; undefined where there is none. */
  ask?: (question: string) => Promise<string>;
}

type Parsed =
  | { help: string }
  | { command: string; positionals: string[]; values: { [K in keyof typeof OPTIONS]?: string | boolean } };

function parse(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (!command) return { help: HELP.main! };
  if (!(command in TAKES)) throw new UsageError(`unknown command '${command}'`);
  if (values.help) return { help: HELP[command]! };
  for (const option of Object.keys(values)) {
    if (!TAKES[command]!.includes(option)) throw new UsageError(`${command} takes no --${option}`);
  }
  return { command, positionals: rest, values };
}

function oneId(command: string, positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`${command} needs one tenant ID`);
  const id = positionals[0]!;
  if (!SPEC_ID.test(id)) throw new UsageError(`'${id}' is not a tenant id (lower-case letters, digits and dashes)`);
  return id;
}

/** A spec file's content: YAML (JSON is YAML too), with a clear error for what is neither. */
function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseYaml(text, { maxAliasCount: 100 }) as unknown;
  } catch (error) {
    throw new TenantSpecRefused([
      { path: '(file)', message: `${file} is not YAML or JSON: ${(error as Error).message}` },
    ]);
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

async function run(
  command: string,
  positionals: string[],
  values: { [K in keyof typeof OPTIONS]?: string | boolean },
  tenants: TenantOperations,
  io: Output,
): Promise<number> {
  const actor: Operator = { platform: 'cli', userId: `${userInfo().username}@${hostname()}` };
  switch (command) {
    case 'apply': {
      if (positionals.length !== 1) throw new UsageError('apply needs one spec FILE, e.g. apply examples/tenant.yaml');
      const parsed = parseTenantSpec(readSpecFile(positionals[0]!));
      if (!parsed.ok) throw new TenantSpecRefused(parsed.problems);
      const dryRun = values['dry-run'] === true;
      const result = await tenants.apply(parsed.spec, { actor, dryRun });
      if (result.changes.length === 0) {
        io.out(`${result.tenantId}: no changes`);
        return 0;
      }
      const verb = dryRun ? 'would change' : result.created ? 'created' : 'changed';
      io.out(`${result.tenantId}: ${verb} (${result.changes.length} change${result.changes.length === 1 ? '' : 's'})`);
      for (const change of result.changes) io.out(`  ${describeChange(change)}`);
      if (result.webhookSecret) {
        io.out('');
        io.out(`Engine webhook secret (shown this once; engines sign POST /webhooks/events with it):`);
        io.out(`  ${result.webhookSecret}`);
      }
      return 0;
    }
    case 'list': {
      if (positionals.length > 0) throw new UsageError('list takes no arguments');
      const listing = await tenants.list();
      if (listing.length === 0) {
        io.out('no tenants yet: npm run tenant -- apply FILE creates one');
        return 0;
      }
      const rows = listing.map((tenant) => [
        tenant.tenantId,
        tenant.name,
        tenant.plan ?? '-',
        tenant.language,
        tenant.active ? 'on' : 'off',
        String(tenant.systems),
        String(tenant.connections),
        String(tenant.workspaces),
      ]);
      for (const line of table([
        ['ID', 'NAME', 'PLAN', 'LANGUAGE', 'ACTIVE', 'SYSTEMS', 'CONNECTIONS', 'WORKSPACES'],
        ...rows,
      ])) {
        io.out(line);
      }
      return 0;
    }
    case 'show': {
      io.out(toYaml(await tenants.show(oneId(command, positionals))).trimEnd());
      return 0;
    }
    case 'rotate-secret': {
      const id = oneId(command, positionals);
      let overlapMs: number | undefined;
      if (typeof values.overlap === 'string') {
        overlapMs = parseDuration(values.overlap);
        if (overlapMs === undefined || overlapMs > MAX_SECRET_OVERLAP_MS) {
          throw new UsageError(`--overlap is a duration up to 1w: ${DURATION_HELP}`);
        }
      }
      const rotated = await tenants.rotateWebhookSecret(id, {
        actor,
        ...(overlapMs === undefined ? {} : { overlapMs }),
      });
      io.out(`New engine webhook secret for ${id} (shown this once):`);
      io.out(`  ${rotated.secret}`);
      io.out(
        rotated.previousValidUntil
          ? `The previous secret keeps working until ${rotated.previousValidUntil.toISOString()}; switch the engines before then.`
          : 'The previous secret no longer works.',
      );
      return 0;
    }
    case 'link-code': {
      const id = oneId(command, positionals);
      const { code, expiresAt } = await tenants.linkCode(id);
      io.out(`Link code for ${id}: ${code}`);
      io.out(`Valid once, until ${expiresAt.toISOString()}. In the workspace or server to link, run`);
      io.out(`  Slack:   /iex link ${code}`);
      io.out(`  Discord: /iex link code:${code}`);
      return 0;
    }
    case 'export': {
      const id = oneId(command, positionals);
      const file = typeof values.out === 'string' ? values.out : undefined;
      const target = file ? createWriteStream(file, { flags: 'wx', mode: 0o600 }) : (io.stdout ?? process.stdout);
      if (file) await once(target, 'open');
      const summary = await tenants.exportTo(id, async (chunk) => {
        if (!target.write(chunk)) await once(target, 'drain');
      });
      if (file) {
        target.end();
        await once(target, 'finish');
        io.err(`exported ${id} to ${file} (${summary.counts.transfers ?? 0} transfers)`);
      }
      return 0;
    }
    case 'erase': {
      const id = oneId(command, positionals);
      let confirmation = typeof values.confirm === 'string' ? values.confirm : undefined;
      if (confirmation === undefined) {
        if (!io.ask) throw new UsageError(`erase asks for the id again; without a terminal give --confirm ${id}`);
        confirmation = (
          await io.ask(`This removes ${id} and everything of it for good. Type the id again to erase: `)
        ).trim();
      }
      if (confirmation !== id) {
        io.err(`not erased: '${confirmation}' is not '${id}'`);
        return 1;
      }
      const { removed, invoicesKept } = await tenants.erase(id, { actor });
      const total = Object.values(removed).reduce((sum, count) => sum + count, 0);
      io.out(
        total === 0
          ? `${id}: nothing to erase (no such tenant, or erased before)`
          : `${id}: erased ${total} document(s) in ${Object.keys(removed).length} collection(s); ${invoicesKept} invoice(s) kept, anonymised`,
      );
      return 0;
    }
  }
  throw new UsageError(`unknown command '${command}'`);
}

export async function main(argv: string[], io: Output = terminal()): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    const command = argv[0] && argv[0] in HELP ? `${argv[0]} ` : '';
    io.err(`error: ${(error as Error).message}\nSee: npm run tenant -- ${command}--help`);
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
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-tenant`,
    logger,
    ...kafkaSecurity(config),
  });
  const producer = createEventProducer(kafka, naming);
  try {
    await store.ready();
    // Changes are announced on iex.commands.v1: on a fresh broker the service may not have made it yet.
    await ensureTopics(kafka, naming, {
      partitions: config.KAFKA_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });
    await producer.connect();
    return await run(
      parsed.command,
      parsed.positionals,
      parsed.values,
      createTenantOperations({ models: store.models, producer, logger }),
      io,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nSee: npm run tenant -- ${parsed.command} --help`);
      return 2;
    }
    if (error instanceof TenantSpecRefused) {
      io.err(
        `error: the specification cannot be applied:\n${describeSpecProblems(error.problems).replace(/^/gm, '  ')}`,
      );
      return 1;
    }
    if (error instanceof TenantNotFound || error instanceof TenantBusy) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await store.close();
  }
}

function terminal(): Output {
  return {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    stdout: process.stdout,
    ...(process.stdin.isTTY
      ? {
          ask: async (question: string) => {
            const prompt = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return await prompt.question(question);
            } finally {
              prompt.close();
            }
          },
        }
      : {}),
  };
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
