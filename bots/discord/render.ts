import { cutIndex, shorten, shortenText, splitChunks } from '../../src/chat/text';
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import type { Block, Button, Confirm, Reply } from '../../src/chat/reply';
import { translator, type Translator } from '../../src/i18n';

/**
 * The neutral reply model (src/commands/reply.ts) as Discord embeds and buttons. Pure: no I/O, so
 * golden-JSON tests pin what Discord receives. This file owns Discord's limits; commands page their
 * lists, and what still does not fit is shortened or cut here rather than refused by Discord
 * (which refuses the whole message when one limit is passed).
 *
 * Layout: a header starts an embed with that title; texts, contexts and code blocks fill its
 * description; a fields block becomes its inline fields. Discord always shows fields after the
 * description, so a text that follows fields starts a new embed, and so does whatever follows a
 * divider. Buttons cannot sit between embeds: every actions block becomes action rows at the end.
 */

export const DISCORD_LIMITS = {
  embeds: 10,
  fieldsPerEmbed: 25,
  fieldName: 256,
  fieldValue: 1024,
  title: 256,
  description: 4096,
  footer: 2048,
  /** Title, description, field names and values and footers of all embeds of one message. */
  embedTotal: 6000,
  content: 2000,
  /** An attachment's description, which Discord gives screen readers as the picture's alt text. */
  attachmentDescription: 1024,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  buttonUrl: 512,
} as const;

/** The message flag that shows a reply only to the person who asked; also what a deferral takes. */
export const EPHEMERAL = MessageFlags.Ephemeral;

/** A button whose click first asks for a confirmation carries `ask:` before its action. */
export const ASK_PREFIX = 'ask:';
/** The custom_id of the deny button of a confirmation. */
export const CANCEL_ID = 'cancel';

/** One colour for every embed, so a reply's embeds read as one message. */
export const EMBED_COLOR = 0x2b6cb0;

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body: for an interaction response, a follow-up, an edit or a channel message. */
export interface DiscordMessage {
  /** Only when there is no embed: Discord refuses a message with neither. */
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** EPHEMERAL for a reply only the caller sees. */
  flags?: number;
  /** Nobody is pinged: a reply names people (`<@id>`), it does not call them. */
  allowed_mentions: APIAllowedMentions;
  /**
   * The files sent with the message (`discordFiles`), in order: `id` is the index of its
   * `files[n]` part. An edit lists what the message keeps, so an edit without pictures clears them.
   */
  attachments?: Array<{ id: number; filename: string; description?: string }>;
}

/** A file part of a multipart message, as @discordjs/rest sends it (`files[n]`). */
export interface DiscordFile {
  name: string;
  data: Buffer;
  contentType: string;
}

const NO_PINGS: APIAllowedMentions = { parse: [] };

// ---------------------------------------------------------------- markup

