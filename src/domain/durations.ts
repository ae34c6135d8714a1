/**
 * Durations as people write them: `30m`, `2h`, `3d`, `1w` — for `--since 2h` in chat and
 * `--overlap 24h` at the operator's terminal or in the admin API.
 */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d{1,5})\s*(m|min|mins|h|hr|hrs|d|w)$/i;

export const DURATION_HELP = '30m, 2h, 3d or 1w';

/** Milliseconds, or undefined when the text is no duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase()[0] as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}
