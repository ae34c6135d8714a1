import {
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  Routes,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessageComponentInteraction,
  type REST,
} from 'discord.js';
import type { CommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Reply } from '../../src/chat/reply';
import type { Logger } from '../../src/config/logger';
import { withDeadline } from '../../src/domain/with-deadline';
import { pickLanguage, translator, type Translator } from '../../src/i18n';
import type { Autocomplete } from './autocomplete';
import { autocompleteKind, optionValues } from './slash-command';
import { callerFromInteraction, focusedOption, subcommandOf } from './parse';
import {
  askedButton,
  discordFiles,
  EPHEMERAL,
  type DiscordMessage,
  parseCustomId,
  renderCancelled,
  renderConfirmation,
  renderDiscordMessage,
} from './render';

/** Sends the interaction's initial response: as the HTTP answer, or to the callback route (gateway). */
export type Respond = (response: APIInteractionResponse) => Promise<void>;

/** Handles one interaction from start (the initial response) to finish (the edit or follow-up). */
export type InteractionHandler = (interaction: APIInteraction, respond: Respond) => Promise<void>;

export interface InteractionHandlerDeps {
  core: CommandCore;
  autocomplete: Autocomplete;
  /** REST pointed at DISCORD_API_URL; the webhook routes need no bot token, only the interaction's. */
  rest: REST;
  /** DISCORD_APPLICATION_ID: whose webhook routes edit and follow up. */
  applicationId: string;
  adminRoleId?: string;
  logger: Logger;
  /** Discord waits 3 s for suggestions; after this they are given up and none are shown. */
  autocompleteTimeoutMs?: number;
}

/**
 * What the adapter says itself, before or without the command core, in the member's language
 * (Discord's interaction locale): the core, which knows the tenant, is not asked.
 */
const memberLanguage = (interaction: APIInteraction): Translator =>
  translator(pickLanguage('locale' in interaction ? interaction.locale : undefined, undefined));

/**
 * The one dispatcher both ways in (HTTP endpoint and gateway) run. Discord's 3-second rule: every
 * interaction gets its initial response first — a deferral wherever the core has work to do — and
 * the core's reply follows through the interaction's webhook (edit of @original, or a follow-up).
 *
 * Visibility: a command is deferred as ephemeral, since most replies are for the caller only and
 * an ephemeral deferral cannot later become public. A reply meant for the channel (`in_channel`)
 * therefore replaces the caller's "thinking…" message with a short notice and is posted as a
 * public follow-up (editing @original first is what makes the follow-up a new message; the first
 * follow-up after a deferral would otherwise take the deferral's place and its ephemerality).
 * A button is deferred as an update of its message; the reply then replaces that message
 * (`replaceOriginal`) or follows up as a new one, ephemeral or public as the reply says.
 */
