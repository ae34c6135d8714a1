// `npm run link-code -- --tenant ID`: a one-time code that links a Slack workspace or Discord server.
import { parseArgs } from 'node:util';
import { startLocalServices } from '../src/config/local-services';
import { connectStore } from '../src/store';
import { createLinkCode } from '../src/store/link-codes';

const HELP = `Usage: npm run link-code -- --tenant ID

Prints a one-time code that links a Slack workspace or a Discord server (or one channel) to the
tenant. Give it to the customer; in chat they run \`/iex link CODE\` (or \`/iex link CODE --channel\`).
The code works once, for 24 hours. Uses the store at MONGO_URL (the local one when unset).`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { tenant: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\nSee: npm run link-code -- --help`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.tenant) {
    console.error('error: give the tenant: npm run link-code -- --tenant ID');
    return 2;
  }
  const mongoUrl = process.env.MONGO_URL || startLocalServices(process.env, { kafka: false, mongo: true }).MONGO_URL;
  if (!mongoUrl) throw new Error('MONGO_URL is not set and no local store could be started');
  const store = connectStore(mongoUrl);
  try {
    await store.ready();
    const tenant = await store.models.Tenant.findOne({ tenantId: values.tenant }, { name: 1 }).lean();
    if (!tenant) {
      console.error(`error: there is no tenant '${values.tenant}'`);
      return 1;
    }
    const { code, expiresAt } = await createLinkCode(store.models, values.tenant);
    console.log(`Link code for ${tenant.name} (${values.tenant}): ${code}`);
    console.log(`In Slack or Discord run: /iex link ${code}   (valid once, until ${expiresAt.toISOString()})`);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
