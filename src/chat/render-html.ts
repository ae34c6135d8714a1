import { translator, type Translator } from '../i18n';
import type { Block, Button, Reply } from './reply';
import { escapeHtml, markupToHtml } from './markup';

/**
 * The neutral reply model as HTML, for e-mails and the read-only pages behind signed links.
 * Everything from the reply is escaped. Link buttons become links; buttons that run a chat action
 * cannot work outside chat, so they are left out, or (mail) named in one line so the reader knows
 * where to find them.
 */
export interface RenderOptions {
  chatButtons?: 'omit' | 'list';
  /** The language of what the renderer adds itself (the line naming chat buttons); English unless given. */
  t?: Translator;
}

/** Chat actions are only reachable in chat; this line says which, e.g. "In Slack or Discord: Retry · Mute 1 h". */
export function chatButtonsLine(buttons: readonly Button[], t: Translator = translator('en')): string | undefined {
  const labels = buttons.filter((button) => !button.url).map((button) => button.label);
  return labels.length > 0 ? t.t('mail.chatButtons', { labels: labels.join(' · ') }) : undefined;
}

function buttonsHtml(buttons: readonly Button[], chatButtons: RenderOptions['chatButtons'], t?: Translator): string {
  const links = buttons
    .filter((button): button is Button & { url: string } => Boolean(button.url) && /^https?:\/\//i.test(button.url!))
    .map((button) => `<a class="button" href="${escapeHtml(button.url)}">${escapeHtml(button.label)}</a>`);
  const line = chatButtons === 'list' ? chatButtonsLine(buttons, t) : undefined;
  return [
    links.length > 0 ? `<p class="buttons">${links.join(' ')}</p>` : '',
    line ? `<p class="context">${escapeHtml(line)}</p>` : '',
  ].join('');
}

function blockHtml(block: Block, first: boolean, options: RenderOptions): string {
  switch (block.type) {
    case 'header':
      return first ? `<h1>${markupToHtml(block.text)}</h1>` : `<h2>${markupToHtml(block.text)}</h2>`;
    case 'text':
      return `<p>${markupToHtml(block.text)}</p>`;
    case 'fields':
      return `<table class="fields">${block.fields
        .map(({ label, value }) => `<tr><th>${markupToHtml(label)}</th><td>${markupToHtml(value || '—')}</td></tr>`)
        .join('')}</table>`;
    case 'divider':
      return '<hr>';
    case 'context':
      return `<p class="context">${markupToHtml(block.text)}</p>`;
    case 'code':
      return `<pre><code>${escapeHtml(block.text.replace(/\n+$/, ''))}</code></pre>`;
    case 'actions':
      return buttonsHtml(block.buttons, options.chatButtons ?? 'omit', options.t);
    case 'image':
      return block.image.svg
        ? `<figure role="img" aria-label="${escapeHtml(block.image.alt)}">${block.image.svg}</figure>`
        : `<img src="data:image/png;base64,${block.image.png.toString('base64')}" alt="${escapeHtml(block.image.alt)}" width="${block.image.width}" height="${block.image.height}" style="max-width:100%;height:auto">`;
  }
}

/** A reply's blocks as an HTML fragment; its fallback when it has none. */
export function renderReplyHtml(reply: Reply, options: RenderOptions = {}): string {
  const firstHeader = reply.blocks.findIndex((block) => block.type === 'header');
  const parts = reply.blocks
    .map((block, index) => blockHtml(block, index === firstHeader, options))
    .filter((part) => part !== '');
  return (parts.length > 0 ? parts : [`<p>${markupToHtml(reply.fallback)}</p>`]).join('\n');
}

const STYLE = `
body { margin: 0; padding: 24px 16px; background: #f5f6f8; color: #1d1f23;
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 760px; margin: 0 auto; background: #fff; border: 1px solid #dde0e5; border-radius: 8px; padding: 20px 24px; }
h1 { font-size: 20px; margin: 0 0 12px; } h2 { font-size: 17px; margin: 16px 0 8px; }
p { margin: 8px 0; } hr { border: 0; border-top: 1px solid #e3e5e8; margin: 16px 0; }
.context { color: #616770; font-size: 13px; }
table.fields { border-collapse: collapse; margin: 8px 0; }
table.fields th { text-align: left; font-weight: 600; padding: 2px 16px 2px 0; vertical-align: top; white-space: nowrap; }
table.fields td { padding: 2px 0; }
pre { background: #f2f3f5; border-radius: 6px; padding: 10px 12px; overflow-x: auto; font-size: 13px; white-space: pre-wrap; word-break: break-word; }
code { font-family: SFMono-Regular, Menlo, Consolas, monospace; }
a.button { display: inline-block; background: #2f6fde; color: #fff; text-decoration: none; border-radius: 6px; padding: 8px 14px; margin: 4px 8px 4px 0; font-weight: 600; }
footer { max-width: 760px; margin: 12px auto 0; color: #616770; font-size: 12px; }
`;

/** A whole HTML document around a fragment; `footer` is plain text. Styles are inline: no external request. */
export function htmlDocument({
  title,
  body,
  footer,
  lang = 'en',
}: {
  title: string;
  body: string;
  footer?: string;
  /** The page's language (`da`, `en`): screen readers pronounce by it. */
  lang?: string;
}): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<main>\n${body}\n</main>`,
    footer ? `<footer>${markupToHtml(footer)}</footer>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
