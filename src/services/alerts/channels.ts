import type { Reply } from '../../chat/reply';
import type { NotificationTrigger, RecipientKind } from '../../domain/closed-lists';

/** What a message is about, for channels that file or address it (e-mail: subject, outbox, links). */
export interface AlertMeta {
  tenantId: string;
  groupKey: string;
  trigger: NotificationTrigger;
  /**
   * The same for every attempt at delivering one state of one group (its episode and version), so
   * a channel that cannot be edited (e-mail) can tell a redelivered batch from a new message.
   */
  deliveryKey?: string;
}

/** A message a channel holds, as its platform identifies it. */
export interface PostedMessage {
  /** Slack's ts, Discord's message id. */
  messageId: string;
}

/**
 * One chat platform as the notifier sees it: post an alert message to a channel, and edit it.
 * Slack implements it in bots/slack/alert-sender.ts; Discord and e-mail plug in the same way.
 *
 * Errors: throw `UndeliverableError` when trying again cannot help (the channel is gone, the bot
 * is not in it), `WorkspaceGoneError` when the bot is no longer in the workspace that holds the
 * channel (nothing is sent there until it is linked again); anything else is taken as passing (a rate limit, the platform is down) and the
 * notifier's batch is retried later.
 */
export interface AlertChannel {
  kind: RecipientKind;
  post(target: string, message: Reply, meta?: AlertMeta): Promise<PostedMessage>;
  /** `meta` as the post had it (a channel may need the tenant to know which workspace the message is in). */
  update(target: string, messageId: string, message: Reply, meta?: AlertMeta): Promise<void>;
}

export class UndeliverableError extends Error {
  constructor(
    message: string,
    /** The message to edit no longer exists (deleted, too old to edit): post a new one instead. */
    readonly messageGone = false,
  ) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

/**
 * The bot is no longer in the workspace that holds the channel (removed from it): its bindings are
 * marked gone and nothing is sent there until it is linked again. Expected for every alert to it
 * until then, so the notifier counts it rather than warning each time.
 */
export class WorkspaceGoneError extends UndeliverableError {
  constructor(
    message: string,
    readonly workspaceId: string,
  ) {
    super(message);
    this.name = 'WorkspaceGoneError';
  }
}
