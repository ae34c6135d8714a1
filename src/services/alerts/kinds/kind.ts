import { z } from 'zod';
import type { Reply } from '../../../chat/reply';
import type { AlertEvent } from '../../../domain/alerts';
import type { NotificationTrigger } from '../../../domain/closed-lists';
import type { GroupChange, GroupState, NotifierSettings } from '../group-state';
import type { MessageContext } from '../message-context';

export type AlertEventKind = AlertEvent['kind'];
export type EventOf<K extends AlertEventKind> = Extract<AlertEvent, { kind: K }>;

/** A group of one kind, its subject typed as the kind keeps it. */
export type KindGroup<S> = GroupState & { subject?: S };

/**
 * How a group's messages reach a channel once the threshold is reached:
 * - `once`: one message, posted once and never repeated (updated if the group changes);
 * - `in-place`: one message per episode, kept up to date where it is (a job's runs are hours apart);
 * - `repeating`: while the group keeps failing, posted again once its message is older than the
 *   repeat interval, instead of updating a message far up the channel.
 */
export type DeliveryRule = 'once' | 'in-place' | 'repeating';

/** What an alert kind says about one of its events. */
export interface EventRule {
  /** The notification rule trigger whose recipients get the group's messages. */
  trigger: NotificationTrigger;
  /** What it does to a group: a failure, a recovery, … (a failure may re-post a message). */
  change: GroupChange;
}

/** One kind of alert: its events, how it groups them, who is told, and its message. */
export interface AlertKindSpec<K extends AlertEventKind, S> {
  /** Unique among the kinds; names the kind a group is of (in memory only, not stored). */
  name: string;
  /** The events (src/domain/alerts.ts) this kind handles. Each event belongs to exactly one kind. */
  events: { [E in K]: EventRule };
  /**
   * The field of a stored alert state (collection alertStates) that holds the group's subject.
   * Never renamed: documents written by earlier versions are read by it.
   */
  field: string;
  /** Reads a stored subject back; one it cannot read is dropped (the group then has none). */
  stored: z.ZodType<S>;
  /** The event a group's subject stands for: its rule is the group's (trigger, recipients). */
  eventOf(subject: S): K;
  /**
   * Applies one alert to its group: `next` is a copy of the group's state, changed in place; it
   * sets `next.subject` to what the message needs. `seen`: the group had a state before. Returns
   * false when the alert changes nothing (a recovery of a group the notifier never saw).
   */
  apply(next: KindGroup<S>, alert: EventOf<K>, rules: { settings: NotifierSettings; at: Date; seen: boolean }): boolean;
  delivery: DeliveryRule;
  /** The group's chat message, as the neutral reply model every platform renders. */
  message(state: GroupState, subject: S, ctx: MessageContext): Reply;
  /** The connection the group is about, to name it in the message ("Shopify > e-conomic"). */
  connectionId?(subject: S): string | undefined;
  /**
   * The usage chart the message shows (its period), which the notifier renders and hands in as
   * `ctx.picture`: rendering is slow and asynchronous, a message is neither.
   */
  usageChart?(subject: S): { period: string } | undefined;
}

/** A kind as the registry holds it: the same, with its own types forgotten. */
export interface AlertKind {
  readonly name: string;
  readonly events: Partial<Record<AlertEventKind, EventRule>>;
  readonly field: string;
  readonly stored: z.ZodType<unknown>;
  eventOf(subject: unknown): AlertEventKind;
  apply(next: GroupState, alert: AlertEvent, rules: { settings: NotifierSettings; at: Date; seen: boolean }): boolean;
  readonly delivery: DeliveryRule;
  message(state: GroupState, subject: unknown, ctx: MessageContext): Reply;
  connectionId?(subject: unknown): string | undefined;
  usageChart?(subject: unknown): { period: string } | undefined;
}

/**
 * Declares an alert kind. Sound because the registry hands a kind only its own events, and only
 * subjects that it set itself or that its `stored` schema read.
 */
export function defineAlertKind<K extends AlertEventKind, S>(spec: AlertKindSpec<K, S>): AlertKind {
  return spec as unknown as AlertKind;
}

/** A subject that is an alert event kept whole, as the notifier wrote it. */
export const storedAlert = <T>() =>
  z.custom<T>((value) => typeof value === 'object' && value !== null && 'kind' in value);
