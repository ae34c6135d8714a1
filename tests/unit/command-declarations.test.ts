import { z } from 'zod';
import { COMMANDS } from '../../src/commands/catalog';
import { helpCommand } from '../../src/commands/catalog/help';
import { createCommandCore } from '../../src/commands/core';
import { changed, defineAction, defineCommand } from '../../src/commands/define';
import { UserError } from '../../src/commands/errors';
import { encodeAction } from '../../src/chat/actions';
import { flag, word } from '../../src/commands/options';
import type { CorePorts } from '../../src/commands/ports';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Role } from '../../src/domain/closed-lists';
import { notice } from '../../src/chat/reply';
import { captureLogger } from '../support/test-env';
import { translator } from '../../src/i18n';

const caller: Caller = { platform: 'slack', userId: 'U1', workspaceId: 'T1' };

/** A core with one command that declares a subcommand and a flag only admins may use. */
function coreAs(role: Role) {
  const ran: unknown[] = [];
  const ports = {
    tenancy: { resolveTenant: async () => 'acme', languageOf: async () => 'en', roleOf: async () => role },
  } as unknown as CorePorts;
  const thing = defineCommand({
    name: 'thing',
    summary: 'A thing',
    usage: '/iex thing [show|change NAME] [--force] [--count N]',
    role: 'viewer',
    words: [word.text('action', 'What to do', { choices: ['show', 'change'] }), word.text('name', 'Which')],
    positional: z.array(z.string()).max(2, 'too many words'),
    flags: {
      force: flag.boolean('Even if it is busy'),
      count: flag.integer('How many', { schema: z.coerce.number({ message: 'must be a number' }).optional() }),
      wipe: flag.boolean('Wipe it', { needs: { role: 'owner', doing: 'wipe a thing' } }),
    },
    verbs: { change: { role: 'admin', doing: 'change a thing' } },
    async run(_ctx, args) {
      ran.push(args);
      return notice('ran');
    },
  });
  const core = createCommandCore({ ports, logger: captureLogger().logger, commands: [thing], actions: [] });
  return { core, ran };
}

describe('a command declared once', () => {
  it('refuses a subcommand or a flag the caller’s role may not use, before it runs, with the refusal of today', async () => {
    const { core, ran } = coreAs('viewer');
    expect((await core.handleCommand(caller, 'thing change x')).fallback).toBe(
      'Only admins can change a thing; you are a viewer.',
    );
    expect((await core.handleOptions(caller, 'thing', { action: 'change', name: 'x' })).fallback).toBe(
      'Only admins can change a thing; you are a viewer.',
    );
    const admin = coreAs('admin');
    expect((await admin.core.handleCommand(caller, 'thing show --wipe')).fallback).toBe(
      'Only the owner can wipe a thing; you are an admin.',
    );
    expect((await core.handleCommand(caller, 'thing show')).fallback).toBe('ran');
    expect(ran).toEqual([{ _: ['show'] }]);
    expect(admin.ran).toEqual([]);
  });

  it('reads typed text and named options into the same arguments, with the same messages', async () => {
    const { core, ran } = coreAs('admin');
    await core.handleCommand(caller, 'thing change x --force --count 3');
    await core.handleOptions(caller, 'thing', { action: 'change', name: 'x', force: true, count: 3 });
    expect(ran).toEqual([
      { _: ['change', 'x'], force: true, count: 3 },
      { _: ['change', 'x'], force: true, count: 3 },
    ]);
    const usage = 'Usage: /iex thing [show|change NAME] [--force] [--count N]';
    expect((await core.handleCommand(caller, 'thing --count many')).fallback).toBe(
      `--count: must be a number. ${usage}`,
    );
    expect((await core.handleOptions(caller, 'thing', { count: 'many' })).fallback).toBe(
      `--count: must be a number. ${usage}`,
    );
    expect((await core.handleOptions(caller, 'thing', { colour: 'red' })).fallback).toBe(
      `unknown option --colour. ${usage}`,
    );
  });
});

