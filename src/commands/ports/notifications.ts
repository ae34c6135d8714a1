import { type NotificationTrigger } from '../../domain/closed-lists';
import type { Recipient } from '../../domain/notifications';

export interface NotificationRuleView {
  ruleId: string;
  trigger: NotificationTrigger;
  recipient: Recipient;
}

/** The Notifications section: who gets what. */
export interface NotificationsPort {
  /** Every rule of the tenant, in the order of NOTIFICATION_TRIGGERS, then by recipient. */
  list(tenantId: string): Promise<NotificationRuleView[]>;
  /** 'exists' when the recipient already gets this trigger. */
  add(tenantId: string, trigger: NotificationTrigger, recipient: Recipient): Promise<'added' | 'exists'>;
  /** The removed rule, or undefined when there was none. */
  remove(
    tenantId: string,
    rule: { ruleId: string } | { trigger: NotificationTrigger; recipient: Recipient },
  ): Promise<NotificationRuleView | undefined>;
}
