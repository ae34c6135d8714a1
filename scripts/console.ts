// `npm run console -- --tenant demo`: the /iex commands in a terminal, through the same command core.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ACTIONS, COMMANDS } from '../src/commands/catalog';
import { consoleCaller, createConsolePlatform } from '../bots/console/console-platform';
import { createCommandCore } from '../src/commands/core';
import { loadToolConfig } from '../src/config/local-services';
import { createLogger } from '../src/config/logger';
import { ensureTopics } from '../src/kafka/admin';
import { createKafka, kafkaSecurity } from '../src/kafka/client';
import { createEventProducer } from '../src/kafka/producer';
import { createNaming } from '../src/kafka/topics';
import { LANGUAGES, languageOfLocale, pickLanguage, translator } from '../src/i18n';
import { connectStore } from '../src/store';
import { createStorePorts } from '../src/services/ports';

const HELP = `Usage: npm run console -- [--tenant ID] [--language da|en]

Answers the /iex commands in this terminal, through the same command core as Slack and Discord:
type \`status\`, \`log failed\`, \`help\` … (with or without /iex). A reply's buttons are numbered;
type the number to press one. Ctrl-D or \`exit\` quits. You act as the tenant's owner.

Connects to the store at MONGO_URL and Kafka at KAFKA_BROKERS, starting the local ones when unset.

Options:
  --tenant <id>   the integration (default: demo)
  --language <l>  answer in da or en (default: the tenant's language)
  -h, --help      show this help`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        tenant: { type: 'string', default: 'demo' },
        language: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
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
  if (values.language !== undefined && !languageOfLocale(values.language)) {
    console.error(`error: --language is ${LANGUAGES.join(' or ')}, not '${values.language}'`);
    return 2;
  }

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
    const tenant = await store.models.Tenant.findOne({ tenantId }, { name: 1, language: 1 }).lean();
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
    const core = createCommandCore({
      ports: createStorePorts({ models: store.models, producer, logger }),
      logger,
      commands: COMMANDS,
      actions: ACTIONS,
    });
    const terminal = createConsolePlatform({
      core,
      caller: consoleCaller(tenantId, user, values.language),
      input: process.stdin,
      output: process.stdout,
      color: Boolean(process.stdout.isTTY),
      greeting: translator(pickLanguage(values.language, tenant.language ?? undefined)).t('bots.console.greeting', {
        tenant: tenant.name,
        tenantId,
        user,
      }),
    });
    await terminal.start();
    await terminal.finished;
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
