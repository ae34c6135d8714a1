/** Payloads and long texts cut to what a chat message holds. */

/** Pretty JSON, or the text itself when a system's format is text (XML, CSV). */
export function prettyPayload(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload === undefined) return '(no data)';
  return JSON.stringify(payload, null, 2) ?? String(payload);
}

export interface CutOptions {
  /** Cut at a space when no line break is near (prose); off for payloads, whose spaces are indentation. */
  atSpaces?: boolean;
  /** What must stay whole: a platform's links, mentions, escapes, code spans. */
  unsplittable?: RegExp;
}

/**
 * Where to cut `text` to keep at most `max` characters: at the last line break in the second half,
 * else (with `atSpaces`) at the last space there, else hard — but never inside an `unsplittable`
 * match, and never between the two halves of an emoji. Every surface cuts long text with this.
 */
export function cutIndex(text: string, max: number, { atSpaces = true, unsplittable }: CutOptions = {}): number {
  if (text.length <= max) return text.length;
  const window = text.slice(0, max);
  let cut = window.lastIndexOf('\n');
  if (cut < max / 2 && atSpaces) cut = window.lastIndexOf(' ');
  if (cut < max / 2) cut = max;
  for (const match of unsplittable ? text.matchAll(unsplittable) : []) {
    if (match.index >= cut) break;
    if (match.index + match[0].length > cut) {
      cut = match.index > 0 ? match.index : max;
      break;
    }
  }
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return cut;
}

/**
 * Prose or markup in pieces of at most `max` characters, cut where `cutIndex` cuts; the space or
 * line break at a cut is dropped, and so are empty pieces.
 */
export function splitChunks(text: string, max: number, options: CutOptions = {}): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.trim()) {
    const cut = cutIndex(rest, max, options);
    const piece = cut >= rest.length ? rest : rest.slice(0, cut).trimEnd();
    if (piece.trim()) pieces.push(piece);
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  return pieces;
}

/** Cuts text to `max` characters, marking the cut with an ellipsis (and never halving an emoji). */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** Where a payload part starting at `from` ends: just after a line break when one is near. */
function cutPoint(text: string, from: number, size: number): number {
  const rest = text.slice(from, from + size + 1);
  const cut = cutIndex(rest, size, { atSpaces: false });
  return from + (cut < size && rest[cut] === '\n' ? cut + 1 : cut);
}

/** The first `size` characters or so (ending in "…" when that is not all), and how many those are. */
export function shortenText(text: string, size: number): { text: string; shortened: boolean; shownChars: number } {
  const end = cutPoint(text, 0, size);
  if (end >= text.length) return { text, shortened: false, shownChars: text.length };
  return { text: `${text.slice(0, end).trimEnd()}\n…`, shortened: true, shownChars: end };
}

/**
 * Splits `text` into parts of at most `size` characters (at line breaks where it can), at most
 * `maxParts` of them; `shownChars` < text.length says where it was cut.
 */
export function splitText(text: string, size: number, maxParts: number): { parts: string[]; shownChars: number } {
  const parts: string[] = [];
  let at = 0;
  while (at < text.length && parts.length < maxParts) {
    const end = cutPoint(text, at, size);
    parts.push(text.slice(at, end));
    at = end;
  }
  return { parts, shownChars: at };
}

/** One line of text at most `size` characters long. */
export function oneLine(text: string, size: number): string {
  return shorten(text.replace(/\s+/g, ' ').trim(), size);
}
