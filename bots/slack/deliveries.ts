import type { Logger } from '../../src/config/logger';
import type { ChatDeliveries } from '../../src/store';
import { deliveryKey } from './parse';

/**
 * Whether this instance handles a Slack delivery, acknowledges it as a repeat, or asks Slack to
 * send it again later — decided in the store, so that it holds across instances behind one load
 * balancer (see src/store/chat-deliveries.ts).
 *
 * Slack retries an Events API delivery (same `event_id`, `X-Slack-Retry-Num` 1 to 3: at once, after
 * a minute, after five) when it got no 2xx within three seconds. It does not retry slash commands
 * or interactions; their `trigger_id` only recognises a repeat sent by a proxy or a double submit.
 *
 * A repeat that finds the delivery still being handled waits briefly for its owner (a late
 * acknowledgement is the usual reason for a retry, and the work then ends within moments). If the
 * owner is still at it after that, an event is answered 503: should the owner have died before
 * acknowledging, its lease passes within 30 s and Slack's next retry, a minute later, acts; should
 * it be alive, that retry finds the delivery done. A repeated trigger is acknowledged and dropped
 * (nothing retries it; the owner answers the person).
 */

export interface DeliveryRequest {
  body: unknown;
  retryNum?: number | undefined;
  retryReason?: string | undefined;
}

export type DeliveryDecision =
  /** Handle it: run the work through `hold`, which keeps the claim live and marks it done. */
  | { kind: 'handle'; hold<T>(work: () => Promise<T>): Promise<T> }
  /** A repeat of something handled (or being handled, for a trigger): acknowledge, do nothing. */
  | { kind: 'ignore' }
  /** An event still in another instance's hands, or the store failed: answer with an error so Slack retries. */
  | { kind: 'retry-later' };

export interface SlackDeliveries {
  decide(request: DeliveryRequest): Promise<DeliveryDecision>;
}

export function createSlackDeliveries({
  deliveries,
  logger,
  waitForOwnerMs = 1500,
  pollMs = 100,
}: {
  deliveries: ChatDeliveries;
  logger: Logger;
  /** How long a repeat waits for the owner to finish; well under Slack's three seconds. */
  waitForOwnerMs?: number;
  pollMs?: number;
}): SlackDeliveries {
  const untracked: DeliveryDecision = { kind: 'handle', hold: (work) => work() };

  return {
    async decide({ body, retryNum, retryReason }) {
      const key = deliveryKey(body);
      // Without an id (e.g. url_verification) there is nothing a repeat could be recognised by.
      if (!key) return untracked;
      const retriedBySlack = key.startsWith('event:');
      const context = { delivery: key, retryNum, retryReason };
      try {
        let outcome = await deliveries.begin(`slack:${key}`);
        const waitUntil = Date.now() + waitForOwnerMs;
        while (outcome.kind === 'busy' && Date.now() < waitUntil) {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          const seen = await deliveries.peek(`slack:${key}`);
          // 'free': the owner's lease passed while we waited; try to take the delivery over.
          if (seen === 'free') outcome = await deliveries.begin(`slack:${key}`);
          else if (seen === 'done') outcome = { kind: 'done' };
        }
        if (outcome.kind === 'first') {
          const { claim } = outcome;
          if (claim.attempt > 1)
            logger.warn({ ...context, attempt: claim.attempt }, 'took over a Slack delivery whose handler stopped');
          return { kind: 'handle', hold: (work) => deliveries.hold(claim, work) };
        }
        if (outcome.kind === 'busy' && retriedBySlack) {
          logger.info(context, 'a repeated Slack delivery is still being handled elsewhere; Slack will retry it');
          return { kind: 'retry-later' };
        }
        logger.info(context, 'ignored a repeated Slack delivery');
        return { kind: 'ignore' };
      } catch (error) {
        logger.error(
          { err: error, ...context },
          'could not tell whether a Slack delivery was handled; Slack may retry it',
        );
        return { kind: 'retry-later' };
      }
    },
  };
}
