import type { Block, Reply } from './reply';
import { markupToPlain } from './markup';
import { chatButtonsLine, type RenderOptions } from './render-html';

/**
 * The neutral reply model as the plain-text part of a mail. Not the console's renderText
 * (src/commands/render-text.ts): that numbers every button for typing its number, and reads
 * italics inside URLs, which would eat the underscores of a signed link.
 */
const WIDTH = 60;

function blockText(block: Block, options: RenderOptions): string {
  switch (block.type) {
    case 'header': {
      const title = markupToPlain(block.text).trim();
      return `${title}\n${'='.repeat(Math.min(WIDTH, title.length))}`;
    }
    case 'text':
    case 'context':
      return markupToPlain(block.text);
    case 'fields':
      return block.fields
        .map(({ label, value }) => `${markupToPlain(label)}: ${markupToPlain(value || '—')}`)
        .join('\n');
    case 'divider':
      return '-'.repeat(WIDTH);
    case 'code':
      return block.text
        .replace(/\n+$/, '')
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n');
    case 'actions': {
      const links = block.buttons.flatMap((button) => (button.url ? [`${button.label}: ${button.url}`] : []));
      const line = options.chatButtons === 'list' ? chatButtonsLine(block.buttons) : undefined;
      return [...links, ...(line ? [line] : [])].join('\n');
    }
  }
}

/** A reply as plain text, its blocks apart by blank lines; its fallback when it has none. */
export function renderReplyPlain(reply: Reply, options: RenderOptions = {}): string {
  const parts = reply.blocks.map((block) => blockText(block, options)).filter((part) => part.trim() !== '');
  return (parts.length > 0 ? parts : [markupToPlain(reply.fallback)]).join('\n\n');
}
