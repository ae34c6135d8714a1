import type { AlertEvent } from '../../domain/alerts';
import type { NotificationTrigger } from '../../domain/closed-lists';
import {
  emptyGroup,
  isMuted,
  REMEMBERED_ALERT_IDS,
  type GroupChange,
  type GroupState,
  type MessageRef,
  type NotifierSettings,
} from './group-state';
import type { AlertMute } from './mute';
import { kindOfEvent, kindOfGroup } from './registry';

/**
 * The grouping rules of the notifier, as pure functions: how an alert changes its group's state,
 * and what each recipient channel should then see. No I/O here; consumers/notifier.ts loads and
 * saves the state and calls the platforms.
 *
 * What is common to every group lives here and in group-state.ts (redelivered alerts, mutes,
 * episodes); what a kind of alert does with its events, who is told and its message, in its
 * module under kinds/, found through the registry.
 */

export type NotifierAlert = AlertEvent | AlertMute;

export function changeOf(alert: NotifierAlert): GroupChange {
  if (alert.kind === 'alert.mute') return 'mute';
  return kindOfEvent(alert.kind).events[alert.kind]!.change;
}

/** The notification rule trigger whose recipients get a group's messages. */
export function triggerOf(alert: NotifierAlert): NotificationTrigger | undefined {
  if (alert.kind === 'alert.mute') return undefined;
  return kindOfEvent(alert.kind).events[alert.kind]!.trigger;
}

/** The trigger whose recipients get a group's messages: what kind of group it is. */
export function groupTrigger(state: GroupState): NotificationTrigger {
  const kind = kindOfGroup(state);
  return (kind && kind.events[kind.eventOf(state.subject)]?.trigger) ?? 'transfer.failed';
}

/** The connection a group is about, when its kind has one. */
export function groupConnectionId(state: GroupState): string | undefined {
  return kindOfGroup(state)?.connectionId?.(state.subject);
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
  const at = new Date(alert.occurredAt);
  const before = state ?? emptyGroup(alert.tenantId, alert.groupKey);
  const next: GroupState = {
    ...before,
    failing: [...before.failing],
    appliedIds: [...before.appliedIds, alert.id].slice(-REMEMBERED_ALERT_IDS),
  };

  if (alert.kind === 'alert.mute') {
    next.mutedUntil = new Date(alert.mutedUntil);
    next.version += 1;
    return next;
  }
  const kind = kindOfEvent(alert.kind);
  // A kind reads only a subject it wrote (group keys are of one kind, so this does not happen).
  if (next.kind !== kind.name) {
    delete next.kind;
    delete next.subject;
  }
  if (!kind.apply(next, alert, { settings, at, seen: state !== undefined })) return undefined;
  if (next.subject !== undefined) next.kind = kind.name;
  return next;
}

export type Delivery = 'post' | 'update' | 'none';

/**
 * What one recipient channel should do so that it shows the group's current state: post a new
 * message, update the one it has, or nothing. `changes` are the kinds of alerts just handled.
 *
 * - Nothing before the threshold is reached; a resolution only edits messages of its episode.
 * - A muted group is counted, not posted: only the mute itself and recoveries edit its message.
 * - A group that keeps failing is posted again, with its count so far, once its message is older
 *   than the repeat interval, instead of updating a message far up the channel; its kind's
 *   delivery rule says whether it does (kinds/kind.ts).
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
  const rule = kindOfGroup(state)?.delivery ?? 'repeating';
  if (rule === 'once') return current ? 'update' : 'post';
  if (state.resolvedAt) return current ? 'update' : 'none';
  // Failures of a muted group do not change its version; a mute or a recovery edits the message.
  if (isMuted(state, now)) return current ? 'update' : 'none';
  if (!current) return 'post';
  if (rule === 'in-place') return 'update';
  if (changes.has('failure') && now.getTime() - ref.postedAt.getTime() >= settings.repeatIntervalMs) return 'post';
  return 'update';
}