export function createInteractionHandler(deps: InteractionHandlerDeps): InteractionHandler {
  const { core, rest, applicationId, logger } = deps;
  const log = logger.child({ component: 'discord' });
  const autocompleteTimeoutMs = deps.autocompleteTimeoutMs ?? 2_000;

  // A reply with pictures goes as multipart/form-data: each picture a `files[n]` part, the message
  // in `payload_json`, whose attachments and embed images (`attachment://name`) refer to them.
  const webhook = {
    editOriginal: (token: string, reply: Reply | { content: string }) => {
      const body = editBody(reply);
      return rest.patch(Routes.webhookMessage(applicationId, token, '@original'), {
        body,
        ...withFiles(reply, body),
        auth: false,
      });
    },
    followUp: (token: string, reply: Reply) => {
      const body = renderDiscordMessage(reply);
      return rest.post(Routes.webhook(applicationId, token), { body, ...withFiles(reply, body), auth: false });
    },
  };

  /** The reply to a deferred command: into the caller's own message, or to the channel. */
  async function finishDeferredMessage(token: string, reply: Reply): Promise<void> {
    if (reply.visibility === 'in_channel') {
      // What stays in the caller's own deferred message when the answer goes to the whole channel.
      await webhook.editOriginal(token, { content: translator(reply.language ?? 'en').t('bots.discord.shared') });
      await webhook.followUp(token, reply);
      return;
    }
    await webhook.editOriginal(token, reply);
  }

  async function command(interaction: APIChatInputApplicationCommandInteraction, caller: Caller, respond: Respond) {
    await respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL } });
    const { path, options } = subcommandOf(interaction.data.options);
    const name = path.join(' ');
    const command = core.commands.find((candidate) => candidate.name === name);
    const values = optionValues(
      command,
      options.map((option) => ('value' in option ? option : { name: option.name })),
    );
    const reply = await core.handleOptions(caller, name, values, `discord:${interaction.id}`);
    await finishDeferredMessage(interaction.token, reply);
  }

  async function component(interaction: APIMessageComponentInteraction, caller: Caller, respond: Respond) {
    const customId = interaction.data.custom_id;
    const parsed = parseCustomId(customId);
    const t = memberLanguage(interaction);
    if (parsed.kind === 'cancel') {
      await respond({ type: InteractionResponseType.UpdateMessage, data: renderCancelled(t) });
      return;
    }
    if (!parsed.action) {
      await respond(message(t.t('common.buttonExpired')));
      return;
    }
    if (parsed.kind === 'ask') {
      // Nothing runs yet: the caller is asked first, only they see it, and the confirm button runs it.
      const asked = askedButton(customId, interaction.message.components, t);
      await respond({ type: InteractionResponseType.ChannelMessageWithSource, data: renderConfirmation(asked, t) });
      return;
    }
    await respond({ type: InteractionResponseType.DeferredMessageUpdate });
    const reply = await core.handleAction(caller, parsed.action, `discord:${interaction.id}`);
    if (reply.replaceOriginal) await webhook.editOriginal(interaction.token, reply);
    else await webhook.followUp(interaction.token, reply);
  }

  async function suggest(interaction: APIApplicationCommandAutocompleteInteraction, caller: Caller, respond: Respond) {
    const focused = focusedOption(interaction.data.options);
    const kind = focused
      ? autocompleteKind(core.commands, subcommandOf(interaction.data.options).path.join(' '), focused.name)
      : undefined;
    let choices: Awaited<ReturnType<Autocomplete>> = [];
    if (focused && kind) {
      choices = await withDeadline(
        deps.autocomplete(caller, kind, focused.value),
        autocompleteTimeoutMs,
        'autocomplete',
      ).catch((error: unknown) => {
        log.warn({ err: error, kind }, 'no suggestions: looking them up failed or took too long');
        return [];
      });
    }
    await respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
  }

  return async (interaction, respond) => {
    if (interaction.type === InteractionType.Ping) {
      await respond({ type: InteractionResponseType.Pong });
      return;
    }
    const caller = callerFromInteraction(interaction, deps.adminRoleId ? { adminRoleId: deps.adminRoleId } : {});
    const t = memberLanguage(interaction);
    switch (interaction.type) {
      case InteractionType.ApplicationCommand:
        if (!caller) return respond(message(t.t('bots.discord.directMessage')));
        // Only the chat-input /iex is registered; a context-menu command would carry no text.
        if (interaction.data.type !== ApplicationCommandType.ChatInput)
          return respond(message(t.t('bots.discord.unknown')));
        return command(interaction as APIChatInputApplicationCommandInteraction, caller, respond);
      case InteractionType.MessageComponent:
        if (!caller) return respond(message(t.t('bots.discord.directMessage')));
        return component(interaction, caller, respond);
      case InteractionType.ApplicationCommandAutocomplete:
        if (!caller) {
          return respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
        }
        return suggest(interaction, caller, respond);
      default:
        // Modals are never opened by this bot.
        return respond(message(t.t('bots.discord.unknown')));
    }
  };
}

/** The files of a message for the REST call, when it has any (a call with files is multipart). */
function withFiles(reply: Reply | { content: string }, body: Pick<DiscordMessage, 'attachments'>) {
  if (!('blocks' in reply)) return {};
  const files = discordFiles(reply, body);
  return files.length > 0 ? { files } : {};
}

/** An ephemeral one-line answer as the initial response. */
function message(content: string): APIInteractionResponse {
  return { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: EPHEMERAL } };
}

/**
 * An edit replaces the whole message: content that the reply does not set is cleared, not kept,
 * and flags are left out (an edit cannot change whether a message is ephemeral).
 */
function editBody(reply: Reply | { content: string }) {
  if (!('blocks' in reply)) return { content: reply.content, embeds: [], components: [], attachments: [] };
  const { flags: _flags, ...rendered } = renderDiscordMessage(reply);
  return { ...rendered, content: rendered.content ?? '', attachments: rendered.attachments ?? [] };
}
