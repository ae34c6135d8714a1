import { markupToPlain } from './markup';
import type { Block, Button, Reply } from './reply';

/**
 * The neutral reply model as plain terminal text, for the console (`npm run console`). Buttons
 * become numbered choices, "[1] Retry", numbered across the whole reply in the order of
 * `replyButtons`, so the person can type the number to press one.
 */

export interface TextOptions {
  /** ANSI bold and dim, for a terminal; off for pipes and files. */
  color?: boolean;
  /** Width of dividers. */
  width?: number;
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

function buttonLine(buttons: Button[], first: number, color: boolean): string {
  return buttons
    .map((button, index) => {
      const target = button.url ? ` → ${button.url}` : button.confirm ? ' (asks first)' : '';
      const number = `[${first + index}]`;
      return `${color ? `${ANSI.bold}${number}${ANSI.reset}` : number} ${button.label}${target}`;
    })
    .join('   ');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** A reply as lines for a terminal. */
export function renderText(reply: Reply, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? 60;
  const dim = (text: string) => (color ? `${ANSI.dim}${text}${ANSI.reset}` : text);
  const lines: string[] = [];
  let nextButton = 1;
  const render = (block: Block): string => {
    switch (block.type) {
      case 'header': {
        const title = block.text.trim();
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
        const line = buttonLine(block.buttons, nextButton, color);
        nextButton += block.buttons.length;
        return line;
      }
    }
  };
  for (const block of reply.blocks) {
    const rendered = render(block);
    if (rendered.trim()) lines.push(rendered);
  }
  if (lines.length === 0) lines.push(markupToText(reply.fallback, color));
  return lines.join('\n');
}
