import { z } from 'zod';
import type { Role } from '../domain/closed-lists';
import type { Translator } from '../i18n';

/**
 * The typed options a command declares once. The text parser (Slack, console), the Discord
 * registration and option reading, and `/iex help` are all derived from them; no platform type
 * appears here (bots/discord/registration.ts shapes them into Discord's JSON).
 */

export type OptionType = 'string' | 'integer' | 'boolean' | 'user' | 'channel';

/** What an autocompleted option names; a platform that suggests answers with that kind's names or ids. */
export type AutocompleteKind = 'system' | 'connection' | 'transfer';

export interface Choice {
  name: string;
  value: string | number;
}

interface OptionBase {
  /** One line a person reads next to the option: a message key. */
  description: string;
  type: OptionType;
  choices?: readonly Choice[];
  required?: boolean;
  autocomplete?: AutocompleteKind;
  min?: number;
  max?: number;
}

/** A word in order after the command's name, e.g. `failed` in `/iex log failed`. */
export interface WordOption extends OptionBase {
  name: string;
}

/**
 * A role a part of a command needs beyond the command's own, with the words that finish
 * "Only admins can …" when it is refused: a message key.
 */
export interface RoleRule {
  role: Role;
  doing: string;
}

/** A `--flag`: `schema` checks its value as the text parser reads it, with the message a person sees. */
export interface FlagOption<S extends z.ZodTypeAny = z.ZodTypeAny> extends OptionBase {
  schema: S;
  /** Text only: a structured client (Discord) is not offered it, e.g. `--status` that a word also gives. */
  textOnly?: boolean;
  /** Giving the flag changes something only this role may change. */
  needs?: RoleRule;
}

type Choices = ReadonlyArray<string | Choice>;

const choicesOf = (choices: Choices | undefined): { choices?: readonly Choice[] } =>
  choices
    ? { choices: choices.map((choice) => (typeof choice === 'string' ? { name: choice, value: choice } : choice)) }
    : {};

interface WordExtras {
  choices?: Choices;
  autocomplete?: AutocompleteKind;
  required?: boolean;
}

/** Declares words: `word.text('status', '…', { choices })`, `word.user('user', '…')`. */
export const word = {
  text: (name: string, description: string, extras: WordExtras = {}): WordOption => ({
    name,
    description,
    type: 'string',
    ...choicesOf(extras.choices),
    ...(extras.autocomplete ? { autocomplete: extras.autocomplete } : {}),
    ...(extras.required ? { required: true } : {}),
  }),
  integer: (name: string, description: string, extras: { choices?: Choices } = {}): WordOption => ({
    name,
    description,
    type: 'integer',
    ...choicesOf(extras.choices),
  }),
  user: (name: string, description: string): WordOption => ({ name, description, type: 'user' }),
  /** A channel where messages can be posted; it arrives as the channel's mention. */
  channel: (name: string, description: string): WordOption => ({ name, description, type: 'channel' }),
};

interface FlagExtras<S extends z.ZodTypeAny> {
  schema?: S;
  choices?: Choices;
  autocomplete?: AutocompleteKind;
  min?: number;
  max?: number;
  textOnly?: boolean;
  needs?: RoleRule;
}

function flagOf<S extends z.ZodTypeAny>(
  type: OptionType,
  description: string,
  schema: S,
  extras: Omit<FlagExtras<S>, 'schema'>,
): FlagOption<S> {
  return {
    description,
    type,
    schema,
    ...choicesOf(extras.choices),
    ...(extras.autocomplete ? { autocomplete: extras.autocomplete } : {}),
    ...(extras.min !== undefined ? { min: extras.min } : {}),
    ...(extras.max !== undefined ? { max: extras.max } : {}),
    ...(extras.textOnly ? { textOnly: true } : {}),
    ...(extras.needs ? { needs: extras.needs } : {}),
  };
}

const optionalText = z.string().optional();

/** Declares flags: `flag.text('…', { schema })`, `flag.integer('…', { schema, min })`, `flag.boolean('…')`. */
export const flag = {
  text<S extends z.ZodTypeAny = typeof optionalText>(description: string, extras: FlagExtras<S> = {}): FlagOption<S> {
    const { schema, ...rest } = extras;
    return flagOf('string', description, (schema ?? optionalText) as S, rest);
  },
  integer<S extends z.ZodTypeAny>(description: string, extras: FlagExtras<S> & { schema: S }): FlagOption<S> {
    const { schema, ...rest } = extras;
    return flagOf('integer', description, schema, rest);
  },
  /** Given bare (`--channel`): true. */
  boolean: (description: string, extras: Pick<FlagExtras<z.ZodTypeAny>, 'textOnly' | 'needs'> = {}) =>
    flagOf('boolean', description, z.literal(true).optional(), extras),
};

/** `--page N`, with the messages `/iex log` and the lists give; `description` is a message key. */
export const pageFlag = (description: string) =>
  flag.integer(description, {
    min: 1,
    schema: z.coerce.number({ message: 'common.args.pageNumber' }).int().min(1).optional(),
  });

/**
 * A command that takes no words says so by name: "status takes no arguments". Schema messages are
 * message keys; checkArgs translates them (src/commands/args.ts).
 */
export const noWords = (_command: string) => z.array(z.string()).max(0, 'common.args.noWords');

export type Flags = Readonly<Record<string, FlagOption>>;

/** The arguments a command's `run` gets: its words in order (`_`) and each flag's checked value. */
export type ArgsOf<W, F extends Flags> = { _: W } & { [K in keyof F]: z.output<F[K]['schema']> };

/** "Only admins can run a job; you are a viewer." */
export function refusal(t: Translator, rule: RoleRule, role: Role): string {
  const who = t.t(
    rule.role === 'owner'
      ? 'common.refusal.owner'
      : rule.role === 'admin'
        ? 'common.refusal.admins'
        : 'common.refusal.viewers',
  );
  return t.t('common.refusal', { who, doing: t.declared(rule.doing), role });
}
