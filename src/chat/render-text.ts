import { translator, type Translator } from '../i18n';
import { markupToPlain } from './markup';
import { chatButtonsLine } from './render-html';
import type { Block, Button, Reply } from './reply';

/**
 * The neutral reply model as plain text: the console (`npm run console`) and the text part of a
 * mail render with it. They differ only in what buttons become — the console numbers every button,
 * "[1] Retry", across the whole reply in the order of `replyButtons`, so the person can type the
 * number; a mail cannot press a button, so it keeps link buttons as "Label: url" and may name the
 * chat-only ones in one line — and in the spacing a terminal and a mail reader want.
 */
export interface TextOptions {
  /** 'numbered' (console, the default) or 'links' (mail). */
  buttons?: 'numbered' | 'links';
  /** With 'links': 'list' names the buttons that only work in chat ("In Slack or Discord: Retry"). */
  chatButtons?: 'omit' | 'list';
  /** ANSI bold and dim, for a terminal; off for pipes, files and mails. */
  color?: boolean;
  /** Width of dividers and header underlines. */
  width?: number;
  /** A blank line between blocks (mail) rather than none (terminal). */
  spaced?: boolean;
  /** The language of what the renderer adds itself (the line naming chat buttons); else the reply's, else English. */
  t?: Translator;
}

const ANSI = { bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' };

/** Every button of a reply, in the order `renderText` numbers them (from 1). */
export function replyButtons(reply: Reply): Button[] {
  return reply.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));
}

/**
 * Neutral markup to text: links become "label (url)", mentions "@id" / "#id", *bold* is kept bold
 * (or loses its stars without color), _italic_ loses its underscores; `code` is left as it is.
 */
export function markupToText(input: string, color = false): string {
  return markupToPlain(input, color ? (inner) => `${ANSI.bold}${inner}${ANSI.reset}` : undefined);
}

function numberedButtons(buttons: Button[], first: number, color: boolean, t: Translator): string {
  return buttons
    .map((button, index) => {
      const target = button.url ? ` → ${button.url}` : button.confirm ? ` (${t.t('bots.console.asksFirst')})` : '';
      const number = `[${first + index}]`;
      return `${color ? `${ANSI.bold}${number}${ANSI.reset}` : number} ${button.label}${target}`;
    })
    .join('   ');
}

function linkButtons(buttons: Button[], chatButtons: TextOptions['chatButtons'], t?: Translator): string {
  const links = buttons.flatMap((button) => (button.url ? [`${button.label}: ${button.url}`] : []));
  const line = chatButtons === 'list' ? chatButtonsLine(buttons, t) : undefined;
  return [...links, ...(line ? [line] : [])].join('\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** A reply as plain text; its fallback when it has no blocks. */
export function renderText(reply: Reply, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? 60;
  const dim = (text: string) => (color ? `${ANSI.dim}${text}${ANSI.reset}` : text);
  let nextButton = 1;
  const render = (block: Block): string => {
    switch (block.type) {
      case 'header': {
        const title = markupToPlain(block.text).trim();
        return color ? `${ANSI.bold}${title}${ANSI.reset}` : `${title}\n${'='.repeat(Math.min(width, title.length))}`;
      }
      case 'text':
        return markupToText(block.text, color);
      case 'fields':
        return block.fields
          .map(({ label, value }) => `${markupToText(label, color)}: ${markupToText(value || '—', color)}`)
          .join('\n');
      case 'divider':
        return dim('─'.repeat(width));
      case 'context':
        return dim(markupToText(block.text, false));
      case 'code':
        return indent(block.text.replace(/\n+$/, ''), '    ');
      case 'actions': {
        if (options.buttons === 'links') return linkButtons(block.buttons, options.chatButtons, options.t);
        const line = numberedButtons(block.buttons, nextButton, color, options.t ?? translator(reply.language ?? 'en'));
        nextButton += block.buttons.length;
        return line;
      }
      case 'image':
        return dim(`[${block.image.alt}]`);
    }
  };
  const parts = reply.blocks.map(render).filter((part) => part.trim() !== '');
  return (parts.length > 0 ? parts : [markupToText(reply.fallback, color)]).join(options.spaced ? '\n\n' : '\n');
}
