import { type RecipientKind } from '../src/domain/closed-lists';
import { timeZoneOf } from '../src/domain/zoned-time';
import {
  UndeliverableError,
  WorkspaceGoneError,
  type AlertChannel,
  type AlertMeta,
  type PostedMessage,
} from '../src/services/alerts/channels';
import {
  DEFAULT_NOTIFIER_SETTINGS,
  type GroupChange,
  type GroupState,
  type MessageRef,
  type NotifierSettings,
} from '../src/services/alerts/group-state';
import {
  applyAlert,
  changeOf,
  groupConnectionId,
  groupTrigger,
  planDelivery,
  type NotifierAlert,
} from '../src/services/alerts/grouping';
import { alertMessage } from '../src/services/alerts/message';
import { notifierMessageSchema } from '../src/services/alerts/mute';
import { loadGroups, saveGroup } from '../src/services/alerts/state-store';
import type { Logger } from '../src/config/logger';
import { defineConsumer, type DecodedMessage, type HandleResult } from '../src/kafka/consumer-runner';
import { type Models } from '../src/store';
import { connectionLabels } from '../src/services/ports/labels';
import type { ViewLinks } from '../src/domain/view-links';
import type { ChartsPort } from '../src/commands/ports/charts';
import type { ImageContent } from '../src/chat/reply';
import { kindOfGroup } from '../src/services/alerts/registry';
import { pickLanguage, translator, type Translator } from '../src/i18n';

export interface NotifierDeps {
  models: Models;
  logger: Logger;
  /** One per platform that can receive alerts; recipients of other kinds are skipped. */
  channels: AlertChannel[];
  settings?: Partial<NotifierSettings>;
  /** Called after a tenant's alerts changed something (the Slack adapter refreshes App Home). */
  onAlert?: (tenantId: string) => void | Promise<void>;
  clock?: () => Date;
  /** Signed links to the transfer and subscription views; without them messages carry none. */
  links?: ViewLinks;
  /** Draws the usage charts some messages show (the daily digest's); without it they show none. */
  charts?: ChartsPort;
  /** Counts messages not sent to a channel, by recipient kind and reason (iex_alerts_skipped_total). */
  skipped?: { inc(labels: { kind: string; reason: 'workspace_gone' }): void };
}

