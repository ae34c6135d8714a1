import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { IEX_COMMAND } from '../../bots/discord/slash-command';
import { readOptions, registerCommands } from '../../scripts/discord-register';
import { FakeDiscordApi } from '../fakes/discord-api';

const root = path.resolve(__dirname, '../..');
const APPLICATION_ID = '1100000000000000001';
const GUILD_ID = '1200000000000000002';
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GaBcDe.test-token-not-real';

/** Runs `npm run discord:register -- …` as an operator does, against the fake API. */
async function runScript(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsx'),
      ['scripts/discord-register.ts', ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run discord:register', () => {
  let fake: FakeDiscordApi;

  beforeAll(async () => {
    fake = await new FakeDiscordApi().start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it('puts /iex as the one command of a server, with the bot token; again replaces it with the same', async () => {
    const first = await registerCommands({
      token: TOKEN,
      applicationId: APPLICATION_ID,
      guildId: GUILD_ID,
      apiUrl: fake.url,
    });
    expect(first.scope).toBe(`server ${GUILD_ID}`);
    expect(first.commands).toEqual([expect.objectContaining({ id: '1', name: 'iex' })]);
    await registerCommands({ token: TOKEN, applicationId: APPLICATION_ID, guildId: GUILD_ID, apiUrl: fake.url });

    expect(fake.calls).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`,
        authorization: `Bot ${TOKEN}`,
        body: [JSON.parse(JSON.stringify(IEX_COMMAND))],
      }),
      expect.objectContaining({ method: 'PUT', body: fake.calls[0]!.body }),
    ]);
  });

  it('registers for every server from the command line and says what it registered', async () => {
    const { code, stdout } = await runScript([], {
      DISCORD_BOT_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: fake.url,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Registered /iex (id 1) for every server: status, usage, systems, jobs, connections, subscription, topup, settings, log, retry, notify, link, help',
    );
    expect(fake.calls.map(({ method, path: route }) => `${method} ${route}`)).toEqual([
      `PUT /applications/${APPLICATION_ID}/commands`,
    ]);
  });

  it('says which setting is missing or wrong, without calling Discord', async () => {
    expect(readOptions([], {})).toEqual({
      problems: [
        expect.stringContaining('DISCORD_BOT_TOKEN is not set'),
        expect.stringContaining('DISCORD_APPLICATION_ID is not set'),
      ],
    });
    expect(readOptions(['--guild', 'my-server'], { DISCORD_BOT_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '42' })).toEqual({
      problems: [
        'DISCORD_APPLICATION_ID must be a Discord id of 17 to 20 digits',
        expect.stringContaining('--guild must be a server id'),
      ],
    });
    expect(
      readOptions(['--guild', GUILD_ID], { DISCORD_BOT_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID }),
    ).toEqual({ token: TOKEN, applicationId: APPLICATION_ID, guildId: GUILD_ID, apiUrl: 'https://discord.com/api' });
    expect(readOptions(['--nope'], {})).toEqual({ problems: [expect.stringContaining("'--nope'")] });
    expect(fake.calls).toEqual([]);
  });

  it('explains a refused token', async () => {
    fake.respondWith((call) =>
      call.authorization === 'Bot refused.token.x'
        ? { status: 401, body: { message: '401: Unauthorized', code: 0 } }
        : undefined,
    );
    const { code, stderr } = await runScript(['--guild', GUILD_ID], {
      DISCORD_BOT_TOKEN: 'refused.token.x',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: fake.url,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_BOT_TOKEN was refused');
  });
});
