import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger';
import { decodeAction } from '../chat/actions';
import { checkArgs, tokenize } from './args';
import { argsFromValues } from './option-values';
import { refusal, type RoleRule } from './options';
import type { ActionDefinition, CommandContext, CommandDefinition, Effects, Outcome } from './define';
import { UserError } from './errors';
import { workspaceWord } from './mentions';
import { pickLanguage, translator, type Translator } from '../i18n';
import type { CorePorts } from './ports';
import type { Caller } from './ports/tenancy';
import { notice, type Reply } from '../chat/reply';
import { hasRole } from './roles';

export interface CommandCoreDeps {
  ports: CorePorts;
  logger: Logger;
  // Each definition validates its own arguments before it runs, so the catalog may mix their types.
  commands: readonly CommandDefinition<any, any>[];
  actions: readonly ActionDefinition<any>[];
  clock?: () => Date;
}

/** The platform-neutral entry of every chat request: Slack, Discord and the console call this. */
export interface CommandCore {
  /** `text` is what follows `/iex`, e.g. `log failed --entity order`. */
  handleCommand(caller: Caller, text: string, interactionId?: string): Promise<Reply>;
  /**
   * A command given as named options (Discord's slash command): `values` maps each option's name to
   * its value, users and channels as their mentions.
   */
  handleOptions(
    caller: Caller,
    name: string,
    values: Readonly<Record<string, unknown>>,
    interactionId?: string,
  ): Promise<Reply>;
  /** `action` is a button's encoded action (see actions.ts). */
  handleAction(caller: Caller, action: string, interactionId?: string): Promise<Reply>;
  readonly commands: readonly CommandDefinition<unknown>[];
}

const notLinked = (t: Translator, caller: Caller) =>
  t.t('common.notLinked', {
    workspace: workspaceWord(caller),
    command: caller.platform === 'discord' ? '/iex link code:CODE' : '/iex link CODE',
  });

