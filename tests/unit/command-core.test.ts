import { z } from 'zod';
import { decodeAction, encodeAction } from '../../src/chat/actions';
import { tokenize } from '../../src/commands/args';
import { createCommandCore } from '../../src/commands/core';
import { changed, defineAction, defineCommand } from '../../src/commands/define';
import type { CorePorts } from '../../src/commands/ports';
import type { Caller } from '../../src/commands/ports/tenancy';
import { bar, notice } from '../../src/chat/reply';
import type { Role } from '../../src/domain/closed-lists';
import { captureLogger } from '../support/test-env';

describe('command arguments', () => {
  it('splits words, keeps quoted phrases and reads --flags with and without values', () => {
    expect(tokenize('log failed --entity order --since=2h "#10 01" --all')).toEqual({
      positional: ['log', 'failed', '#10 01'],
      flags: { entity: 'order', since: '2h', all: true },
    });
  });

  it('reads curly quotes, as phones type them, like straight ones', () => {
    expect(tokenize('subscription billing --company \u201cShop ApS\u201d --address \u201eDemovej 1\u201c')).toEqual({
      positional: ['subscription', 'billing'],
      flags: { company: 'Shop ApS', address: 'Demovej 1' },
    });
  });
});

describe('button actions', () => {
  it('round-trip ids and values, and refuse what does not fit a Discord custom_id', () => {
    const encoded = encodeAction('connection.toggle', { id: 'shopify-economic-orders', on: 1 });
    expect(decodeAction(encoded)).toEqual({
      id: 'connection.toggle',
      values: { id: 'shopify-economic-orders', on: '1' },
    });
    expect(() => encodeAction('x', { value: 'y'.repeat(100) })).toThrow(/more than 100/);
  });
});

describe('the quota bar', () => {
  it('shows how much is used, capped at full', () => {
    expect(bar(400, 500)).toBe('▓▓▓▓▓▓▓▓░░ 80 %');
    expect(bar(600, 500)).toBe('▓▓▓▓▓▓▓▓▓▓ 120 %');
    expect(bar(0, 0)).toBe('░░░░░░░░░░ 0 %');
  });
});

describe('the command core', () => {
  const caller: Caller = { platform: 'slack', userId: 'U1', workspaceId: 'T1', channelId: 'C1', locale: 'en-US' };
  const build = (roles: Record<string, Role>, bindings: Record<string, string>) => {
    const changes: string[] = [];
    const { logger, records } = captureLogger();
    // Plain objects in the shape of the ports: the core's collaborators are interfaces by design.
    const ports = {
      tenancy: {
        resolveTenant: async (who: Caller) => bindings[who.workspaceId],
        roleOf: async (_tenantId: string, who: Caller) => roles[who.userId] ?? 'viewer',
        languageOf: async () => 'en',
        link: async () => 'invalid' as const,
      },
      changes: { record: async ({ action }: { action: string }) => void changes.push(action) },
    } as unknown as CorePorts;
    const core = createCommandCore({
      ports,
      logger,
      commands: [
        defineCommand({
          name: 'whoami',
          summary: 'Says the tenant',
          usage: '/iex whoami',
          role: 'viewer',
          positional: z.array(z.string()).max(0, 'takes no arguments'),
          run: async (ctx) => notice(`tenant ${ctx.tenantId}, role ${ctx.role}`),
        }),
        defineCommand({
          name: 'boom',
          summary: 'Fails',
          usage: '/iex boom',
          role: 'viewer',
          positional: z.array(z.string()),
          run: async () => {
            throw new Error('database exploded: password=hunter2');
          },
        }),
      ],
      actions: [
        defineAction({
          id: 'thing.change',
          role: 'admin',
          values: z.object({ id: z.string() }),
          effects: { audit: ({ id }, _done: true) => ({ action: `changed ${id}` }) },
          run: async () => changed(notice('changed'), true as const),
        }),
      ],
    });
    return { core, changes, records };
  };

  it('answers for the tenant the workspace is bound to', async () => {
    const { core } = build({}, { T1: 'acme' });
    expect((await core.handleCommand(caller, 'whoami')).fallback).toBe('tenant acme, role viewer');
  });

  it('tells an unlinked workspace how to link, and an unknown command where help is', async () => {
    const { core } = build({}, {});
    expect((await core.handleCommand(caller, 'whoami')).fallback).toMatch(
      /^This workspace is not linked.*\/iex link CODE/,
    );
    // Discord calls the place a bot is added to a server.
    const onDiscord = { ...caller, platform: 'discord' as const };
    expect((await core.handleCommand(onDiscord, 'whoami')).fallback).toMatch(/^This server is not linked/);
    expect((await core.handleCommand(caller, 'nope')).fallback).toBe(
      'There is no `/iex nope`. `/iex help` lists the commands.',
    );
  });

  it("refuses a viewer's change with the reason, and changes nothing", async () => {
    const { core, changes } = build({ U1: 'viewer' }, { T1: 'acme' });
    const answer = await core.handleAction(caller, encodeAction('thing.change', { id: 'a' }));
    expect(answer).toMatchObject({ fallback: 'Only admins can do this; you are a viewer.', visibility: 'ephemeral' });
    expect(changes).toEqual([]);
  });

  it('lets an admin change, and refuses a tampered button', async () => {
    const { core, changes } = build({ U1: 'admin' }, { T1: 'acme' });
    expect((await core.handleAction(caller, encodeAction('thing.change', { id: 'a' }))).fallback).toBe('changed');
    expect((await core.handleAction(caller, 'thing.change?nothing=1')).fallback).toMatch(/no longer valid/);
    expect(changes).toEqual(['changed a']);
  });

  it('shows bad input with the usage, and a crash only as a reference', async () => {
    const { core, records } = build({}, { T1: 'acme' });
    expect((await core.handleCommand(caller, 'whoami extra')).fallback).toBe(
      'arguments: takes no arguments. Usage: /iex whoami',
    );
    const crash = await core.handleCommand(caller, 'boom');
    const ref = /ref ([0-9a-f]{8})/.exec(crash.fallback)?.[1];
    expect(ref).toBeDefined();
    expect(crash.fallback).not.toContain('hunter2');
    expect(records.find((record) => record.ref === ref)).toMatchObject({ msg: 'command failed' });
  });
});
