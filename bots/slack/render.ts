import { shorten, splitChunks } from '../../src/chat/text';
import type { types } from '@slack/bolt';
import type { Block, Button, Confirm, Reply } from '../../src/chat/reply';
import { translator, type Translator } from '../../src/i18n';

/**
 * The neutral reply model (src/commands/reply.ts) as Block Kit. Pure: no I/O, so golden-JSON tests
 * pin what Slack receives. This file owns Slack's limits; commands page their lists, and what
 * still does not fit is split or shortened here rather than refused by Slack.
 */

export type SlackBlock = types.KnownBlock;

export const SLACK_LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  /** An image block's image_url and alt_text. */
  imageUrl: 3000,
  imageAltText: 2000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  contextText: 3000,
  elementsPerActions: 25,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Slack cuts a message's `text` at 40 000 characters; notifications show far less. */
  fallbackText: 3000,
} as const;

/** The prefix of every button's action_id; the encoded action travels in the button's value. */
export const ACTION_ID_PREFIX = 'iex:';

export interface RenderedMessage {
  /** Shown in notifications and by clients that cannot show blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** What goes to a response_url (Bolt's `respond`). */
export interface RenderedResponse extends RenderedMessage {
  response_type: Reply['visibility'];
  replace_original: boolean;
}

// Slack's own link, mention and date syntax: kept as it is, everything else is escaped.
const CONTROL_SEQUENCE = /<(?:(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>]*)?|[@#!][^\s<>]*)>/g;

/**
 * Neutral markup to Slack mrkdwn. *bold*, _italic_, `code` and <url|label> are already Slack's;
 * what remains is escaping &, < and > outside links, as Slack requires (a connection label like
 * "Shopify > e-conomic" would otherwise start a quote at the beginning of a line).
 */
export function toMrkdwn(text: string): string {
  let result = '';
  let last = 0;
  for (const match of text.matchAll(CONTROL_SEQUENCE)) {
    result += escape(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + escape(text.slice(last));
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Never cut inside a <link|label> or mention, or an escape (&amp;). */
const MRKDWN_UNSPLITTABLE = /<[^<>]*>|&[#\w]+;/g;

/** Splits mrkdwn into pieces of at most `max` characters (see `cutIndex`). */
export const splitMrkdwn = (text: string, max: number): string[] =>
  splitChunks(text, max, { unsplittable: MRKDWN_UNSPLITTABLE });

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

const plain = (text: string, max: number): types.PlainTextElement => ({
  type: 'plain_text',
  text: shorten(text, max),
  emoji: true,
});
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });

/** A code block shortened to one section, saying how much was left out. */
function codeSection(code: string, t: Translator): SlackBlock {
  // Three backticks inside the code would end the block early; a zero-width space breaks them up.
  const body = escape(code.replace(/```/g, '`\u200b``')).replace(/\n+$/, '');
  const fence = (inner: string) => `\`\`\`\n${inner}\n\`\`\``;
  if (fence(body).length <= SLACK_LIMITS.sectionText) return section(fence(body));
  const note = (left: number) => `\n_${t.t('bots.shortened', { left: String(left) })}_`;
  // The note's own length depends on the number in it; reserve room for the longest.
  const room = SLACK_LIMITS.sectionText - fence('').length - note(body.length).length - 1;
  let kept = body.slice(0, room);
  const lastLine = kept.lastIndexOf('\n');
  if (lastLine > room / 2) kept = kept.slice(0, lastLine);
  const open = kept.lastIndexOf('&');
  if (open >= 0 && !kept.slice(open).includes(';')) kept = kept.slice(0, open);
  return section(`${fence(`${kept}\n…`)}${note(body.length - kept.length)}`);
}

function confirmDialog(confirm: Confirm, style: Button['style']): types.ConfirmationDialog {
  return {
    title: plain(confirm.title, SLACK_LIMITS.confirmTitle),
    text: plain(confirm.text, SLACK_LIMITS.confirmText),
    confirm: plain(confirm.confirm, SLACK_LIMITS.confirmButton),
    deny: plain(confirm.deny, SLACK_LIMITS.confirmButton),
    ...(style === 'danger' ? { style: 'danger' as const } : {}),
  };
}

function buttonElement(button: Button, index: number): types.Button {
  if (button.action && button.action.length > SLACK_LIMITS.buttonValue) {
    throw new Error(
      `button "${button.label}" carries ${button.action.length} characters; Slack takes ${SLACK_LIMITS.buttonValue}`,
    );
  }
  return {
    type: 'button',
    // Unique within the message; Slack also sends clicks on link buttons, which the bot just acknowledges.
    action_id: `${ACTION_ID_PREFIX}${index}`,
    text: plain(button.label, SLACK_LIMITS.buttonText),
    ...(button.action ? { value: button.action } : {}),
    ...(button.url ? { url: shorten(button.url, SLACK_LIMITS.buttonUrl) } : {}),
    ...(button.style ? { style: button.style } : {}),
    ...(button.confirm ? { confirm: confirmDialog(button.confirm, button.style) } : {}),
  };
}

/** One neutral block as the Slack blocks it takes (long text and many fields or buttons take several). */
function renderBlock(block: Block, nextButton: () => number, t: Translator): SlackBlock[] {
  switch (block.type) {
    case 'header': {
      const text = block.text.trim();
      return text ? [{ type: 'header', text: plain(text, SLACK_LIMITS.headerText) }] : [];
    }
    case 'text':
      return splitMrkdwn(toMrkdwn(block.text), SLACK_LIMITS.sectionText).map(section);
    case 'fields':
      return chunk(block.fields, SLACK_LIMITS.fieldsPerSection).map((fields) => ({
        type: 'section',
        fields: fields.map(({ label, value }) =>
          mrkdwn(shorten(`*${toMrkdwn(label)}*\n${toMrkdwn(value || '—')}`, SLACK_LIMITS.fieldText)),
        ),
      }));
    case 'divider':
      return [{ type: 'divider' }];
    case 'image':
      // With a signed link the picture shows inline (also in ephemeral replies and the App Home).
      // Without one it is uploaded as a file (bots/slack/pictures.ts), and the message says in words
      // what it shows, numbers included.
      return block.image.url && block.image.url.length <= SLACK_LIMITS.imageUrl
        ? [
            {
              type: 'image',
              image_url: block.image.url,
              alt_text: shorten(block.image.alt, SLACK_LIMITS.imageAltText),
            },
          ]
        : [{ type: 'context', elements: [mrkdwn(shorten(block.image.alt, SLACK_LIMITS.sectionText))] }];
    case 'context':
      return chunk(splitMrkdwn(toMrkdwn(block.text), SLACK_LIMITS.contextText), SLACK_LIMITS.contextElements).map(
        (pieces) => ({ type: 'context', elements: pieces.map(mrkdwn) }),
      );
    case 'code':
      return block.text.trim() ? [codeSection(block.text, t)] : [];
    case 'actions':
      return chunk(block.buttons, SLACK_LIMITS.elementsPerActions).map((buttons) => ({
        type: 'actions',
        elements: buttons.map((button) => buttonElement(button, nextButton())),
      }));
  }
}

/**
 * Keeps whole neutral blocks while they fit in `max` blocks, one place kept for a note that the
 * list continues. It cuts at a clean point: not after a header or divider, and not between a text
 * and the buttons that belong to it.
 */
function fit(groups: SlackBlock[][], source: Block[], max: number, t: Translator): SlackBlock[] {
  if (groups.reduce((total, group) => total + group.length, 0) <= max) return groups.flat();
  const budget = max - 1;
  const kept: SlackBlock[][] = [];
  let used = 0;
  for (const group of groups) {
    if (used + group.length > budget) {
      // A text longer than the whole budget still shows its beginning.
      if (kept.length === 0) kept.push(group.slice(0, budget));
      break;
    }
    kept.push(group);
    used += group.length;
  }
  const dangling = () => {
    const index = kept.length - 1;
    const last = kept[index];
    if (!last || last.length === 0) return index >= 0;
    const type = source[index]?.type;
    if (type === 'header' || type === 'divider') return true;
    return type !== 'actions' && source[index + 1]?.type === 'actions' && kept.length > 1;
  };
  while (kept.length > 0 && dangling()) kept.pop();
  return [
    ...kept.flat(),
    {
      type: 'context',
      elements: [mrkdwn(`_${t.t('bots.slack.listContinues', { max })}_`)],
    },
  ];
}

function renderBlocks(reply: Reply, max: number): SlackBlock[] {
  let buttons = 0;
  // The adapter's own words go in the reply's language.
  const t = translator(reply.language ?? 'en');
  const groups = reply.blocks.map((block) => renderBlock(block, () => buttons++, t));
  return fit(groups, reply.blocks, max, t);
}

/** A reply as a message: blocks within 50, and the fallback text for notifications. */
export function renderMessage(reply: Reply): RenderedMessage {
  return {
    text: shorten(toMrkdwn(reply.fallback), SLACK_LIMITS.fallbackText),
    blocks: renderBlocks(reply, SLACK_LIMITS.messageBlocks),
  };
}

/**
 * A reply to a slash command or a button, for its response_url: only the caller sees it unless
 * it says in_channel; a button's reply replaces the message that held the button when it says so.
 */
export function renderResponse(reply: Reply): RenderedResponse {
  return {
    ...renderMessage(withUploadNotes(reply)),
    response_type: reply.visibility,
    replace_original: reply.replaceOriginal === true,
  };
}

/**
 * A picture without a link is uploaded after the answer (bots/slack/pictures.ts): the answer says
 * where it will be, since an ephemeral answer's picture goes to the caller's messages with the app.
 */
function withUploadNotes(reply: Reply): Reply {
  if (!reply.blocks.some((block) => block.type === 'image' && !block.image.url)) return reply;
  const t = translator(reply.language ?? 'en');
  const note = t.t(reply.visibility === 'in_channel' ? 'bots.slack.pictureHere' : 'bots.slack.pictureInMessages');
  return {
    ...reply,
    blocks: reply.blocks.flatMap((block) =>
      block.type === 'image' && !block.image.url ? [block, { type: 'context' as const, text: `_${note}_` }] : [block],
    ),
  };
}

/** A reply as the App Home tab (100 blocks), under a header when the reply has none. */
export function renderHomeView(reply: Reply, title = 'IEX ChatOps'): types.HomeView {
  const blocks =
    reply.blocks[0]?.type === 'header' ? reply.blocks : [{ type: 'header' as const, text: title }, ...reply.blocks];
  return { type: 'home', blocks: renderBlocks({ ...reply, blocks }, SLACK_LIMITS.homeBlocks) };
}
