// `npm run discord:register -- [--guild GUILD_ID]`: registers /iex with Discord, for all servers or one.
import { parseArgs } from 'node:util';
import { DiscordAPIError, REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { IEX_COMMAND } from '../bots/discord/slash-command';

const HELP = `Usage: npm run discord:register -- [--guild GUILD_ID]

Registers the /iex command (its subcommands and options, declared by each command in src/commands/catalog)
with Discord. Run it again after a change to the commands: it replaces what was registered.

  --guild GUILD_ID   only in this server, where a change shows at once (Copy Server ID in
                     Developer Mode); without it /iex is registered for every server, and
                     Discord may take up to an hour to show a change there.

Environment: DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID (required), DISCORD_API_URL (optional).`;

const DEFAULT_API_URL = 'https://discord.com/api';

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** Only in this server; all servers when left out. */
  guildId?: string;
  /** DISCORD_API_URL: the REST base without a version. */
  apiUrl: string;
}

export interface Registered {
  scope: string;
  commands: RESTPutAPIApplicationCommandsResult;
}

/**
 * Puts `/iex` as the application's one command, globally or in one server. A PUT replaces the
 * whole set, so running it twice registers the same thing once and a removed option goes away.
 */
export async function registerCommands({
  token,
  applicationId,
  guildId,
  apiUrl,
}: RegisterOptions): Promise<Registered> {
  const rest = new REST({ api: apiUrl }).setToken(token);
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const commands = (await rest.put(route, { body: [IEX_COMMAND] })) as RESTPutAPIApplicationCommandsResult;
  return { scope: guildId ? `server ${guildId}` : 'every server', commands };
}

const SNOWFLAKE = /^\d{17,20}$/;

/** The options from the command line and the environment, or the problems, one line each. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv): RegisterOptions | { problems: string[] } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { guild: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  if (values.help) return 'help';
  const token = env.DISCORD_BOT_TOKEN?.trim();
  const applicationId = env.DISCORD_APPLICATION_ID?.trim();
  const problems = [
    ...(token ? [] : ["DISCORD_BOT_TOKEN is not set: the bot token from the Discord application's Bot page"]),
    ...(applicationId
      ? SNOWFLAKE.test(applicationId)
        ? []
        : ['DISCORD_APPLICATION_ID must be a Discord id of 17 to 20 digits']
      : ["DISCORD_APPLICATION_ID is not set: the Application ID from the application's General Information page"]),
    ...(values.guild !== undefined && !SNOWFLAKE.test(values.guild)
      ? ['--guild must be a server id of 17 to 20 digits (Copy Server ID in Developer Mode)']
      : []),
  ];
  if (problems.length > 0 || !token || !applicationId) return { problems };
  return {
    token,
    applicationId,
    ...(values.guild ? { guildId: values.guild } : {}),
    apiUrl: env.DISCORD_API_URL?.trim() || DEFAULT_API_URL,
  };
}

/** What a refusal means for the person running this. */
function explain(error: unknown): string {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return `${error.message}: DISCORD_BOT_TOKEN was refused; copy it again from the Bot page`;
    if (error.status === 403 || error.status === 404)
      return `${error.message}: check DISCORD_APPLICATION_ID, and that the bot was added to that server (with the applications.commands scope)`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = readOptions(argv, env);
  if (options === 'help') {
    console.log(HELP);
    return 0;
  }
  if ('problems' in options) {
    console.error(`error: ${options.problems.join('\nerror: ')}\nSee: npm run discord:register -- --help`);
    return 2;
  }
  try {
    const { scope, commands } = await registerCommands(options);
    for (const command of commands) {
      const subcommands = (command.options ?? []).map((option) => option.name);
      console.log(`Registered /${command.name} (id ${command.id}) for ${scope}: ${subcommands.join(', ')}`);
    }
    return 0;
  } catch (error) {
    console.error(`error: ${explain(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
