import { iexRequestHeaders } from '../src/ingest/signatures';
import type { TransferEvent } from '../src/domain/events';
import { runPool } from '../bench/pool';
import type { Instance } from './instances';
import { setTimeout as delay } from 'node:timers/promises';

/** What sending saw: what was accepted, and what the engine had to try again. */
export interface SendTally {
  /** Event ids answered 202 at least once. */
  accepted: Set<string>;
  /** Requests answered 202. */
  acceptedRequests: number;
  /** Tries that were not answered 202 and were tried again, by cause (e.g. "503", "connection"). */
  retried: Map<string, number>;
  /** Answers that say the event itself is wrong (4xx): a bug of the run or of the edge. */
  refused: Array<{ id: string; status: number; body: string }>;
}

export function newTally(): SendTally {
  return { accepted: new Set(), acceptedRequests: 0, retried: new Map(), refused: [] };
}

/**
 * Sends events one per request as an integration engine does: to any ready instance, and on a
 * connection error, a timeout, a 5xx or a 429, again later (to another instance if there is
 * one), until it is answered 202 or `giveUpAt` passes. A request that timed out may still have
 * been accepted, so an event can reach the broker twice: the recorder must keep it once.
 */
export async function sendEvents(options: {
  ids: readonly string[];
  events: ReadonlyMap<string, TransferEvent>;
  tenantId: string;
  secret: string;
  instances: readonly Instance[];
  concurrency: number;
  tally: SendTally;
  giveUpAt: number;
  requestTimeoutMs?: number;
  /** Awaited before the request at `index` is first sent: holds sending until a fault has begun. */
  before?: (index: number) => Promise<void>;
}): Promise<void> {
  const { ids, events, instances, tally } = options;
  let turn = 0;
  const pick = () => {
    const live = instances.filter((instance) => instance.ready());
    const from = live.length > 0 ? live : instances;
    turn += 1;
    return from[turn % from.length]!;
  };
  const retry = (cause: string) => tally.retried.set(cause, (tally.retried.get(cause) ?? 0) + 1);

  await runPool(ids.length, options.concurrency, async (index) => {
    const id = ids[index]!;
    await options.before?.(index);
    const body = JSON.stringify({ events: [events.get(id)] });
    for (let attempt = 0; ; attempt += 1) {
      if (Date.now() > options.giveUpAt) throw new Error(`event ${id} was not accepted before the run's deadline`);
      const instance = pick();
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${instance.url}/webhooks/events`, {
          method: 'POST',
          headers: iexRequestHeaders(options.tenantId, options.secret, body),
          body,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        retry((error as Error).name === 'TimeoutError' ? 'timeout' : 'connection');
      }
      if (status === 202) {
        tally.accepted.add(id);
        tally.acceptedRequests += 1;
        return;
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        tally.refused.push({ id, status, body: text.slice(0, 300) });
        return;
      }
      if (status !== 0) retry(String(status));
      // Backing off as engines do, capped so the run keeps pressing while a dependency is down.
      await delay(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
  });
}