describe('/iex help NAME, from the declarations', () => {
  const help = helpCommand(() => COMMANDS);
  const helpText = async (name: string, language: 'en' | 'da' = 'en') => {
    const answer = await help.run({ t: translator(language) } as never, { _: [name] });
    return JSON.stringify(answer.blocks);
  };

  it('says who may use each part and lists each option with its values', async () => {
    const jobs = await helpText('jobs');
    expect(jobs).toContain('everyone; `run`, `schedule`: admins and the owner');
    expect(jobs).toContain('`ACTION` (run, schedule) — Run a job now');
    expect(jobs).toContain('`--page N` — Page of the scheduled jobs');
    expect(await helpText('settings')).toContain('everyone; `invite`, `remove`: the owner');
    expect(await helpText('systems')).toContain('`--set`: admins and the owner');
    expect(await helpText('retry')).toContain('admins and the owner');
  });

  it('explains a command in the reader’s language, its names and options kept as English words', async () => {
    const jobs = await helpText('jobs', 'da');
    expect(jobs).toContain('alle; `run`, `schedule`: administratorer og ejeren');
    expect(jobs).toContain('`ACTION` (run, schedule) — Kør et job nu');
    expect(jobs).toContain('`--page N` — Side med de planlagte job');
    expect(jobs).toContain('Hvem må');
    expect(await helpText('retry', 'da')).toContain('administratorer og ejeren');
    expect(await helpText('log', 'da')).toContain(
      '`--entity VALUE` (order, product, stock) — Kun ordrer, produkter eller lager',
    );
    const list = JSON.stringify((await help.run({ t: translator('da') } as never, { _: [] })).blocks);
    expect(list).toContain('`/iex log [failed|held|succeeded|started]');
    expect(list).toContain('De seneste overførsler med filtre');
    expect(list).not.toContain('The latest transfers');
  });
});

describe('audit as a declared effect', () => {
  /** A core with one action whose run may change something, refuse, fail, or find nothing to do. */
  function coreWith(outcome: 'change' | 'refuse' | 'fail' | 'nothing' | 'change-then-release') {
    const recorded: unknown[] = [];
    const announced: unknown[] = [];
    const steps: string[] = [];
    const ports = {
      tenancy: { resolveTenant: async () => 'acme', languageOf: async () => 'en', roleOf: async () => 'admin' },
      changes: {
        record: async (change: unknown) => void (recorded.push(change), steps.push('audited')),
        announce: async (change: unknown) => void (announced.push(change), steps.push('announced')),
      },
    } as unknown as CorePorts;
    const switchAction = defineAction({
      id: 'thing.switch',
      role: 'admin',
      values: z.object({ id: z.string(), on: z.enum(['0', '1']) }),
      effects: {
        audit: ({ id, on }, label: string) => ({
          action: on === '1' ? 'thing.on' : 'thing.off',
          target: id,
          details: { label },
        }),
        announce: ({ id }, label: string) => ({ action: 'thing.told', target: id, details: { label } }),
      },
      async run(_ctx, { id }) {
        if (outcome === 'refuse') throw new UserError('conflict', 'It is busy.');
        if (outcome === 'fail') throw new Error('store down');
        if (outcome === 'nothing') return notice(`${id} is already on.`);
        if (outcome === 'change-then-release') {
          return changed(async () => {
            steps.push('released what was held');
            return notice(`${id} is on; held transfers sent again.`);
          }, `Thing ${id}`);
        }
        return changed(notice(`${id} is on.`), `Thing ${id}`);
      },
    });
    const core = createCommandCore({ ports, logger: captureLogger().logger, commands: [], actions: [switchAction] });
    return { core, recorded, announced, steps };
  }

  it('announces a change before what follows from it reaches the engines', async () => {
    const { core, steps } = coreWith('change-then-release');
    expect((await core.handleAction(caller, encodeAction('thing.switch', { id: 'a', on: '1' }))).fallback).toBe(
      'a is on; held transfers sent again.',
    );
    expect(steps).toEqual(['audited', 'announced', 'released what was held']);
  });

  it('writes the audit entry and the announcement the action declares after it succeeded', async () => {
    const { core, recorded, announced } = coreWith('change');
    expect((await core.handleAction(caller, encodeAction('thing.switch', { id: 'a', on: '1' }))).fallback).toBe(
      'a is on.',
    );
    expect(recorded).toEqual([
      { tenantId: 'acme', caller, action: 'thing.on', target: 'a', details: { label: 'Thing a' } },
    ]);
    expect(announced).toEqual([
      { tenantId: 'acme', caller, action: 'thing.told', target: 'a', details: { label: 'Thing a' } },
    ]);
  });

  it.each(['refuse', 'fail', 'nothing'] as const)('writes nothing when the run ends with %s', async (outcome) => {
    const { core, recorded, announced } = coreWith(outcome);
    await core.handleAction(caller, encodeAction('thing.switch', { id: 'a', on: '1' }));
    expect(recorded).toEqual([]);
    expect(announced).toEqual([]);
  });
});
