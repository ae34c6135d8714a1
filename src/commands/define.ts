import { z } from 'zod';
import type { Logger } from '../config/logger';
import type { CorePorts } from './ports';
import type { ChangeEntry } from './ports/changes';
import type { Caller } from './ports/tenancy';
import type { Reply } from '../chat/reply';
import type { Role } from '../domain/closed-lists';
import type { Translator } from '../i18n';
import { noWords, type ArgsOf, type FlagOption, type Flags, type RoleRule, type WordOption } from './options';

/** What a command or action runs with: who asks, for which tenant, and the ports to the world. */
export interface CommandContext {
  tenantId: string;
  caller: Caller;
  role: Role;
  ports: CorePorts;
  logger: Logger;
  now: Date;
  /** A key unique to this chat interaction (a click, a command), for idempotent purchases. */
  interactionId: string;
  /** The caller's language (theirs where the platform says it, else the tenant's): every text of the reply. */
  t: Translator;
}

/** What every command says about itself, declared and as the core reads it. */
interface CommandBasics {
  name: string;
  /** One line for `/iex help`: a message key (src/i18n/messages). */
  summary: string;
  /** e.g. `/iex log [failed|held] [--entity order] [--ref #1001]`. */
  usage: string;
  /** Longer help for `/iex help NAME`, a message key: examples and what each option does. */
  help?: string;
  role: Role;
  /** Commands that work before the workspace is linked to a tenant (link, help). */
  unlinked?: boolean;
  /** Words a structured client leaves out that the command needs, given the names of the options it got. */
  complete?: (words: string[], given: ReadonlySet<string>) => string[];
}

/** A command as the core and the platforms read it: its declaration, with the argument schema derived. */
export interface CommandDefinition<A = unknown, R = unknown> extends CommandBasics {
  /** The words in order, as a structured client (Discord) offers them. */
  words: readonly WordOption[];
  flags: Flags;
  /** What a first word (a subcommand) needs beyond `role`, e.g. `run: { role: 'admin', doing: 'run a job' }`. */
  verbs: Readonly<Record<string, RoleRule>>;
  /** Validates `{ _: words, ...flags }`: derived from `positional` and each flag's schema. */
  args: z.ZodType<A>;
  effects?: Effects<A, R>;
  run(ctx: CommandContext, args: A): Promise<RunResult<R>>;
}

/**
 * What a run that changes something declares: the core writes the audit entry and the
 * announcement from the run's result after it succeeded — never after a refusal or a failure.
 * A run that changed nothing returns its reply alone (or `audit` gives undefined): nothing is written.
 */
export interface Effects<A, R> {
  /** Audited and announced. */
  audit?(args: NoInfer<A>, result: R): ChangeEntry | undefined;
  /** Announced only: its audit entry is written with the change itself (a purchase's, with its invoice). */
  announce?(args: NoInfer<A>, result: R): ChangeEntry | undefined;
}

/**
 * A reply together with what the run changed, for its declared effects. A reply given as a function
 * is made after the change is recorded: what follows from the change (held transfers sent again,
 * retries sent) reaches the engines after its announcement, as it must.
 */
export interface Outcome<R> {
  reply: Reply | (() => Promise<Reply>);
  changed: R;
}

/** A run that declares no effects answers with a reply; one that does may also say what it changed. */
export type RunResult<R> = [R] extends [never] ? Reply : Reply | Outcome<R>;

/** The reply of a run that changed something: `result` is what its declared effects read. */
export function changed<R>(reply: Reply | (() => Promise<Reply>), result: R): Outcome<R> {
  return { reply, changed: result };
}

/** What a command file declares: its options once, and `run` with the arguments typed from them. */
export interface CommandDeclaration<W, F extends Flags, R> extends CommandBasics {
  words?: readonly WordOption[];
  /** Checks the words in order, with the message a person sees; without it the command takes none. */
  positional?: z.ZodType<W>;
  flags?: F;
  verbs?: Readonly<Record<string, RoleRule>>;
  effects?: Effects<ArgsOf<W, F>, R>;
  run(ctx: CommandContext, args: ArgsOf<W, F>): Promise<RunResult<R>>;
}

export interface ActionDefinition<V = unknown, R = any> {
  /** The action id that buttons encode (see actions.ts). */
  id: string;
  role: Role;
  values: z.ZodType<V>;
  effects?: Effects<V, R>;
  run(ctx: CommandContext, values: V): Promise<RunResult<R>>;
}

export function defineCommand<W = string[], F extends Flags = Record<never, FlagOption>, R = never>(
  declaration: CommandDeclaration<W, F, R>,
): CommandDefinition<ArgsOf<W, F>, R> {
  const flags = (declaration.flags ?? {}) as F;
  const shape = Object.fromEntries(Object.entries(flags).map(([name, option]) => [name, option.schema]));
  const args = z.object({ _: declaration.positional ?? noWords(declaration.name), ...shape });
  return {
    ...declaration,
    words: declaration.words ?? [],
    flags,
    verbs: declaration.verbs ?? {},
    args: args as unknown as z.ZodType<ArgsOf<W, F>>,
    run: declaration.run,
  };
}

export function defineAction<V, R = never>(definition: ActionDefinition<V, R>): ActionDefinition<V, R> {
  return definition;
}
