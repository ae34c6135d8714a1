/**
 * Limits checked on a request's raw bytes before it is parsed. `JSON.parse` copes with deep
 * nesting, but what walks the parsed value afterwards (zod, `JSON.stringify`, the store's encoder)
 * recurses and overflows the stack: a body nested 50,000 levels deep then fails as a crash (a 5xx,
 * which the sender retries for ever) instead of being refused once.
 */

/**
 * Deepest nesting of arrays and objects a body may have, counted over the whole body (a
 * `{"events":[{"source":{"payload":…}}]}` envelope already uses four). Real Shopify and engine
 * payloads stay well under 20.
 */
export const MAX_JSON_DEPTH = 64;

export type JsonDepthCheck = { ok: true; depth: number } | { ok: false; depth: number; offset: number };

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const OPEN_SQUARE = 0x5b; // [
const CLOSE_SQUARE = 0x5d; // ]
const OPEN_CURLY = 0x7b; // {
const CLOSE_CURLY = 0x7d; // }

/**
 * Scans JSON text once, counting `[`/`{` nesting outside strings (a backslash escapes the next
 * character, so `"\""` stays one string), and stops at the first byte that goes past `maxDepth`.
 * It does not validate the JSON — `JSON.parse` does that afterwards — it only bounds how deep the
 * parse can go. Works on UTF-8 bytes: no multi-byte character contains an ASCII byte.
 */
export function checkJsonDepth(raw: Uint8Array | string, maxDepth = MAX_JSON_DEPTH): JsonDepthCheck {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let offset = 0; offset < bytes.length; offset += 1) {
    const byte = bytes[offset];
    if (inString) {
      if (byte === BACKSLASH) offset += 1;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_SQUARE:
      case OPEN_CURLY:
        depth += 1;
        if (depth > maxDepth) return { ok: false, depth, offset };
        if (depth > deepest) deepest = depth;
        break;
      case CLOSE_SQUARE:
      case CLOSE_CURLY:
        // Unbalanced closers are the parser's to refuse; never count below zero.
        if (depth > 0) depth -= 1;
        break;
    }
  }
  return { ok: true, depth: deepest };
}

/** The message a refusal names the limit with. */
export function tooDeepMessage(maxDepth = MAX_JSON_DEPTH): string {
  return `the JSON is nested deeper than ${maxDepth} levels of arrays and objects`;
}