export function createCommandCore(deps: CommandCoreDeps): CommandCore {
  const { ports } = deps;
  const clock = deps.clock ?? (() => new Date());
  const commands = new Map(deps.commands.map((command) => [command.name, command]));
  const actions = new Map(deps.actions.map((action) => [action.id, action]));

  /**
   * Resolves tenant and role, checks the role, runs, and turns every failure into a reply: a user
   * error as itself, anything else as "something failed (ref …)" with the details only in the log.
   * Each run is logged once with its outcome and duration.
   */
  async function execute(
    kind: 'command' | 'action',
    name: string,
    caller: Caller,
    interactionId: string,
    definition: { role: CommandDefinition['role']; unlinked?: boolean },
    run: (ctx: CommandContext) => Promise<Reply>,
  ): Promise<Reply> {
    const started = Date.now();
    const log = deps.logger.child({
      [kind]: name,
      platform: caller.platform,
      user: caller.userId,
      workspace: caller.workspaceId,
    });
    let outcome = 'success';
    // Until the tenant is known (or when the store fails), the person's own language answers.
    let t = translator(pickLanguage(caller.locale, undefined));
    try {
      const tenantId = await ports.tenancy.resolveTenant(caller);
      if (tenantId) t = translator(pickLanguage(caller.locale, await ports.tenancy.languageOf(tenantId)));
      if (!tenantId && !definition.unlinked) throw new UserError('not_linked', notLinked(t, caller));
      const role = tenantId ? await ports.tenancy.roleOf(tenantId, caller) : 'viewer';
      if (!hasRole(role, definition.role)) {
        throw new UserError('forbidden', refusal(t, { role: definition.role, doing: 'common.doThis' }, role));
      }
      return inLanguage(
        await run({ tenantId: tenantId ?? '', caller, role, ports, logger: log, now: clock(), interactionId, t }),
        t,
      );
    } catch (error) {
      if (error instanceof UserError) {
        outcome = `refused: ${error.code}`;
        return inLanguage(notice(error.message), t);
      }
      const ref = randomUUID().slice(0, 8);
      outcome = `error ${ref}`;
      log.error({ err: error, ref }, `${kind} failed`);
      return inLanguage(notice(t.t('common.somethingFailed', { ref })), t);
    } finally {
      log.info({ outcome, durationMs: Date.now() - started }, `${kind} finished`);
    }
  }

  /** Checks the arguments, then what a subcommand or a flag needs beyond the command's role, then runs. */
  function runCommand(
    name: string,
    caller: Caller,
    interactionId: string,
    raw: (command: CommandDefinition<unknown, unknown>) => Record<string, unknown>,
  ): Promise<Reply> {
    const command = commands.get(name);
    if (!command) {
      // Said in the language the tenant's commands are answered in (the console has no locale of its own).
      return execute('command', name, caller, interactionId, { role: 'viewer', unlinked: true }, async (ctx) =>
        notice(ctx.t.t('common.noSuchCommand', { name })),
      );
    }
    return execute('command', name, caller, interactionId, command, async (ctx) => {
      const args = checkArgs(ctx.t, command.args, raw(command), command.usage) as Record<string, unknown>;
      for (const rule of rulesFor(command, args)) {
        if (!hasRole(ctx.role, rule.role)) throw new UserError('forbidden', refusal(ctx.t, rule, ctx.role));
      }
      return settle(ctx, command.effects, args, await command.run(ctx, args));
    });
  }

  return {
    commands: deps.commands,
    async handleCommand(caller, text, interactionId = randomUUID()) {
      const tokens = tokenize(text);
      const name = (tokens.positional.shift() ?? 'help').toLowerCase();
      return runCommand(name, caller, interactionId, () => ({ _: tokens.positional, ...tokens.flags }));
    },
    async handleOptions(caller, name, values, interactionId = randomUUID()) {
      return runCommand(name.toLowerCase(), caller, interactionId, (command) => argsFromValues(command, values));
    },
    async handleAction(caller, encoded, interactionId = randomUUID()) {
      const { id, values } = decodeAction(encoded);
      const action = actions.get(id);
      if (!action) {
        const t = translator(pickLanguage(caller.locale, undefined));
        return inLanguage(notice(t.t('common.buttonExpired')), t);
      }
      return execute('action', id, caller, interactionId, action, async (ctx) => {
        const parsed = action.values.safeParse(values);
        if (!parsed.success) throw new UserError('bad_input', ctx.t.t('common.buttonExpired'));
        return settle(ctx, action.effects, parsed.data, await action.run(ctx, parsed.data));
      });
    },
  };
}

/** The roles a run with these arguments needs beyond the command's: its first word's, and each given flag's. */
function rulesFor(command: CommandDefinition<unknown>, args: Record<string, unknown>): RoleRule[] {
  const words = args['_'];
  const first = Array.isArray(words) && typeof words[0] === 'string' ? words[0].toLowerCase() : undefined;
  const verb = first !== undefined && Object.hasOwn(command.verbs, first) ? command.verbs[first] : undefined;
  const flags = Object.entries(command.flags).flatMap(([flagName, option]) =>
    option.needs && args[flagName] !== undefined ? [option.needs] : [],
  );
  return [...(verb ? [verb] : []), ...flags];
}

const isOutcome = (result: Reply | Outcome<unknown>): result is Outcome<unknown> =>
  'changed' in result && 'reply' in result;

/**
 * After a successful run: the audit entry and the announcement its definition declares, from what
 * the run says it changed, then what follows from the change (a reply given as a function). A run
 * that changed nothing returned its reply alone.
 */
async function settle<A>(
  ctx: CommandContext,
  effects: Effects<A, unknown> | undefined,
  args: A,
  result: Reply | Outcome<unknown>,
): Promise<Reply> {
  if (!isOutcome(result)) return result;
  const who = { tenantId: ctx.tenantId, caller: ctx.caller };
  const audited = effects?.audit?.(args, result.changed);
  if (audited) await ctx.ports.changes.record({ ...who, ...audited });
  const announced = effects?.announce?.(args, result.changed);
  if (announced) await ctx.ports.changes.announce({ ...who, ...announced });
  return typeof result.reply === 'function' ? result.reply() : result.reply;
}

/** A reply marked with the language it was written in, so a platform's own words around it match. */
function inLanguage(reply: Reply, t: Translator): Reply {
  return { ...reply, language: t.language };
}
