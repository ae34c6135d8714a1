import { NOTIFICATION_TRIGGERS } from '../../domain/closed-lists';
import { isValidObjectId } from 'mongoose';
import type { NotificationRuleView, NotificationsPort } from '../../commands/ports/notifications';
import { isDuplicateKeyError } from '../../store/errors';
import type { NotificationRule } from '../../store/models';
import type { AdapterDeps } from './deps';

type StoredRule = NotificationRule & { _id: { toString(): string } };

function view(rule: StoredRule): NotificationRuleView {
  // The schema requires both; mongoose still types a nested object as optional.
  const { kind, target } = rule.recipient ?? {};
  if (!kind || !target) throw new Error(`notification rule ${rule._id.toString()} has no recipient`);
  return { ruleId: rule._id.toString(), trigger: rule.trigger, recipient: { kind, target } };
}

export function createNotificationsPort({ models }: AdapterDeps): NotificationsPort {
  return {
    async list(tenantId) {
      const rules = await models.NotificationRule.find({ tenantId })
        .sort({ 'recipient.kind': 1, 'recipient.target': 1 })
        .lean();
      const order = (rule: StoredRule) => NOTIFICATION_TRIGGERS.indexOf(rule.trigger);
      // A stable sort keeps the recipient order within each trigger.
      return rules.sort((a, b) => order(a) - order(b)).map(view);
    },

    async add(tenantId, trigger, recipient) {
      try {
        await models.NotificationRule.create({ tenantId, trigger, recipient });
        return 'added';
      } catch (error) {
        // The unique index decides, so two people adding the same recipient at once add it once.
        if (isDuplicateKeyError(error)) return 'exists';
        throw error;
      }
    },

    async remove(tenantId, rule) {
      let filter: Record<string, unknown>;
      if ('ruleId' in rule) {
        // A tampered or stale button id: nothing of this tenant's has it.
        if (!isValidObjectId(rule.ruleId)) return undefined;
        filter = { tenantId, _id: rule.ruleId };
      } else {
        filter = {
          tenantId,
          trigger: rule.trigger,
          'recipient.kind': rule.recipient.kind,
          'recipient.target': rule.recipient.target,
        };
      }
      const found = await models.NotificationRule.findOne(filter).lean();
      if (!found) return undefined;
      // deleteOne's count is exact: of two removals at once, one reports it.
      const { deletedCount } = await models.NotificationRule.deleteOne({ tenantId, _id: found._id });
      return deletedCount === 1 ? view(found) : undefined;
    },
  };
}
