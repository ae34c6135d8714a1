import type { AlertEvent } from '../../domain/alerts';
import type { Entity, TransferError } from '../../domain/events';
import type { NotificationTrigger, RecipientKind } from '../../domain/closed-lists';
import type { AlertMute } from './mute';

/**
 * The grouping rules of the notifier, as pure functions: how an alert changes its group's state,
 * and what each recipient channel should then see. No I/O here; consumers/notifier.ts loads and
 * saves the state and calls the platforms.
 *
 * A failure group lives in *episodes*: an episode starts with a failure when the group has none
 * open (first failure, the last one resolved, or the group was quiet for `windowMs`), and all its
 * failures share one chat message per channel, updated in place.
 *
 * A job group (one scheduled job) opens an episode with a missed or failing run and keeps one
 * message, updated as more come, until a good run resolves it. Quota alerts and digests are one
 * message each, posted once.
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

export interface LastFailure {
  transferId: string;
  connectionId: string;
  entity: Entity;
  reference?: string;
  error: Pick<TransferError, 'code' | 'message'>;
}

export type QuotaAlert = Extract<AlertEvent, { kind: 'quota.threshold' | 'quota.topup' | 'quota.exceeded' }>;
/** What a job group's message shows: its latest missed run or run of failures. */
export type JobAlert = Extract<AlertEvent, { kind: 'job.missed' | 'job.failing' }>;
export type DigestAlert = Extract<AlertEvent, { kind: 'digest' }>;
/** What a dead-letter group's message shows: its latest dead letter. */
export type DeadLetterAlert = Extract<AlertEvent, { kind: 'pipeline.dead_letter' }>;

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
  last?: LastFailure;
  /** What the episode's failures have in common, for the headline ("Unknown VAT zone for country"). */
  reason?: string;
  quota?: QuotaAlert;
  job?: JobAlert;
  digest?: DigestAlert;
  deadLetter?: DeadLetterAlert;
  mutedUntil?: Date;
  resolvedAt?: Date;
  /** When a message of this group was last posted (not updated). */
  lastSentAt?: Date;
  refs: MessageRef[];
  appliedIds: string[];
}

/** What happened to a group; decides whether a muted or re-posted message changes. */
export type GroupChange = 'failure' | 'recovery' | 'mute' | 'quota' | 'digest';

export type NotifierAlert = AlertEvent | AlertMute;

export function changeOf(alert: NotifierAlert): GroupChange {
  switch (alert.kind) {
    case 'transfer.failed':
    case 'job.missed':
    case 'job.failing':
    case 'pipeline.dead_letter':
      return 'failure';
    case 'transfer.recovered':
    case 'job.recovered':
    case 'pipeline.replayed':
      return 'recovery';
    case 'alert.mute':
      return 'mute';
    case 'digest':
      return 'digest';
    case 'quota.threshold':
    case 'quota.topup':
    case 'quota.exceeded':
      return 'quota';
  }
}

/** The notification rule trigger whose recipients get a group's messages. */
export function triggerOf(alert: NotifierAlert): NotificationTrigger | undefined {
  switch (alert.kind) {
    case 'transfer.failed':
    case 'transfer.recovered':
    // The people told about failed transfers are the ones to hear that a message was not processed.
    case 'pipeline.dead_letter':
    case 'pipeline.replayed':
      return 'transfer.failed';
    case 'quota.threshold':
    case 'quota.exceeded':
      return 'quota.threshold';
    case 'quota.topup':
      return 'topup.auto';
    case 'job.missed':
    case 'job.failing':
    case 'job.recovered':
      return 'job.missed';
    case 'digest':
      return 'digest';
    case 'alert.mute':
      return undefined;
  }
}