interface Recipient {
  kind: RecipientKind;
  target: string;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * The consumer group `iex.notifier`: alerts from iex.alerts.v1 to the channels of each tenant's
 * notification rules, one message per alert group and channel, updated in place (see
 * src/services/alerts/grouping.ts for the rules, src/services/alerts/kinds/ for each kind of alert).
 *
 * Redelivery-safe: the group's state is saved, with the ids of the alerts it applied, before any
 * message is sent, and each channel's message records the state version it shows. An alert that
 * comes again changes no count, and only brings channels that missed an update up to date. A
 * platform error that may pass (a rate limit after the client's own retries, an outage) fails
 * the batch, which the runner retries without committing.
 */
export function notifyAlerts(deps: NotifierDeps) {
  const { models } = deps;
  const settings: NotifierSettings = { ...DEFAULT_NOTIFIER_SETTINGS, ...deps.settings };
  const channels = new Map(deps.channels.map((channel) => [channel.kind, channel]));
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger.child({ component: 'notifier' });

  /**
   * The usage chart the group's kind shows, drawn once per delivery round in the tenant's language.
   * A chart that cannot be drawn leaves the message without it: the numbers are in its text.
   */
  async function pictureOf(state: GroupState, t: Translator, now: Date): Promise<ImageContent | undefined> {
    const wanted = kindOfGroup(state)?.usageChart?.(state.subject);
    if (!wanted || !deps.charts) return undefined;
    try {
      return await deps.charts.usageChart({
        tenantId: state.tenantId,
        period: wanted.period,
        language: t.language,
        theme: 'light',
        size: 'small',
        now,
      });
    } catch (err) {
      logger.warn({ err, tenantId: state.tenantId, groupKey: state.groupKey }, 'could not draw the usage chart');
      return undefined;
    }
  }

  /**
   * Brings every recipient channel of a group to its current state, recording each message in
   * `state.refs` as soon as it is sent.
   */
  async function deliver(
    state: GroupState,
    recipients: Recipient[],
    changes: Set<GroupChange>,
    view: { timezone: string; t: Translator; connectionLabel?: string },
    meta: AlertMeta,
  ): Promise<void> {
    let picture: Promise<ImageContent | undefined> | undefined;
    for (const recipient of recipients) {
      const channel = channels.get(recipient.kind);
      if (!channel) {
        logger.debug(
          { tenantId: state.tenantId, kind: recipient.kind },
          'no alert channel for this kind of recipient; skipped',
        );
        continue;
      }
      const now = clock();
      const ref = state.refs.find(
        (candidate) => candidate.kind === recipient.kind && candidate.target === recipient.target,
      );
      const delivery = planDelivery(state, ref, changes, settings, now);
      if (delivery === 'none') continue;
      const repeated = delivery === 'post' && ref?.episode === state.episode;
      // Mails carry the picture; the chat alert channels post no files yet, so they get the words.
      if (recipient.kind === 'email') picture ??= pictureOf(state, view.t, now);
      const drawn = recipient.kind === 'email' ? await picture : undefined;
      const message = alertMessage(state, {
        ...view,
        now,
        repeated,
        ...(deps.links ? { links: deps.links } : {}),
        ...(drawn ? { picture: drawn } : {}),
      });
      if (!message) continue;
      const log = logger.child({
        tenantId: state.tenantId,
        groupKey: state.groupKey,
        kind: recipient.kind,
        target: recipient.target,
      });
      const delivered: AlertMeta = { ...meta, deliveryKey: `${state.groupKey}#${state.episode}.${state.version}` };

      let posted: PostedMessage | undefined;
      try {
        if (delivery === 'update' && ref) await channel.update(ref.target, ref.messageId, message, delivered);
        else posted = await channel.post(recipient.target, message, delivered);
      } catch (error) {
        if (!(error instanceof UndeliverableError)) throw error;
        if (error instanceof WorkspaceGoneError) {
          // The platform channel logged once when it found the bot gone; every alert after is a counted skip.
          log.debug(
            { workspaceId: error.workspaceId },
            'the bot is no longer in the workspace of this channel; skipped',
          );
          deps.skipped?.inc({ kind: recipient.kind, reason: 'workspace_gone' });
          continue;
        }
        if (delivery === 'update' && error.messageGone && !state.resolvedAt) {
          log.info({ reason: error.message }, 'the alert message is gone; posting it again');
          posted = await channel.post(recipient.target, message, delivered).catch((again: unknown) => {
            if (again instanceof UndeliverableError) return undefined;
            throw again;
          });
        }
        if (!posted) {
          log.warn({ reason: error.message }, 'alert not delivered to this channel');
          // Forget a message that cannot be edited any more, so the next failure posts afresh.
          if (error.messageGone) state.refs = state.refs.filter((candidate) => candidate !== ref);
          continue;
        }
      }

      const updated: MessageRef = posted
        ? {
            kind: recipient.kind,
            target: recipient.target,
            messageId: posted.messageId,
            episode: state.episode,
            version: state.version,
            postedAt: now,
          }
        : { ...ref!, version: state.version };
      state.refs = [...state.refs.filter((candidate) => candidate !== ref), updated];
      if (posted) state.lastSentAt = now;
      log.info({ delivery: posted ? (repeated ? 'repost' : 'post') : 'update', count: state.count }, 'alert delivered');
    }
  }

  /** Applies a tenant's alerts group by group and delivers each group once, after its last alert. */
  async function notifyTenant(
    tenantId: string,
    tenant: { timezone: string; t: Translator },
    alerts: NotifierAlert[],
  ): Promise<boolean> {
    const byGroup = groupBy(alerts, (alert) => alert.groupKey);
    const [states, rules] = await Promise.all([
      loadGroups(models, tenantId, [...byGroup.keys()]),
      models.NotificationRule.find({ tenantId }, { trigger: 1, recipient: 1 }).lean(),
    ]);
    let labels: Map<string, string> | undefined;
    let applied = false;

    /** Saves a group's state and brings its messages to it. */
    async function settle(state: GroupState, groupKey: string, groupAlerts: NotifierAlert[], changed: boolean) {
      if (changed) {
        await saveGroup(models, state);
        applied = true;
      }

      const trigger = groupTrigger(state);
      const recipients: Recipient[] = [];
      const add = (recipient: Recipient) => {
        if (!recipients.some(({ kind, target }) => kind === recipient.kind && target === recipient.target))
          recipients.push(recipient);
      };
      for (const rule of rules) if (rule.trigger === trigger && rule.recipient) add(rule.recipient);
      // A message already posted is kept up to date even if its rule was removed since.
      for (const ref of state.refs) if (ref.episode === state.episode) add(ref);

      const connectionId = groupConnectionId(state);
      if (connectionId && !labels) labels = await connectionLabels(models, tenantId);
      const connectionLabel = connectionId ? labels?.get(connectionId) : undefined;
      const refsBefore = state.refs;
      try {
        await deliver(
          state,
          recipients,
          new Set(groupAlerts.map(changeOf)),
          { ...tenant, ...(connectionLabel ? { connectionLabel } : {}) },
          { tenantId, groupKey, trigger },
        );
      } finally {
        // Also when a delivery failed: the channels already done are not posted to twice.
        if (state.refs !== refsBefore) await saveGroup(models, state);
      }
    }

    for (const [groupKey, groupAlerts] of byGroup) {
      let state = states.get(groupKey);
      let changed = false;
      let since: NotifierAlert[] = [];
      for (const alert of groupAlerts) {
        const next = applyAlert(state, alert, settings);
        if (!next) continue;
        // An alert that opens a new episode leaves the old message as it was last delivered: bring
        // it to its final state first (e.g. resolved by a recovery in the same batch).
        if (state && changed && next.episode !== state.episode) {
          await settle(state, groupKey, since, changed);
          // Delivery recorded its messages on `state`; the new episode carries them on.
          next.refs = state.refs;
          since = [];
        }
        [state, changed] = [next, true];
        since.push(alert);
      }
      if (!state) continue;
      await settle(state, groupKey, since.length > 0 ? since : groupAlerts, changed);
    }
    return applied;
  }

  return defineConsumer<NotifierAlert>({
    groupId: 'iex.notifier',
    topics: ['alerts'],
    schema: notifierMessageSchema,
    async handle(messages): Promise<HandleResult<NotifierAlert>> {
      const rejected: NonNullable<HandleResult<NotifierAlert>['rejected']> = [];
      const byTenant = groupBy(messages, (message) => message.value.tenantId);
      // Read with every batch: a language changed with `/iex settings language` speaks from the next alert on.
      const tenants = await models.Tenant.find(
        { tenantId: { $in: [...byTenant.keys()] } },
        { tenantId: 1, timezone: 1, language: 1 },
      ).lean();
      for (const [tenantId, tenantMessages] of byTenant) {
        const tenant = tenants.find((candidate) => candidate.tenantId === tenantId);
        if (!tenant) {
          rejected.push(
            ...tenantMessages.map((message: DecodedMessage<NotifierAlert>) => ({
              message,
              reason: `there is no tenant ${tenantId}`,
            })),
          );
          continue;
        }
        const applied = await notifyTenant(
          tenantId,
          // Alerts go to a channel or a mailbox, not to one person: the tenant's language speaks.
          {
            timezone: timeZoneOf(tenant.timezone),
            t: translator(pickLanguage(undefined, tenant.language ?? undefined)),
          },
          tenantMessages.map(({ value }) => value),
        );
        if (applied && deps.onAlert) {
          // App Home is a convenience: its refresh must never hold up the alerts.
          void Promise.resolve()
            .then(() => deps.onAlert?.(tenantId))
            .catch((error: unknown) => logger.warn({ err: error, tenantId }, 'onAlert hook failed'));
        }
      }
      return { rejected };
    },
  });
}
