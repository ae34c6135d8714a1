import type { GroupState } from './group-state';
import { deadLetterKind } from './kinds/dead-letter';
import { digestKind } from './kinds/digest';
import { jobKind } from './kinds/job';
import type { AlertEventKind, AlertKind } from './kinds/kind';
import { quotaKind } from './kinds/quota';
import { switchIgnoredKind } from './kinds/switch-ignored';
import { transferFailureKind } from './kinds/transfer-failure';

/**
 * The kinds of alert the notifier knows. Each handles its own events (src/domain/alerts.ts), and
 * every event belongs to exactly one (tests/unit/alert-kinds.test.ts). A new kind is one module
 * under kinds/ and one line here.
 */
export const ALERT_KINDS: readonly AlertKind[] = [
  transferFailureKind,
  deadLetterKind,
  jobKind,
  quotaKind,
  digestKind,
  switchIgnoredKind,
];

const BY_EVENT = new Map(
  ALERT_KINDS.flatMap((kind) => Object.keys(kind.events).map((event) => [event as AlertEventKind, kind] as const)),
);
const BY_NAME = new Map(ALERT_KINDS.map((kind) => [kind.name, kind]));

/** The kind that handles an alert event. */
export function kindOfEvent(event: AlertEventKind): AlertKind {
  const kind = BY_EVENT.get(event);
  if (!kind) throw new Error(`no alert kind handles ${event}`);
  return kind;
}

/**
 * The kind of a group, once an alert of it gave the group a subject; none before (a mute that came
 * ahead of its failures, the document quota-check inserts before its alert).
 */
export function kindOfGroup(state: GroupState): AlertKind | undefined {
  return state.kind === undefined || state.subject === undefined ? undefined : BY_NAME.get(state.kind);
}