// Taken out before the rest is converted: code spans, links <url|label> or <url>, and mentions.
const MARKUP_TOKEN =
  /`[^`\n]*`|<((?:https?:\/\/|mailto:)[^\s<>|]+)(?:\|([^<>]*))?>|<(?:@[!&]?|#)[A-Za-z0-9]+(?:\|[^<>]*)?>/g;
const HELD = /\uE000(\d+)\uE001/g;

/**
 * Escapes what Discord would read as markup but the neutral model means literally: a backslash,
 * ~~strike~~, ||spoiler||, __underline__, and a heading, subtext or quote at the start of a line
 * (an engine's error message may hold any of them).
 */
function escapeLiteral(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/~~/g, '\\~\\~')
    .replace(/\|\|/g, '\\|\\|')
    .replace(/__/g, '\\_\\_')
    .replace(/^(#{1,3} |-# |>{1,3} )/gm, '\\$1');
}

function link(url: string, label: string | undefined): string {
  if (url.startsWith('mailto:')) return escapeLiteral(label || url.slice('mailto:'.length));
  if (!label || label === url) return url;
  return `[${escapeLiteral(label).replace(/[[\]]/g, '\\$&')}](${url.replace(/\)/g, '%29')})`;
}

/**
 * Neutral markup to Discord markdown: *bold* → **bold**, <https://x|label> → [label](https://x);
 * _italic_, `code` and mentions (<@id>, <#id>) are already Discord's. Nothing inside a code span
 * is touched, so snake_case and globs there stay as they are.
 */
export function toDiscordMarkdown(text: string): string {
  const held: string[] = [];
  const hold = (value: string) => `\uE000${held.push(value) - 1}\uE001`;
  const masked = text.replace(MARKUP_TOKEN, (match, url: string | undefined, label: string | undefined) =>
    hold(url === undefined ? match : link(url, label)),
  );
  return escapeLiteral(masked)
    .replace(/(^|[^\w*])\*([^\s*](?:[^*\n]*[^\s*])?)\*(?![\w*])/g, '$1**$2**')
    .replace(HELD, (_, index: string) => held[Number(index)] ?? '');
}

/** Neutral markup as plain text, for an embed footer (Discord shows no markdown there). */
function toPlain(text: string): string {
  return text
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/(^|[^\w*])\*([^\s*](?:[^*\n]*[^\s*])?)\*(?![\w*])/g, '$1$2')
    .replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1$2');
}

// Never cut inside these: a code span, a [label](url) link, a mention.
const UNSPLITTABLE = /`[^`\n]*`|\[(?:\\.|[^\]\n])*\]\([^)\s]*\)|<[^<>\s]+>/g;

/** Markdown in pieces of at most `max` characters (see `cutIndex`). */
export const splitMarkdown = (text: string, max: number): string[] =>
  splitChunks(text, max, { unsplittable: UNSPLITTABLE });

/** Context lines as Discord's small grey subtext. */
const subtext = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) => (line.trim() ? `-# ${line}` : line))
    .join('\n');

const FENCE = (inner: string) => `\`\`\`\n${inner}\n\`\`\``;
const shortenedNote = (left: number, t: Translator) =>
  `\n-# ${t.t('bots.shortened', { left: left.toLocaleString(t.locale) })}`;

/** A code block within `max` characters, fenced; when shortened, a note says how much was left out. */
export function codeBlock(code: string, max: number, t: Translator = translator('en')): string {
  // Three backticks inside the code would end the block early; a zero-width space breaks them up.
  const body = code.replace(/```/g, '`\u200b``').replace(/\n+$/, '');
  if (FENCE(body).length <= max) return FENCE(body);
  // The note's length depends on the number in it; reserve room for the longest. "\n…" is shortenText's.
  const room = max - FENCE('').length - shortenedNote(body.length, t).length - 2;
  const kept = shortenText(body, Math.max(0, room));
  return FENCE(kept.text) + shortenedNote(body.length - kept.shownChars, t);
}

// ---------------------------------------------------------------- buttons

/** The custom_id of a button: its action, behind `ask:` when its click must be confirmed first. */
export function customIdOf(button: Button): string | undefined {
  if (!button.action) return undefined;
  if (button.confirm) {
    const asked = `${ASK_PREFIX}${button.action}`;
    // With the ids of today (slugs like `e-conomic`, 24-character object ids) every confirmed action
    // fits with the prefix. An action of 97–100 characters does not (a systems action allows ids of
    // 80): that button then runs without asking rather than not at all. The renderer test pins it.
    if (asked.length <= DISCORD_LIMITS.customId) return asked;
  }
  return button.action;
}

function buttonComponent(button: Button): APIButtonComponent | undefined {
  const label = shorten(button.label.trim() || '…', DISCORD_LIMITS.buttonLabel);
  if (button.url) {
    // A longer URL is refused with the whole message; a link button is never the only way anywhere.
    if (button.url.length > DISCORD_LIMITS.buttonUrl) return undefined;
    return { type: ComponentType.Button, style: ButtonStyle.Link, label, url: button.url };
  }
  const customId = customIdOf(button);
  if (!customId || customId.length > DISCORD_LIMITS.customId) return undefined;
  const style =
    button.style === 'primary'
      ? ButtonStyle.Primary
      : button.style === 'danger'
        ? ButtonStyle.Danger
        : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, label, custom_id: customId };
}

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

const row = (components: APIButtonComponent[]): ButtonRow => ({ type: ComponentType.ActionRow, components });

