import type { z } from 'zod';
import type { Logger } from '../config/logger';
import type { CorePorts } from './ports';
import type { Caller } from './ports/tenancy';
import type { Reply } from '../chat/reply';
import type { Role } from '../domain/closed-lists';

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

export interface CommandDefinition<A = unknown> {
  name: string;
  /** One line for `/iex help`. */
  summary: string;
  /** e.g. `/iex log [failed|held] [--entity order] [--ref #1001]`. */
  usage: string;
  /** Longer help for `/iex help NAME`: examples and what each option does. */
  help?: string;
  role: Role;
  /** Validates `{ _: positional words, ...--flags }`. */
  args: z.ZodType<A>;
  /** Commands that work before the workspace is linked to a tenant (link, help). */
  unlinked?: boolean;
  run(ctx: CommandContext, args: A): Promise<Reply>;
}

export interface ActionDefinition<V = unknown> {
  /** The action id that buttons encode (see actions.ts). */
  id: string;
  role: Role;
  values: z.ZodType<V>;
  run(ctx: CommandContext, values: V): Promise<Reply>;
}

export function defineCommand<A>(definition: CommandDefinition<A>): CommandDefinition<A> {
  return definition;
}

export function defineAction<V>(definition: ActionDefinition<V>): ActionDefinition<V> {
  return definition;
}