/** The trigger whose recipients get a group's messages: what kind of group it is. */
export function groupTrigger(state: GroupState): NotificationTrigger {
  const alert = state.quota ?? state.digest ?? state.job;
  return (alert && triggerOf(alert)) ?? 'transfer.failed';
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
 * Starts a new episode (a new message) when the group has none open: its first failure, the last
 * episode resolved, or quiet for `windowMs`.
 */
function openEpisodeIfDue(next: GroupState, at: Date, settings: NotifierSettings): void {
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
function trackFailing(next: GroupState, item: string): void {
  if (next.failing.includes(item)) return;
  next.count += 1;
  if (next.failing.length < TRACKED_TRANSFERS) next.failing.push(item);
  else next.untracked += 1;
}

/** An open item of this episode recovered; the episode resolves when none is left. */
function recoverFailing(next: GroupState, item: string, at: Date): void {
  const index = next.failing.indexOf(item);
  if (index < 0 || next.resolvedAt) return; // not one of this episode's open items
  next.failing.splice(index, 1);
  next.recovered += 1;
  if (next.failing.length === 0 && next.untracked === 0) next.resolvedAt = at;
  next.version += 1;
}

/**
 * Applies one alert to its group. Returns the new state, or undefined when the alert changes
 * nothing (it was applied before, or it is a recovery of a group the notifier never saw).
 */
export function applyAlert(
  state: GroupState | undefined,
  alert: NotifierAlert,
  settings: NotifierSettings,
): GroupState | undefined {
  if (state?.appliedIds.includes(alert.id)) return undefined;
  if (
    (alert.kind === 'transfer.recovered' || alert.kind === 'job.recovered' || alert.kind === 'pipeline.replayed') &&
    !state
  )
    return undefined;
  // A digest is one message: a second one for the same day adds nothing.
  if (alert.kind === 'digest' && state?.digest) return undefined;
  const at = new Date(alert.occurredAt);
  const before = state ?? emptyGroup(alert.tenantId, alert.groupKey);
  const next: GroupState = {
    ...before,
    failing: [...before.failing],
    appliedIds: [...before.appliedIds, alert.id].slice(-REMEMBERED_ALERT_IDS),
  };

  switch (alert.kind) {
    case 'transfer.failed': {
      openEpisodeIfDue(next, at, settings);
      // A transfer that fails again (a retry that did not help) is still one failed order.
      trackFailing(next, alert.transferId);
      next.reason = commonReason(next.reason, errorGist(alert.error.message), alert.error.code);
      next.streak += 1;
      if (next.streak >= settings.threshold) next.alerting = true;
      if (!next.lastAt || at >= next.lastAt) {
        next.lastAt = at;
        next.last = {
          transferId: alert.transferId,
          connectionId: alert.connectionId,
          entity: alert.entity,
          ...(alert.reference ? { reference: alert.reference } : {}),
          error: { code: alert.error.code, message: alert.error.message },
        };
      }
      // A muted group counts its failures, but chat is not to show them: its messages stay as they are.
      if (!(next.mutedUntil && next.mutedUntil > at)) next.version += 1;
      return next;
    }
    case 'transfer.recovered': {
      next.streak = 0;
      recoverFailing(next, alert.transferId, at);
      return next;
    }
    case 'job.missed':
    case 'job.failing': {
      // A job's episode runs from its first missed or failing run to the good run that resolves it.
      if (next.episode === 0 || next.resolvedAt) {
        Object.assign(next, { episode: next.episode + 1, count: 0, firstAt: at });
        delete next.resolvedAt;
      }
      next.count += 1;
      next.alerting = true;
      // An older alert that comes late does not replace what a newer one said.
      if (!next.lastAt || at >= next.lastAt) {
        next.lastAt = at;
        next.job = alert;
      }
      if (!(next.mutedUntil && next.mutedUntil > at)) next.version += 1;
      return next;
    }
    case 'job.recovered': {
      // Nothing open to resolve, or a good run from before the latest failure.
      if (!next.job || next.resolvedAt || (next.lastAt && at < next.lastAt)) return next;
      next.resolvedAt = new Date(alert.runAt);
      next.version += 1;
      return next;
    }
    case 'pipeline.dead_letter': {
      // Episodes as for failed transfers; a message is tracked by where it was read (`origin`).
      openEpisodeIfDue(next, at, settings);
      trackFailing(next, alert.origin);
      next.reason = commonReason(next.reason, errorGist(alert.reason), 'several reasons');
      // Nothing was recorded for the message: one is enough to tell people, whatever the threshold.
      next.alerting = true;
      if (!next.lastAt || at >= next.lastAt) {
        next.lastAt = at;
        next.deadLetter = alert;
      }
      if (!(next.mutedUntil && next.mutedUntil > at)) next.version += 1;
      return next;
    }
    case 'pipeline.replayed': {
      recoverFailing(next, alert.origin, at);
      return next;
    }
    case 'alert.mute':
      next.mutedUntil = new Date(alert.mutedUntil);
      next.version += 1;
      return next;
    case 'digest':
      next.digest = alert;
      next.episode = 1;
      next.alerting = true;
      next.version += 1;
      return next;
    case 'quota.threshold':
    case 'quota.topup':
    case 'quota.exceeded':
      // A quota alert is one message: its group key names the period and the threshold or pack.
      next.quota = alert;
      next.episode = Math.max(1, next.episode);
      next.alerting = true;
      next.version += 1;
      return next;
  }
}

export type Delivery = 'post' | 'update' | 'none';

/**
 * What one recipient channel should do so that it shows the group's current state: post a new
 * message, update the one it has, or nothing. `changes` are the kinds of alerts just handled.
 *
 * - Nothing before the threshold is reached; a resolution only edits messages of its episode.
 * - A muted group is counted, not posted: only the mute itself and recoveries edit its message.
 * - A group that keeps failing is posted again, with its count so far, once its message is older
 *   than the repeat interval, instead of updating a message far up the channel. Not a job's: its
 *   runs are hours apart, and its message says how many failed in a row.
 */
export function planDelivery(
  state: GroupState,
  ref: MessageRef | undefined,
  changes: ReadonlySet<GroupChange>,
  settings: NotifierSettings,
  now: Date,
): Delivery {
  const current = ref !== undefined && ref.episode === state.episode;
  if (current && ref.version >= state.version) return 'none';
  if (!state.alerting) return 'none';
  // Quota alerts and digests are one message each, posted once and never repeated.
  if (state.quota || state.digest) return current ? 'update' : 'post';
  if (state.resolvedAt) return current ? 'update' : 'none';
  // Failures of a muted group do not change its version; a mute or a recovery edits the message.
  if (isMuted(state, now)) return current ? 'update' : 'none';
  if (!current) return 'post';
  // A job's runs come far apart (hours, days): its one message is kept up to date where it is.
  if (state.job) return 'update';
  if (changes.has('failure') && now.getTime() - ref.postedAt.getTime() >= settings.repeatIntervalMs) return 'post';
  return 'update';
}
