import type { RecipientKind } from '../../domain/closed-lists';

/**
 * The state of one alert group as the notifier keeps it, and the rules every kind of alert shares:
 * episodes, counting failing items, recovering them. What a kind keeps of its own (the latest
 * failure, the quota alert, the job's latest run …) is the group's `subject`; src/services/alerts/kinds
 * holds each kind's rules and its message.
 *
 * A failing group lives in *episodes*: an episode starts with a failure when the group has none
 * open (first failure, the last one resolved, or the group was quiet for `windowMs`), and all its
 * failures share one chat message per channel, updated in place.
 */

export interface NotifierSettings {
  /** A group quiet (no failure) this long is over; its next failure starts a new message. */
  windowMs: number;
  /** While a group keeps failing, its message is posted again at most this often. */
  repeatIntervalMs: number;
  /** Alert only once this many failures came in a row (without a recovery between). */
  threshold: number;
}

export const DEFAULT_NOTIFIER_SETTINGS: NotifierSettings = {
  windowMs: 60 * 60 * 1000,
  repeatIntervalMs: 60 * 60 * 1000,
  threshold: 1,
};

/** How many alert ids a group remembers to recognise a redelivered alert. */
export const REMEMBERED_ALERT_IDS = 200;
/** How many open failed transfers a group tracks by id (to know when all have recovered). */
export const TRACKED_TRANSFERS = 1000;

/** Where one channel shows the group: enough for its platform to edit the message. */
export interface MessageRef {
  kind: RecipientKind;
  /** The recipient's channel id. */
  target: string;
  /** Slack's ts, Discord's message id. */
  messageId: string;
  /** The episode and state version the message shows. */
  episode: number;
  version: number;
  postedAt: Date;
}

export interface GroupState {
  tenantId: string;
  groupKey: string;
  episode: number;
  /** Bumped by every change chat should show; a message older than this needs an update. */
  version: number;
  /** Distinct transfers that failed in this episode (a job group: its alerts in this episode). */
  count: number;
  /** Failures since the last recovery, for the threshold. */
  streak: number;
  /** The threshold was reached in this episode: its messages are posted. */
  alerting: boolean;
  /** Transfers of this episode that failed and have not recovered yet. */
  failing: string[];
  /** Failed transfers beyond TRACKED_TRANSFERS: counted, but they keep the group from resolving. */
  untracked: number;
  recovered: number;
  firstAt?: Date;
  lastAt?: Date;
  /** What the episode's failures have in common, for the headline ("Unknown VAT zone for country"). */
  reason?: string;
  /** The name of the alert kind whose `subject` the group holds (src/services/alerts/registry.ts). */
  kind?: string;
  /** What the group's kind keeps to write its message: the latest failure, the quota alert, … */
  subject?: unknown;
  mutedUntil?: Date;
  resolvedAt?: Date;
  /** When a message of this group was last posted (not updated). */
  lastSentAt?: Date;
  refs: MessageRef[];
  appliedIds: string[];
}

/** What happened to a group; decides whether a muted or re-posted message changes. */
export type GroupChange = 'failure' | 'recovery' | 'mute' | 'quota' | 'digest';

export function emptyGroup(tenantId: string, groupKey: string): GroupState {
  return {
    tenantId,
    groupKey,
    episode: 0,
    version: 0,
    count: 0,
    streak: 0,
    alerting: false,
    failing: [],
    untracked: 0,
    recovered: 0,
    refs: [],
    appliedIds: [],
  };
}

export function isMuted(state: GroupState, now: Date): boolean {
  return state.mutedUntil !== undefined && state.mutedUntil.getTime() > now.getTime();
}

/**
 * The gist of an error message: engines write "what: how to fix it" or "what; how to fix it", so
 * the first clause says what went wrong.
 */
export function errorGist(message: string, max = 90): string {
  const first = (message.split(/[:;]\s/)[0] ?? message).trim();
  return first.length <= max ? first : `${first.slice(0, max - 1)}…`;
}

