import type { Counter } from 'prom-client';
import type { Logger } from '../config/logger';
import { deadLetterGroupKey, deadLetterReasonForChat, type AlertEvent } from '../domain/alerts';
import type { DeadLetterNotice } from './consumer-runner';
import { originOf, subjectOf } from './dead-letter-subject';
import type { EventProducer } from './producer';
import type { Naming } from './topics';

export interface DeadLetterAlertsDeps {
  producer: Pick<EventProducer, 'sendJson'>;
  naming: Naming;
  /** Whether the tenant exists; an unknown tenant's dead letter raises no alert. */
  tenantExists(tenantId: string): Promise<boolean>;
  logger: Logger;
  withoutTenant?: Pick<Counter<'group'>, 'inc'>;
}

/** The alerts about dead letters: one that is itself dead-lettered must not raise another. */
const ABOUT_DEAD_LETTERS = /"kind"\s*:\s*"pipeline\.(dead_letter|replayed)"/;

/**
 * The consumer runners' `onDeadLetter`: a `pipeline.dead_letter` alert on iex.alerts.v1 to the
 * tenant the message names (see `subjectOf`), which the notifier groups per tenant and consumer
 * group like failed transfers. Its id is where the message was read, so a message dead-lettered
 * twice (a crash before the commit) is counted once. A dead letter of no known tenant is logged
 * and counted, not alerted.
 */
export function createDeadLetterAlerts(deps: DeadLetterAlertsDeps): (letter: DeadLetterNotice) => Promise<void> {
  const logger = deps.logger.child({ component: 'dead-letter-alerts' });
  return async (letter) => {
    const where = { topic: letter.topic, partition: letter.partition, offset: letter.offset, group: letter.group };
    if (letter.topic === deps.naming.topic('alerts') && ABOUT_DEAD_LETTERS.test(letter.value?.toString('utf8') ?? '')) {
      logger.error(where, 'an alert about a dead letter was dead-lettered itself; no further alert');
      return;
    }
    const subject = subjectOf(letter.key, letter.value);
    if (!subject.tenantId || !(await deps.tenantExists(subject.tenantId))) {
      deps.withoutTenant?.inc({ group: letter.group });
      logger.warn(
        { ...where, ...(subject.tenantId ? { tenantId: subject.tenantId } : {}) },
        subject.tenantId ? 'dead letter of an unknown tenant; no alert' : 'dead letter names no tenant; no alert',
      );
      return;
    }
    const origin = originOf(letter.topic, letter.partition, letter.offset);
    const alert: AlertEvent = {
      kind: 'pipeline.dead_letter',
      id: `dlq:${origin}`,
      tenantId: subject.tenantId,
      groupKey: deadLetterGroupKey(subject.tenantId, letter.group),
      occurredAt: letter.at.toISOString(),
      origin,
      topic: letter.topic,
      group: letter.group,
      reason: deadLetterReasonForChat(letter.reason),
      ...(subject.transferId ? { transferId: subject.transferId } : {}),
      ...(subject.reference ? { reference: subject.reference } : {}),
    };
    await deps.producer.sendJson('alerts', [{ key: subject.tenantId, value: alert }]);
  };
}
