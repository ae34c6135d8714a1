// `npm run console -- --tenant demo`: the /iex commands in a terminal, through the same command core.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ACTIONS, COMMANDS } from '../src/commands/catalog';
import { createCommandCore, type CommandCore } from '../src/commands/core';
import type { Caller } from '../src/commands/ports/tenancy';
import type { Button } from '../src/chat/reply';
import { renderText, replyButtons } from '../src/chat/render-text';
import { loadToolConfig } from '../src/config/local-services';
import { createLogger } from '../src/config/logger';
import { ensureTopics } from '../src/kafka/admin';
import { createKafka, kafkaSecurity } from '../src/kafka/client';
import { createEventProducer } from '../src/kafka/producer';
import { createNaming } from '../src/kafka/topics';
import { connectStore } from '../src/store';
import { createStorePorts } from '../src/services/ports';

const HELP = `Usage: npm run console -- [--tenant ID]

Answers the /iex commands in this terminal, through the same command core as Slack and Discord:
type \`status\`, \`log failed\`, \`help\` … (with or without /iex). A reply's buttons are numbered;
type the number to press one. Ctrl-D or \`exit\` quits. You act as the tenant's owner.

Connects to the store at MONGO_URL and Kafka at KAFKA_BROKERS, starting the local ones when unset.

Options:
  --tenant <id>   the integration (default: demo)
  -h, --help      show this help`;

export interface ConsoleOptions {
  core: CommandCore;
  caller: Caller;
  input: Readable;
  output: Writable;
  /** ANSI bold and dim (a terminal). */
  color?: boolean;
  /** First lines shown, e.g. who and which integration. */
  greeting?: string;
}

const YES = /^(y|yes)$/i;

/**
 * The console's loop: reads a line, answers it through the command core, prints the reply as
 * text with its buttons numbered, and runs a button's action when its number is typed (asking
 * first when the button has a confirmation). Ends at the end of input or on `exit`.
 */
export async function runConsole({
  core,
  caller,
  input,
  output,
  color = false,
  greeting,
}: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input, output, terminal: Boolean((output as { isTTY?: boolean }).isTTY) });
  rl.on('SIGINT', () => rl.close());
  const lines = rl[Symbol.asyncIterator]();
  const write = (text: string) => output.write(`${text}\n`);
  const ask = async (prompt: string): Promise<string | undefined> => {
    output.write(prompt);
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };

  if (greeting) write(greeting);
  let buttons: Button[] = [];
  try {
    for (;;) {
      const line = await ask('iex> ');
      if (line === undefined) break;
      const typed = line.trim();
      if (!typed) continue;
      if (/^(exit|quit)$/i.test(typed)) break;

      let reply;
      if (/^\d+$/.test(typed)) {
        const button = buttons[Number(typed) - 1];
        if (!button) {
          write(
            buttons.length > 0
              ? `There is no button ${typed}: choose 1 to ${buttons.length}.`
              : 'There are no buttons to press: run a command first.',
          );
          continue;
        }
        if (button.url) {
          write(`Open ${button.url}`);
          continue;
        }
        if (button.confirm) {
          write(`${button.confirm.title}\n${button.confirm.text}`);
          const answer = await ask(`${button.confirm.confirm}? [y/N] `);
          if (answer === undefined) break;
          if (!YES.test(answer.trim())) {
            write(`${button.confirm.deny}: nothing was done.`);
            continue;
          }
        }
        reply = await core.handleAction(caller, button.action ?? '');
      } else {
        reply = await core.handleCommand(caller, typed.replace(/^\/?iex(\s+|$)/i, ''));
      }
      write(renderText(reply, { color }));
      buttons = replyButtons(reply);
    }
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { tenant: { type: 'string', default: 'demo' }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\nSee: npm run console -- --help`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const tenantId = values.tenant;

  const config = loadToolConfig((message) => console.error(message));
  if (!config) return 78;
  // The core logs every command it runs; the console keeps that out of the conversation.
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', format: 'json', destination: process.stderr });
  const store = connectStore(config.MONGO_URL, { logger });
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-console`,
    logger,
    ...kafkaSecurity(config),
  });
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const producer = createEventProducer(kafka, naming);
  try {
    await store.ready();
    const tenant = await store.models.Tenant.findOne({ tenantId }, { name: 1 }).lean();
    if (!tenant) {
      const known = (await store.models.Tenant.find({}, { tenantId: 1 }).limit(20).lean()).map((doc) => doc.tenantId);
      console.error(
        `error: there is no tenant '${tenantId}'. Tenants: ${known.length > 0 ? known.join(', ') : 'none (npm run seed adds the demo)'}.`,
      );
      return 1;
    }
    await ensureTopics(kafka, naming, {
      partitions: config.KAFKA_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });
    await producer.connect();

    const user = userInfo().username;
    const caller: Caller = { platform: 'console', userId: user, workspaceId: tenantId, displayName: user };
    const core = createCommandCore({
      ports: createStorePorts({ models: store.models, producer, logger }),
      logger,
      commands: COMMANDS,
      actions: ACTIONS,
    });
    await runConsole({
      core,
      caller,
      input: process.stdin,
      output: process.stdout,
      color: Boolean(process.stdout.isTTY),
      greeting: `IEX console · ${tenant.name} (${tenantId}) · you are ${user}, the owner.\nType a command (status, log failed, help …), a button's number, or exit.`,
    });
    return 0;
  } finally {
    await producer.disconnect().catch(() => undefined);
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