const TRAILING_FILLERS = /^(a|an|the|of|for|on|in|at|to|with|from|and|or|by)$/i;

/**
 * What two failures' gists say alike: "Unknown VAT zone for country "NO" on order #1012" and
 * "… "DE" on order #1033" give "Unknown VAT zone for country"; one message per transfer names the
 * transfer, the headline of a group must not. Falls back to the error code when little is shared.
 */
export function commonReason(previous: string | undefined, gist: string, code: string): string {
  if (previous === undefined || previous === gist) return gist;
  const [a, b] = [previous.split(/\s+/), gist.split(/\s+/)];
  const shared: string[] = [];
  while (shared.length < a.length && a[shared.length] === b[shared.length]) shared.push(a[shared.length]!);
  // Keep the longest shared beginning that leaves no bracket or quote open.
  let balanced = 0;
  let depth = 0;
  let quotes = 0;
  shared.forEach((word, index) => {
    depth += (word.match(/[([]/g) ?? []).length - (word.match(/[)\]]/g) ?? []).length;
    quotes += (word.match(/"/g) ?? []).length;
    if (depth === 0 && quotes % 2 === 0) balanced = index + 1;
  });
  const kept = shared.slice(0, balanced);
  while (kept.length > 0 && TRAILING_FILLERS.test(kept[kept.length - 1]!)) kept.pop();
  return kept.length >= 2 ? kept.join(' ') : code;
}

/**
 * Starts a new episode (a new message) when the group has none open: its first failure, the last
 * episode resolved, or quiet for `windowMs`.
 */
export function openEpisodeIfDue(next: GroupState, at: Date, settings: NotifierSettings): void {
  const quiet = !next.lastAt || at.getTime() - next.lastAt.getTime() > settings.windowMs;
  if (next.episode !== 0 && !next.resolvedAt && !quiet) return;
  Object.assign(next, {
    episode: next.episode + 1,
    count: 0,
    failing: [],
    untracked: 0,
    recovered: 0,
    alerting: false,
    firstAt: at,
  });
  delete next.resolvedAt;
  delete next.reason;
}

/** Counts a failing item (a transfer, a dead letter) once per episode; past the tracked few, only counts it. */
export function trackFailing(next: GroupState, item: string): void {
  if (next.failing.includes(item)) return;
  next.count += 1;
  if (next.failing.length < TRACKED_TRANSFERS) next.failing.push(item);
  else next.untracked += 1;
}

/** An open item of this episode recovered; the episode resolves when none is left. */
export function recoverFailing(next: GroupState, item: string, at: Date): void {
  const index = next.failing.indexOf(item);
  if (index < 0 || next.resolvedAt) return; // not one of this episode's open items
  next.failing.splice(index, 1);
  next.recovered += 1;
  if (next.failing.length === 0 && next.untracked === 0) next.resolvedAt = at;
  next.version += 1;
}

/**
 * A failing item (a transfer, a dead letter) of a group that lives in episodes: opens an episode
 * if one is due, counts the item once in it, and keeps what its failures have in common
 * (`fallback` when little is).
 */
export function countFailing(
  next: GroupState,
  at: Date,
  settings: NotifierSettings,
  item: string,
  gist: string,
  fallback: string,
): void {
  openEpisodeIfDue(next, at, settings);
  trackFailing(next, item);
  next.reason = commonReason(next.reason, gist, fallback);
}

/**
 * A failure's part in its group: it becomes the group's subject unless a newer one already is (an
 * older alert that comes late does not replace what a newer one said), and chat is to show it,
 * unless the group is muted: a muted group counts its failures, its messages stay as they are.
 */
export function recordFailure<S>(next: GroupState & { subject?: S }, at: Date, subject: S): void {
  if (!next.lastAt || at >= next.lastAt) {
    next.lastAt = at;
    next.subject = subject;
  }
  if (!(next.mutedUntil && next.mutedUntil > at)) next.version += 1;
}
