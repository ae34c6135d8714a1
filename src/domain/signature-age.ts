/**
 * How far a signed request's own timestamp may be from our clock, for every signature we verify
 * (engine webhooks, Discord, Slack). Older, a captured request could be replayed later; further
 * ahead, a request signed for a future moment would stay replayable until then.
 */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

/** True when a request signed at `timestampSeconds` (unix seconds) is within the window of `nowMs`. */
export function isSignatureTimely(timestampSeconds: number, nowMs: number = Date.now()): boolean {
  if (!Number.isFinite(timestampSeconds)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - timestampSeconds) <= MAX_SIGNATURE_AGE_SECONDS;
}
