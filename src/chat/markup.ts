/**
 * The neutral reply markup (src/commands/reply.ts: *bold*, _italic_, `code`, <url|label>, <@user>,
 * <#channel>) for media outside chat: HTML (escaped) and plain text (mail bodies).
 *
 * Links and mentions are taken out before bold and italic are read, so the underscores of a URL
 * (a base64url signature has them) are never read as italics; code spans are left as they are.
 */

export interface MarkupOutput {
  /** Plain characters: escaped for HTML, as they are for text. */
  text(value: string): string;
  code(value: string): string;
  link(url: string, label: string): string;
  /** A person or channel, as "@name" or "#name". */
  mention(value: string): string;
  bold(inner: string): string;
  italic(inner: string): string;
}

const CODE_SPAN = /(`[^`\n]*`)/;
const CONTROL =
  /<((?:https?:\/\/|mailto:)[^\s<>|]+)(?:\|([^<>]*))?>|<([@#])!?([A-Za-z0-9]+)(?:\|([^<>]*))?>|<!(here|channel|everyone)(?:\|[^<>]*)?>/g;
// A placeholder for a taken-out link; NUL cannot be typed into chat, and is stripped from input.
const HOLE = /\u0000(\d+)\u0000/g;

export function renderMarkup(input: string, out: MarkupOutput): string {
  return input
    .replace(/\u0000/g, '')
    .split(CODE_SPAN)
    .map((part, index) => {
      if (index % 2 === 1) return out.code(part.slice(1, -1));
      const holes: string[] = [];
      const hole = (rendered: string) => `\u0000${holes.push(rendered) - 1}\u0000`;
      const marked = part.replace(
        CONTROL,
        (_, url?: string, label?: string, sigil?: string, id?: string, name?: string, everyone?: string) => {
          if (url) {
            const shown = url.replace(/^mailto:/, '');
            return hole(out.link(url, label?.trim() || shown));
          }
          if (everyone) return hole(out.mention(`@${everyone}`));
          return hole(out.mention(`${sigil}${name || id}`));
        },
      );
      return out
        .text(marked)
        .replace(/(^|[^\w*])\*([^*\n]+)\*(?=[^\w*]|$)/g, (_, before: string, inner: string) => before + out.bold(inner))
        .replace(/(^|[^\w])_([^_\n]+)_(?=[^\w]|$)/g, (_, before: string, inner: string) => before + out.italic(inner))
        .replace(HOLE, (_, at: string) => holes[Number(at)] ?? '');
    })
    .join('');
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const HTML: MarkupOutput = {
  text: escapeHtml,
  code: (value) => `<code>${escapeHtml(value)}</code>`,
  link: (url, label) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`,
  mention: (value) => `<strong>${escapeHtml(value)}</strong>`,
  bold: (inner) => `<strong>${inner}</strong>`,
  italic: (inner) => `<em>${inner}</em>`,
};

const PLAIN: MarkupOutput = {
  text: (value) => value,
  // Kept, as the console keeps them: they mark ids and codes apart from the words around them.
  code: (value) => `\`${value}\``,
  link: (url, label) => {
    const shown = url.replace(/^mailto:/, '');
    return label === shown ? shown : `${label} (${shown})`;
  },
  mention: (value) => value,
  bold: (inner) => inner,
  italic: (inner) => inner,
};

/** Markup as escaped HTML (line breaks kept as <br>). */
export const markupToHtml = (input: string): string => renderMarkup(input, HTML).replace(/\n/g, '<br>\n');

/**
 * Markup as plain text: links "label (url)", no stars or underscores, code spans as they are.
 * `bold` lets a terminal keep bold as bold.
 */
export const markupToPlain = (input: string, bold: (inner: string) => string = PLAIN.bold): string =>
  renderMarkup(input, { ...PLAIN, bold });
