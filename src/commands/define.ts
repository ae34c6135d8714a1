import { z } from 'zod';
import type { Logger } from '../config/logger';
import type { CorePorts } from './ports';
import type { Caller } from './ports/tenancy';
import type { Reply } from '../chat/reply';
import type { Role } from '../domain/closed-lists';
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
}

/** A command as the core and the platforms read it: its declaration, with the argument schema derived. */
export interface CommandDefinition<A = unknown> {
  name: string;
  /** One line for `/iex help`. */
  summary: string;
  /** e.g. `/iex log [failed|held] [--entity order] [--ref #1001]`. */
  usage: string;
  /** Longer help for `/iex help NAME`: examples and what each option does. */
  help?: string;
  role: Role;
  /** Commands that work before the workspace is linked to a tenant (link, help). */
  unlinked?: boolean;
  /** The words in order, as a structured client (Discord) offers them. */
  words: readonly WordOption[];
  flags: Flags;
  /** What a first word (a subcommand) needs beyond `role`, e.g. `run: { role: 'admin', doing: 'run a job' }`. */
  verbs: Readonly<Record<string, RoleRule>>;
  /** Words a structured client leaves out that the command needs, given the names of the options it got. */
  complete?: (words: string[], given: ReadonlySet<string>) => string[];
  /** Validates `{ _: words, ...flags }`: derived from `positional` and each flag's schema. */
  args: z.ZodType<A>;
  run(ctx: CommandContext, args: A): Promise<Reply>;
}

/** What a command file declares: its options once, and `run` with the arguments typed from them. */
export interface CommandDeclaration<W, F extends Flags> {
  name: string;
  summary: string;
  usage: string;
  help?: string;
  role: Role;
  unlinked?: boolean;
  words?: readonly WordOption[];
  /** Checks the words in order, with the message a person sees; without it the command takes none. */
  positional?: z.ZodType<W>;
  flags?: F;
  verbs?: Readonly<Record<string, RoleRule>>;
  complete?: (words: string[], given: ReadonlySet<string>) => string[];
  run(ctx: CommandContext, args: ArgsOf<W, F>): Promise<Reply>;
}

export interface ActionDefinition<V = unknown> {
  /** The action id that buttons encode (see actions.ts). */
  id: string;
  role: Role;
  values: z.ZodType<V>;
  run(ctx: CommandContext, values: V): Promise<Reply>;
}

export function defineCommand<W = string[], F extends Flags = Record<never, FlagOption>>(
  declaration: CommandDeclaration<W, F>,
): CommandDefinition<ArgsOf<W, F>> {
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

export function defineAction<V>(definition: ActionDefinition<V>): ActionDefinition<V> {
  return definition;
}
