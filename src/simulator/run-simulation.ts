import { setTimeout as sleep } from 'node:timers/promises';
import { iexRequestHeaders, SHOPIFY_HEADERS, signShopifyWebhook } from '../ingest/signatures';
import type { SimulationRoutes } from './routes';
import { createTraffic, timeSteps, type SimulatedTransfer } from './traffic';

/** Where the traffic goes and what signs it. */
export interface SimulationTarget {
  /** Base URL of the running service, e.g. http://127.0.0.1:3000. */
  url: string;
  tenantId: string;
  /** Signs `POST /webhooks/events` (the tenant's webhook secret). */
  engineSecret: string;
  /** Signs `POST /webhooks/shopify/:tenantId` (the Shopify system's webhook secret). */
  shopifySecret: string;
  shopDomain: string;
  routes: SimulationRoutes;
  firstOrderNumber?: number;
}

export interface SimulationOptions extends SimulationTarget {
  /** Transfers started per second. */
  rate: number;
  failureShare: number;
  seed: number;
  /** Stop after this many transfers; run until `signal` aborts when undefined. */
  count?: number;
  /** Stops starting transfers; the ones in flight still finish, so none is left half reported. */
  signal?: AbortSignal;
  onError?: (failure: RequestFailure) => void;
  onProgress?: (summary: SimulationSummary) => void;
  progressEveryMs?: number;
}

export interface SimulationSummary {
  /** Transfers started. */
  sent: number;
  /** Transfers whose every request the service accepted. */
  accepted: number;
  /** Accepted transfers that the engine reported as failed, on purpose. */
  failedByDesign: number;
  /** Requests refused (non-2xx after retries) or unanswered; each abandons its transfer. */
  errors: number;
}

export interface RequestFailure {
  transferId: string;
  request: string;
  status?: number;
  body: string;
}

/** 503 means "Kafka is away, retry": try a few times, never longer than a bounded wait. */
const MAX_ATTEMPTS = 5;
const MAX_RETRY_AFTER_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

class RequestRefused extends Error {
  constructor(readonly failure: Omit<RequestFailure, 'transferId'>) {
    super(`${failure.request}: ${failure.status ?? 'no answer'} ${failure.body}`);
  }
}

/** Retry-After in seconds; its HTTP-date form (or none) means one second. */
function retryAfterMs(header: string | null): number {
  const seconds = header?.trim() ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : 1000;
}

/** Sleeps until `at`; false when `signal` aborted first. */
async function sleepUntil(at: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await sleep(Math.max(at - Date.now(), 0), undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** `sign` runs per attempt: a retried engine request needs a fresh signature timestamp. */
async function post(request: string, url: string, sign: () => Record<string, string>, body: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: sign(),
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RequestRefused({ request, body: cause ? `${reason} (${cause.code ?? cause.message})` : reason });
    }
    const text = await response.text();
    if (response.ok) return;
    if (response.status !== 503 || attempt === MAX_ATTEMPTS) {
      throw new RequestRefused({ request, status: response.status, body: text });
    }
    await sleep(retryAfterMs(response.headers.get('retry-after')));
  }
}

export function formatSummary(summary: SimulationSummary): string {
  return `sent ${summary.sent}, accepted ${summary.accepted}, failed by design ${summary.failedByDesign}, errors ${summary.errors}`;
}

/**
 * Sends webshop traffic through the service's public webhook endpoints at `rate` transfers per
 * second, signed like Shopify and an integration engine sign it: each transfer's Shopify webhook
 * first, then the engine's events as their stages happen. Resolves with the summary once
 * `count` transfers are done or `signal` stopped it and the transfers in flight finished.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const { url, tenantId, engineSecret, shopifySecret, signal } = options;
  const base = url.replace(/\/+$/, '');
  const traffic = createTraffic(options);
  const summary: SimulationSummary = { sent: 0, accepted: 0, failedByDesign: 0, errors: 0 };

  const sendWebhook = ({ webhook }: SimulatedTransfer) => {
    if (!webhook) return Promise.resolve();
    const body = JSON.stringify(webhook.payload);
    return post(
      `Shopify webhook ${webhook.topic}`,
      `${base}/webhooks/shopify/${encodeURIComponent(tenantId)}`,
      () => ({
        'content-type': 'application/json',
        [SHOPIFY_HEADERS.hmac]: signShopifyWebhook(shopifySecret, body),
        [SHOPIFY_HEADERS.topic]: webhook.topic,
        [SHOPIFY_HEADERS.webhookId]: webhook.webhookId,
        [SHOPIFY_HEADERS.shopDomain]: options.shopDomain,
        [SHOPIFY_HEADERS.triggeredAt]: new Date().toISOString(),
      }),
      body,
    );
  };

  const runTransfer = async (transfer: SimulatedTransfer) => {
    summary.sent += 1;
    try {
      await sendWebhook(transfer);
      // Dated from the webhook's acceptance, so no stage predates the service's own start event.
      for (const event of timeSteps(transfer.steps, new Date())) {
        await sleepUntil(Date.parse(event.occurredAt));
        const body = JSON.stringify(event);
        await post(
          `engine event ${event.type}`,
          `${base}/webhooks/events`,
          () => iexRequestHeaders(tenantId, engineSecret, body),
          body,
        );
      }
      summary.accepted += 1;
      if (transfer.failure) summary.failedByDesign += 1;
    } catch (error) {
      if (!(error instanceof RequestRefused)) throw error;
      summary.errors += 1;
      options.onError?.({ transferId: transfer.transferId, ...error.failure });
    }
  };

  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.({ ...summary }), options.progressEveryMs ?? 10_000)
    : undefined;
  const inFlight = new Set<Promise<void>>();
  // A slow service must not pile up unbounded requests; about five seconds' worth may wait.
  const maxInFlight = Math.ceil(options.rate * 5) + 8;
  const intervalMs = 1000 / options.rate;
  try {
    let due = Date.now();
    for (let started = 0; options.count === undefined || started < options.count; started++) {
      if (!(await sleepUntil(due, signal))) break;
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      const task: Promise<void> = runTransfer(traffic.next(new Date())).finally(() => inFlight.delete(task));
      inFlight.add(task);
      // After a stall, carry on at the rate rather than catching up in a burst.
      due = Math.max(due + intervalMs, Date.now());
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(progress);
  }
  return summary;
}
