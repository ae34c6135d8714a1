import { checkJsonDepth, MAX_JSON_DEPTH, tooDeepMessage } from '../../src/http/json-limits';

describe('checkJsonDepth: nesting counted on the raw bytes, before parsing', () => {
  it('refuses a body nested 50,000 levels deep, stopping at the first level past the limit', () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    expect(checkJsonDepth(Buffer.from(deep))).toEqual({ ok: false, depth: MAX_JSON_DEPTH + 1, offset: MAX_JSON_DEPTH });
    const deepObjects = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    expect(checkJsonDepth(deepObjects).ok).toBe(false);
  });

  it('takes a body exactly at the limit and reports how deep it went', () => {
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(checkJsonDepth(atLimit)).toEqual({ ok: true, depth: MAX_JSON_DEPTH });
    expect(checkJsonDepth(`[${atLimit}]`).ok).toBe(false);
    expect(checkJsonDepth('{"events":[{"source":{"payload":{"a":[1,2]}}}]}')).toEqual({ ok: true, depth: 6 });
    expect(checkJsonDepth('"just a string"')).toEqual({ ok: true, depth: 0 });
    expect(checkJsonDepth('')).toEqual({ ok: true, depth: 0 });
  });

  it('does not count brackets inside strings, minding escaped quotes and backslashes', () => {
    const brackets = JSON.stringify({ note: '[[[[{{{{'.repeat(100), quoted: 'say "[[[" then \\ and \\"{{{' });
    expect(checkJsonDepth(brackets, 2)).toEqual({ ok: true, depth: 1 });
    // An escaped quote does not end the string: the brackets after it are still text.
    expect(checkJsonDepth('["\\"[[[[[[", 1]', 1)).toEqual({ ok: true, depth: 1 });
    // An escaped backslash does end before the quote: the bracket after it counts.
    expect(checkJsonDepth('["\\\\", [[1]]]', 2)).toMatchObject({ ok: false, depth: 3 });
    // Keys are strings too; `$` and `.` in them are nothing special.
    expect(checkJsonDepth('{"$where[{":{"a.b]}":1}}', 2)).toEqual({ ok: true, depth: 2 });
  });

  it('reads UTF-8 bytes: multi-byte characters never look like brackets or quotes', () => {
    const text = JSON.stringify({ name: 'Ærø “[”', emoji: '😀[' });
    expect(checkJsonDepth(Buffer.from(text, 'utf8'), 1)).toEqual({ ok: true, depth: 1 });
  });

  it('never counts below zero on stray closers (the parser refuses those)', () => {
    expect(checkJsonDepth(']]]][[', 2)).toEqual({ ok: true, depth: 2 });
  });

  it('names the limit in its message', () => {
    expect(tooDeepMessage()).toBe(`the JSON is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`);
  });
});