/**
 * Each actions block on rows of its own, as the reply groups them; when that takes more than five
 * rows, the buttons are packed five to a row instead. Discord refuses two buttons with one
 * custom_id in a message: a repeat of a button is left out.
 */
function buttonRows(groups: Button[][]): ButtonRow[] {
  const seen = new Set<string>();
  const converted = groups.map((buttons) =>
    buttons.flatMap((button) => {
      const component = buttonComponent(button);
      if (!component) return [];
      const key = 'custom_id' in component ? component.custom_id : `url:${'url' in component ? component.url : ''}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [component];
    }),
  );
  const grouped = converted.flatMap((buttons) => chunk(buttons, DISCORD_LIMITS.buttonsPerRow));
  const rows =
    grouped.length <= DISCORD_LIMITS.actionRows ? grouped : chunk(converted.flat(), DISCORD_LIMITS.buttonsPerRow);
  return rows.map(row);
}

// ---------------------------------------------------------------- layout

interface EmbedDraft {
  title?: string;
  description: string;
  fields: APIEmbedField[];
  footer?: string;
  /** `attachment://<fileName>`: a picture sent with the message as a file. */
  image?: string;
}

interface Layout {
  embeds: EmbedDraft[];
  /** Whether the next block may go on in the last embed; a divider closes it. */
  open: boolean;
  buttons: Button[][];
  /** The reply's language, for the words the renderer adds (a shortened code block). */
  t: Translator;
}

/** The largest code block, fenced, that a description holds. */
const MAX_CODE = DISCORD_LIMITS.description;
/** Code blocks are shortened to these sizes in turn when the message is too long with them whole. */
const CODE_SIZES = [MAX_CODE, 1800, 1000, 600] as const;

function newEmbed(layout: Layout, title?: string): EmbedDraft {
  const embed: EmbedDraft = { description: '', fields: [], ...(title ? { title } : {}) };
  layout.embeds.push(embed);
  layout.open = true;
  return embed;
}

const lastOpen = (layout: Layout): EmbedDraft | undefined => (layout.open ? layout.embeds.at(-1) : undefined);

/** Room left in the description of the current embed for one more piece, or 0 when it takes none. */
function roomIn(layout: Layout, separator: string): number {
  const current = lastOpen(layout);
  if (!current || current.fields.length > 0 || current.footer !== undefined) return 0;
  return DISCORD_LIMITS.description - current.description.length - (current.description ? separator.length : 0);
}

/** Less room than this in the current embed is not worth filling with the beginning of a long text. */
const MIN_FILL = 200;

/**
 * Adds to the description of the current embed, or of new ones when it is full or shows fields.
 * A long text fills what is left of the current embed and goes on in the next; a code block is
 * never split (its fence would break): it goes whole into the next embed.
 */
function addDescription(layout: Layout, markdown: string, separator: string, splittable = true): void {
  const room = roomIn(layout, separator);
  let rest = markdown;
  if (rest.length <= room || (splittable && room >= MIN_FILL)) {
    const current = layout.embeds.at(-1)!;
    const cut = cutIndex(rest, room, { unsplittable: UNSPLITTABLE });
    const piece = cut >= rest.length ? rest : rest.slice(0, cut).trimEnd();
    if (piece.trim()) current.description = current.description ? `${current.description}${separator}${piece}` : piece;
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  for (const piece of splitMarkdown(rest, DISCORD_LIMITS.description)) newEmbed(layout).description = piece;
}

/**
 * A code block at most `size` long. One that is shortened anyway is shortened to what the current
 * embed has left, when that is a fair amount, rather than taking an embed of its own.
 */
function fittedCode(layout: Layout, code: string, size: number): string {
  const fenced = codeBlock(code, size, layout.t);
  const room = roomIn(layout, '\n');
  const shortened = fenced.length < codeBlock(code, Number.MAX_SAFE_INTEGER, layout.t).length;
  return shortened && room < fenced.length && room >= Math.min(size, 1000) ? codeBlock(code, room, layout.t) : fenced;
}

function place(layout: Layout, block: Block, codeSize: number): void {
  switch (block.type) {
    case 'header': {
      const title = block.text.trim();
      if (title) newEmbed(layout, shorten(title, DISCORD_LIMITS.title));
      return;
    }
    case 'text':
      if (block.text.trim()) addDescription(layout, toDiscordMarkdown(block.text), '\n\n');
      return;
    case 'context': {
      if (!block.text.trim()) return;
      const current = lastOpen(layout);
      // Right under fields the footer keeps the order; it shows no markdown, so not for links or mentions.
      if (current && current.fields.length > 0 && current.footer === undefined && !block.text.includes('<')) {
        current.footer = shorten(toPlain(block.text), DISCORD_LIMITS.footer);
        return;
      }
      addDescription(layout, subtext(toDiscordMarkdown(block.text)), '\n');
      return;
    }
    case 'code':
      if (block.text.trim()) addDescription(layout, fittedCode(layout, block.text, codeSize), '\n', false);
      return;
    case 'fields':
      for (const { label, value } of block.fields) {
        const current = lastOpen(layout);
        const embed =
          current && current.fields.length < DISCORD_LIMITS.fieldsPerEmbed && current.footer === undefined
            ? current
            : newEmbed(layout);
        embed.fields.push({
          name: shorten(toDiscordMarkdown(label.trim() || '—'), DISCORD_LIMITS.fieldName),
          value: shorten(toDiscordMarkdown(value.trim() || '—'), DISCORD_LIMITS.fieldValue),
          inline: true,
        });
      }
      return;
    case 'divider':
      layout.open = false;
      return;
    case 'image': {
      // One picture per embed, shown under its text and fields: into the embed being filled when
      // it has none yet, else an embed of its own.
      const current = lastOpen(layout);
      const embed = current && current.image === undefined ? current : newEmbed(layout);
      embed.image = `attachment://${attachmentName(block.image.fileName)}`;
      return;
    }
    case 'actions':
      layout.buttons.push(block.buttons);
      return;
  }
}

function lay(blocks: readonly Block[], codeSize: number, t: Translator): Layout {
  const layout: Layout = { embeds: [], open: false, buttons: [], t };
  for (const block of blocks) place(layout, block, codeSize);
  return layout;
}

const embedChars = (embed: EmbedDraft) =>
  (embed.title?.length ?? 0) +
  embed.description.length +
  embed.fields.reduce((total, field) => total + field.name.length + field.value.length, 0) +
  (embed.footer?.length ?? 0);

/** Within every limit of one message, with `reserve` characters kept free for a note. */
function fits(layout: Layout, reserve = 0): boolean {
  const chars = layout.embeds.reduce((total, embed) => total + embedChars(embed), 0);
  return (
    layout.embeds.length <= DISCORD_LIMITS.embeds &&
    chars + reserve <= DISCORD_LIMITS.embedTotal &&
    buttonRows(layout.buttons).length <= DISCORD_LIMITS.actionRows
  );
}

// ---------------------------------------------------------------- cutting

const cutNote = (t: Translator) => t.t('bots.discord.listContinues');

/** The largest beginning of a text, code, fields or actions block for which `fitsWith` holds, if any. */
function shrink(block: Block, fitsWith: (candidate: Block) => boolean): Block | undefined {
  const largest = (total: number, make: (size: number) => Block, least: number): Block | undefined => {
    let [low, high] = [least, total - 1];
    let best: Block | undefined;
    while (low <= high) {
      const size = Math.floor((low + high) / 2);
      const candidate = make(size);
      if (fitsWith(candidate)) {
        best = candidate;
        low = size + 1;
      } else high = size - 1;
    }
    return best;
  };
  switch (block.type) {
    case 'text':
    case 'context':
    case 'code':
      // Too little of a text is no help: then the cut goes before it.
      return largest(block.text.length, (size) => ({ ...block, text: shortenText(block.text, size).text }), 80);
    case 'fields':
      return largest(block.fields.length, (size) => ({ ...block, fields: block.fields.slice(0, size) }), 1);
    case 'actions':
      return largest(block.buttons.length, (size) => ({ ...block, buttons: block.buttons.slice(0, size) }), 1);
    default:
      return undefined;
  }
}

/**
 * Keeps the reply's beginning that fits one message, with room for a note that it continues. It
 * cuts at a clean point: a too-long text or fields block is shortened, but the message does not end
 * on a header or divider, nor on a text whose buttons were cut.
 */
function cut(blocks: readonly Block[], t: Translator): Layout {
  const reserve = cutNote(t).length + 1;
  const fitting = (candidate: readonly Block[]) => fits(lay(candidate, MAX_CODE, t), reserve);
  // Each block only adds embeds, characters and buttons, so the longest beginning that fits is
  // found by halving.
  let [count, tooMany] = [0, blocks.length];
  while (count + 1 < tooMany) {
    const middle = Math.floor((count + tooMany) / 2);
    if (fitting(blocks.slice(0, middle))) count = middle;
    else tooMany = middle;
  }
  let kept = blocks.slice(0, count);
  const next = blocks[count];
  const partial = next && shrink(next, (candidate) => fitting([...kept, candidate]));
  if (partial) kept = [...kept, partial];
  const whole = kept;
  for (;;) {
    const index = kept.length - 1;
    const last = kept[index];
    if (!last) break;
    const buttonsCut = last.type !== 'actions' && blocks[index + 1]?.type === 'actions' && kept.length > 1;
    if (last.type !== 'header' && last.type !== 'divider' && !buttonsCut) break;
    kept = kept.slice(0, index);
  }
  // Showing a beginning without its buttons still beats showing only the note.
  if (!kept.some((block) => block.type !== 'header' && block.type !== 'divider')) kept = whole;
  return lay(kept, MAX_CODE, t);
}

// ---------------------------------------------------------------- messages

function toEmbed(draft: EmbedDraft): APIEmbed {
  return {
    ...(draft.title ? { title: draft.title } : {}),
    ...(draft.description ? { description: draft.description } : {}),
    ...(draft.fields.length > 0 ? { fields: draft.fields } : {}),
    ...(draft.footer ? { footer: { text: draft.footer } } : {}),
    ...(draft.image ? { image: { url: draft.image } } : {}),
    color: EMBED_COLOR,
  };
}

function message(reply: Reply, layout: Layout, wasCut: boolean): DiscordMessage {
  if (wasCut) {
    const last = layout.embeds.at(-1) ?? newEmbed(layout);
    const note = cutNote(layout.t);
    last.footer = shorten(last.footer ? `${last.footer}\n${note}` : note, DISCORD_LIMITS.footer);
  }
  const embeds = layout.embeds
    .filter((draft) => draft.title || draft.description || draft.fields.length > 0 || draft.footer || draft.image)
    .map(toEmbed);
  const shown = new Set(embeds.flatMap((embed) => (embed.image ? [embed.image.url] : [])));
  const attachments = imagesOf(reply)
    .filter((image) => shown.has(`attachment://${attachmentName(image.fileName)}`))
    .map((image, id) => ({
      id,
      filename: attachmentName(image.fileName),
      description: shorten(image.alt, DISCORD_LIMITS.attachmentDescription),
    }));
  return {
    ...(embeds.length === 0
      ? { content: shorten(toDiscordMarkdown(reply.fallback.trim() || '…'), DISCORD_LIMITS.content) }
      : {}),
    embeds,
    components: buttonRows(layout.buttons),
    ...(reply.visibility === 'ephemeral' ? { flags: EPHEMERAL } : {}),
    allowed_mentions: NO_PINGS,
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

const imagesOf = (reply: Reply) => reply.blocks.flatMap((block) => (block.type === 'image' ? [block.image] : []));

/** Discord refers to an attachment by its file name: one without spaces or odd characters. */
const attachmentName = (fileName: string) => fileName.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * The files a rendered message refers to (its `attachments`, in their order), for the multipart
 * request that sends it: `files[n]` beside `payload_json`.
 */
export function discordFiles(reply: Reply, message: Pick<DiscordMessage, 'attachments'>): DiscordFile[] {
  const images = new Map(imagesOf(reply).map((image) => [attachmentName(image.fileName), image]));
  return (message.attachments ?? []).flatMap((attachment) => {
    const image = images.get(attachment.filename);
    return image ? [{ name: attachment.filename, data: image.png, contentType: 'image/png' }] : [];
  });
}

/**
 * A reply as one Discord message. When it is too long, its code blocks are shortened first (each
 * says so); when it still is, it is cut with a note that the list continues. Whether it replaces
 * the message of a clicked button is the caller's choice, from `reply.replaceOriginal`.
 */
export function renderDiscordMessage(reply: Reply): DiscordMessage {
  // The renderer's own words go in the reply's language.
  const t = translator(reply.language ?? 'en');
  for (const size of CODE_SIZES) {
    const layout = lay(reply.blocks, size, t);
    if (fits(layout)) return message(reply, layout, false);
  }
  return message(reply, cut(reply.blocks, t), true);
}

// ---------------------------------------------------------------- confirmations

/** What a click on an `ask:` button reports; `action` is the encoded action to run (see actions.ts). */
export type ParsedCustomId = { kind: 'ask'; action: string } | { kind: 'action'; action: string } | { kind: 'cancel' };

export function parseCustomId(customId: string): ParsedCustomId {
  if (customId === CANCEL_ID) return { kind: 'cancel' };
  if (customId.startsWith(ASK_PREFIX)) return { kind: 'ask', action: customId.slice(ASK_PREFIX.length) };
  return { kind: 'action', action: customId };
}

/**
 * The clicked `ask:` button as a neutral button, read back from the message it sits on (its label
 * and style; the custom_id carries the action). The confirmation texts of the reply do not travel
 * with a Discord button, so `renderConfirmation` words one from the label.
 */
export function askedButton(
  customId: string,
  components: readonly APIMessageTopLevelComponent[] = [],
  t: Translator = translator('en'),
): Button {
  const parsed = parseCustomId(customId);
  const action = parsed.kind === 'cancel' ? '' : parsed.action;
  const found = components
    .flatMap((component) => (component.type === ComponentType.ActionRow ? component.components : []))
    .find(
      (component): component is APIButtonComponentWithCustomId =>
        component.type === ComponentType.Button && 'custom_id' in component && component.custom_id === customId,
    );
  const style =
    found?.style === ButtonStyle.Danger ? 'danger' : found?.style === ButtonStyle.Primary ? 'primary' : undefined;
  return { label: found?.label ?? t.t('bots.discord.goAhead'), action, ...(style ? { style } : {}) };
}

function confirmOf(button: Button, t: Translator): Confirm {
  return (
    button.confirm ?? {
      title: `${button.label}?`,
      text: t.t('bots.discord.confirmText'),
      confirm: button.label,
      deny: t.t('common.cancel'),
    }
  );
}

/**
 * Discord has no confirmation dialog on buttons: a click on an `ask:` button is answered with this
 * message, only for the clicker, whose confirm button runs the action and whose deny button is
 * `cancel`.
 */
export function renderConfirmation(button: Button, t: Translator = translator('en')): DiscordMessage {
  if (!button.action) throw new Error(`button "${button.label}" has no action to confirm`);
  const confirm = confirmOf(button, t);
  const go: APIButtonComponent = {
    type: ComponentType.Button,
    style: button.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Primary,
    label: shorten(confirm.confirm, DISCORD_LIMITS.buttonLabel),
    custom_id: button.action,
  };
  const deny: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: shorten(confirm.deny, DISCORD_LIMITS.buttonLabel),
    custom_id: CANCEL_ID,
  };
  return {
    embeds: [
      {
        title: shorten(confirm.title, DISCORD_LIMITS.title),
        description: shorten(toDiscordMarkdown(confirm.text), DISCORD_LIMITS.description),
        color: EMBED_COLOR,
      },
    ],
    components: [row([go, deny])],
    flags: EPHEMERAL,
    allowed_mentions: NO_PINGS,
  };
}

/** What the confirmation becomes when its deny button is clicked (an update of that message). */
export function renderCancelled(t: Translator = translator('en')): DiscordMessage {
  return { content: t.t('bots.discord.cancelled'), embeds: [], components: [], allowed_mentions: NO_PINGS };
}
