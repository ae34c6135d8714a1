import { InteractionType } from 'discord.js';
import { z } from 'zod';

/**
 * The least a signed interaction must hold for the handler to run it. The handler trusts the
 * API's types (`interaction.data.options`, `member.user.id`, …), so a signed but malformed body
 * would crash it after the signature check, into a 500; checked here, it is a 400 instead. Loose:
 * every field Discord adds beyond these passes through untouched.
 */

const nonEmpty = z.string().min(1);

/** An option as Discord sends it; a subcommand (group) nests its own options. */
type DataOption = { name: string; type: number; options?: DataOption[] };
const dataOptionSchema: z.ZodType<DataOption> = z.lazy(() =>
  z.looseObject({
    name: nonEmpty,
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    focused: z.boolean().optional(),
    options: z.array(dataOptionSchema).optional(),
  }),
);

const commandDataSchema = z.looseObject({
  name: nonEmpty,
  type: z.number().int(),
  options: z.array(dataOptionSchema).optional(),
});

const userSchema = z.looseObject({ id: nonEmpty });

/** In a guild: the member (who asks, with what permissions); in a DM: the user. */
const memberSchema = z.looseObject({
  user: userSchema,
  permissions: z.string(),
  roles: z.array(z.string()),
});

const envelope = {
  id: nonEmpty,
  token: nonEmpty,
  guild_id: nonEmpty.optional(),
  channel_id: z.string().optional(),
  member: memberSchema.optional(),
  user: userSchema.optional(),
};

const interactionSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal(InteractionType.Ping) }),
  z.looseObject({ ...envelope, type: z.literal(InteractionType.ApplicationCommand), data: commandDataSchema }),
  z.looseObject({
    ...envelope,
    type: z.literal(InteractionType.MessageComponent),
    data: z.looseObject({ custom_id: nonEmpty, component_type: z.number().int() }),
    message: z.looseObject({ components: z.array(z.unknown()).optional() }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(InteractionType.ApplicationCommandAutocomplete),
    data: commandDataSchema,
  }),
  // Never opened by this bot, but a type Discord has: answered as today (an unknown-command notice).
  z.looseObject({ ...envelope, type: z.literal(InteractionType.ModalSubmit), data: z.looseObject({}) }),
]);

/**
 * What is wrong with a parsed, signed request body, or undefined when it is an interaction the
 * handler can run. Check the body's nesting depth before parsing it: option lists nest.
 */
export function malformedInteraction(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not an object';
  const { type } = body as { type?: unknown };
  if (typeof type !== 'number') return 'type: required, a number';
  if (!Object.values(InteractionType).includes(type)) return `type: ${type} is not an interaction type`;
  const parsed = interactionSchema.safeParse(body);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
