/** Payloads and long texts cut to what a chat message holds. */

/** Pretty JSON, or the text itself when a system's format is text (XML, CSV). */
export function prettyPayload(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload === undefined) return '(no data)';
  return JSON.stringify(payload, null, 2) ?? String(payload);
}

/** Where to cut `text` at most `size` characters in: after a line break when one is near. */
function cutPoint(text: string, from: number, size: number): number {
  const end = from + size;
  if (end >= text.length) return text.length;
  const lineBreak = text.lastIndexOf('\n', end - 1);
  return lineBreak > from + size / 2 ? lineBreak + 1 : end;
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
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > size ? `${line.slice(0, size - 1)}…` : line;
}
