import { cutIndex, shorten, splitChunks, splitText } from '../../src/chat/text';
import { splitMarkdown } from '../../bots/discord/render';
import { splitMrkdwn } from '../../bots/slack/render';

const EMOJI = '✅🎉';

describe('cutting long text (one function for every surface)', () => {
  it('never halves an emoji, whichever surface cuts', () => {
    const text = `${'a'.repeat(9)}${EMOJI.repeat(20)}`;
    const halves = (piece: string) => /[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/.test(piece);
    for (const pieces of [
      splitChunks(text, 10),
      splitMrkdwn(text, 10),
      splitMarkdown(text, 10),
      splitText(text, 10, 100).parts,
    ]) {
      expect(pieces.join('')).toBe(text);
      expect(pieces.filter(halves)).toEqual([]);
      expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(10);
    }
    expect(shorten(`ab${'🎉'.repeat(5)}`, 4)).toBe('ab…');
  });

  it('cuts prose at a line break, else a space, and keeps what is unsplittable whole', () => {
    expect(splitChunks('first line\nsecond line', 15)).toEqual(['first line', 'second line']);
    expect(splitChunks('some words that go on', 12)).toEqual(['some words', 'that go on']);
    const link = '<https://iex.dk/a|label>';
    expect(cutIndex(`${'x'.repeat(20)}${link}`, 30, { unsplittable: /<[^<>]*>/g })).toBe(20);
  });

  it('cuts payloads at line breaks only, keeping every character', () => {
    const json = JSON.stringify({ lines: Array.from({ length: 50 }, (_, index) => `value ${index}`) }, null, 2);
    const { parts, shownChars } = splitText(json, 100, 1000);
    expect(parts.join('')).toBe(json);
    expect(shownChars).toBe(json.length);
    expect(parts.slice(0, -1).every((part) => part.endsWith('\n'))).toBe(true);
  });
});
