import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { UndeliverableError, type AlertChannel, type AlertMeta } from '../alerts/channels';
import type { Reply } from '../../chat/reply';
import type { Logger } from '../../config/logger';
import { pickLanguage, translator } from '../../i18n';
import { insertKeepingDuplicates, type Models } from '../../store';
import type { MailNudge } from './outbox';
import { renderMail } from './render';

export interface EmailChannelDeps {
  models: Pick<Models, 'Mail' | 'Tenant'>;
  logger: Logger;
  outbox: MailNudge;
  now?: () => Date;
}

const address = z.email();

/**
 * E-mail as an alert channel of the notifier. `post` renders the alert into a mail and puts it in
 * the outbox (the `mails` collection) before it returns, so the notifier commits the alert only
 * once the mail is stored: a mail server that is down delays the mail, it does not lose it. The
 * outbox sends it (src/services/mail/outbox.ts). A mail cannot be edited: `update` sends nothing, as a
 * count going up is not worth a mail; the notifier posts again for a new episode or a repeat.
 */
export function createEmailChannel({ models, logger, outbox, now = () => new Date() }: EmailChannelDeps): AlertChannel {
  const log = logger.child({ component: 'email-channel' });
  return {
    kind: 'email',
    async post(target: string, message: Reply, meta?: AlertMeta) {
      const to = target.trim();
      if (!address.safeParse(to).success) throw new UndeliverableError(`"${target}" is not an e-mail address`);
      // Read with every mail: a language changed with `/iex settings language` writes the next mail in it.
      const tenant = meta?.tenantId
        ? await models.Tenant.findOne({ tenantId: meta.tenantId }, { name: 1, language: 1 }).lean()
        : undefined;
      const mail = renderMail(message, {
        t: translator(pickLanguage(undefined, tenant?.language ?? undefined)),
        to,
        ...(tenant?.name ? { tenantName: tenant.name } : {}),
        ...(meta?.trigger ? { trigger: meta.trigger } : {}),
      });
      // One mail per delivery and recipient: a batch the notifier retries finds it stored already.
      const mailId = meta?.deliveryKey
        ? createHash('sha256').update(`${meta.tenantId}\n${meta.deliveryKey}\n${to}`).digest('hex').slice(0, 32)
        : randomUUID();
      const refused = await insertKeepingDuplicates(models.Mail, [
        {
          mailId,
          ...(meta ? { tenantId: meta.tenantId, groupKey: meta.groupKey, trigger: meta.trigger } : {}),
          to,
          ...mail,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now(),
        },
      ]);
      if (refused.size > 0) {
        log.debug({ mailId, tenantId: meta?.tenantId, groupKey: meta?.groupKey }, 'mail queued before; not again');
        return { messageId: mailId };
      }
      log.debug({ mailId, tenantId: meta?.tenantId, groupKey: meta?.groupKey }, 'mail queued');
      outbox.nudge();
      return { messageId: mailId };
    },
    async update() {
      // A mail cannot be changed once sent, and a higher count is not worth another one.
    },
  };
}
