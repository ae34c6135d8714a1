import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../config/logger';
import { describeIssues, transferEventSchema, transferKey, type TransferEvent } from '../domain/events';
import {
  rawWebhookSchema,
  SHOPIFY_TOPICS,
  shopifyTopicSchema,
  shopifyWebhookIdSchema,
  type RawWebhook,
} from '../domain/webhooks';
import type { EventProducer } from '../kafka/producer';
import { withDeadline } from '../domain/with-deadline';
import { checkJsonDepth, MAX_JSON_DEPTH, tooDeepMessage } from '../http/json-limits';
import {
  IEX_HEADERS,
  SHOPIFY_HEADERS,
  verifyIexRequest,
  verifyShopifyWebhook,
  type SignatureCheck,
} from './signatures';
import type { TenantSecrets } from './tenant-secrets';

export interface WebhookRoutesDeps {
  secrets: TenantSecrets;
  producer: EventProducer;
  logger: Logger;
  maxBodyBytes: number;
  maxEvents: number;
  /** How long a request waits for Kafka before it answers 503 (the sender retries). */
  kafkaTimeoutMs: number;
}

/** An answer the route gives on purpose, as opposed to a crash. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const SIGNATURE_MESSAGES: Record<Exclude<SignatureCheck, 'ok'>, string> = {
  missing: 'the request is not signed',
  stale: `the signature timestamp is missing, malformed or more than 5 minutes away from now`,
  mismatch: 'the signature does not match',
};

function requireSignature(check: SignatureCheck): void {
  if (check !== 'ok') throw new Refusal(401, 'invalid_signature', SIGNATURE_MESSAGES[check]);
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Parses a signed body, refusing first (on the raw bytes, in one linear scan) one nested deeper
 * than MAX_JSON_DEPTH: validating or serialising such a value would overflow the stack.
 */
function parseJson(raw: Buffer): unknown {
  const depth = checkJsonDepth(raw, MAX_JSON_DEPTH);
  if (!depth.ok) throw new Refusal(400, 'too_deep', tooDeepMessage(MAX_JSON_DEPTH), { maxDepth: MAX_JSON_DEPTH });
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Refusal(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/** Where each field of a raw webhook comes from, for a 400 that says what to fix. */
const WEBHOOK_FIELD_SOURCES: Record<string, string> = {
  tenantId: 'the tenant id in the path',
  webhookId: `the ${SHOPIFY_HEADERS.webhookId} header`,
  shopDomain: `the ${SHOPIFY_HEADERS.shopDomain} header`,
  triggeredAt: `the ${SHOPIFY_HEADERS.triggeredAt} header`,
  payload: 'the body',
};

/** One event, an array of events, or `{ "events": [...] }`. */
const batchSchema = z.union([z.array(z.unknown()), z.object({ events: z.array(z.unknown()) })]);

function eventsOf(body: unknown, maxEvents: number): TransferEvent[] {
  const batch = batchSchema.safeParse(body);
  const items = !batch.success ? [body] : Array.isArray(batch.data) ? batch.data : batch.data.events;
  const single = !batch.success;
  if (items.length === 0) throw new Refusal(400, 'invalid_event', 'the batch holds no events');
  if (items.length > maxEvents) {
    throw new Refusal(413, 'too_many_events', `at most ${maxEvents} events per request, got ${items.length}`);
  }
  const events: TransferEvent[] = [];
  const issues: string[] = [];
  items.forEach((item, index) => {
    const parsed = transferEventSchema.safeParse(item);
    if (parsed.success) events.push(parsed.data);
    else issues.push(...describeIssues(parsed.error).map((issue) => (single ? issue : `events.${index}.${issue}`)));
  });
  if (issues.length > 0)
    throw new Refusal(400, 'invalid_event', 'the body does not match the v1 event contract', { issues });
  return events;
}

/**
 * POST /webhooks/events (engine transfer events) and POST /webhooks/shopify/:tenantId. Both verify
 * the signature over the raw bytes before reading anything, and answer 2xx only after Kafka has
 * acknowledged the write, so an accepted event is never lost; while Kafka is unavailable they
 * answer 503 and the sender retries.
 */
export function createWebhookRoutes(deps: WebhookRoutesDeps): Router {
  const { secrets, producer, logger } = deps;
  const router = express.Router();
  const rawBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  const produce = async (what: string, send: () => Promise<void>) => {
    try {
      await withDeadline(send(), deps.kafkaTimeoutMs, what);
    } catch (error) {
      logger.warn({ err: error }, `${what} failed; answering 503`);
      throw new Refusal(503, 'unavailable', 'the event store is unavailable; retry later');
    }
  };

  const secretOf = async <T>(lookup: () => Promise<T>) => {
    try {
      return await lookup();
    } catch (error) {
      logger.warn({ err: error }, 'tenant secret lookup failed; answering 503');
      throw new Refusal(503, 'unavailable', 'cannot verify the signature right now; retry later');
    }
  };

  router.post('/events', rawBody, async (req: Request, res: Response) => {
    const tenantId = header(req, IEX_HEADERS.tenant);
    if (!tenantId) throw new Refusal(401, 'invalid_signature', `the ${IEX_HEADERS.tenant} header is required`);
    // An unknown tenant gets the same answer as a wrong signature: no probing for tenant ids.
    requireSignature(
      await secretOf(() =>
        secrets.verifyEngine(tenantId, (secret) =>
          verifyIexRequest({
            secret,
            timestamp: header(req, IEX_HEADERS.timestamp),
            signature: header(req, IEX_HEADERS.signature),
            rawBody: req.body as Buffer,
          }),
        ),
      ),
    );
    const events = eventsOf(parseJson(req.body as Buffer), deps.maxEvents);
    const foreign = events.flatMap((event, index) => (event.tenantId === tenantId ? [] : [`events.${index}.tenantId`]));
    if (foreign.length > 0) {
      throw new Refusal(403, 'tenant_mismatch', `events may only be sent for the signing tenant ${tenantId}`, {
        issues: foreign,
      });
    }
    await produce('producing transfer events', () =>
      producer.sendJson(
        'transfers',
        events.map((event) => ({ key: transferKey(event), value: event })),
      ),
    );
    res.status(202).json({ accepted: events.map(({ id }) => id) });
  });

  router.post('/shopify/:tenantId', rawBody, async (req: Request, res: Response) => {
    const tenantId = String(req.params.tenantId);
    requireSignature(
      await secretOf(() =>
        secrets.verifyShopify(tenantId, (secret) =>
          verifyShopifyWebhook(secret, req.body as Buffer, header(req, SHOPIFY_HEADERS.hmac)),
        ),
      ),
    );
    const topic = shopifyTopicSchema.safeParse(header(req, SHOPIFY_HEADERS.topic));
    if (!topic.success) {
      throw new Refusal(400, 'unsupported_topic', `supported topics: ${Object.keys(SHOPIFY_TOPICS).join(', ')}`);
    }
    const webhookId = header(req, SHOPIFY_HEADERS.webhookId);
    if (!webhookId) throw new Refusal(400, 'invalid_webhook', `the ${SHOPIFY_HEADERS.webhookId} header is required`);
    // Checked on its own first: the webhook's id and its transfer's ids all derive from it.
    const id = shopifyWebhookIdSchema.safeParse(webhookId);
    if (!id.success) {
      throw new Refusal(400, 'invalid_webhook', 'the webhook cannot be recorded', {
        issues: id.error.issues.map((issue) => `${WEBHOOK_FIELD_SOURCES.webhookId}: ${issue.message}`),
      });
    }
    const payload = parseJson(req.body as Buffer);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new Refusal(400, 'invalid_webhook', 'the body must be a JSON object');
    }
    const webhook: RawWebhook = {
      id: `shopify:${webhookId}`,
      source: 'shopify',
      tenantId,
      topic: topic.data,
      webhookId,
      shopDomain: header(req, SHOPIFY_HEADERS.shopDomain),
      receivedAt: new Date().toISOString(),
      triggeredAt: header(req, SHOPIFY_HEADERS.triggeredAt),
      payload: payload as Record<string, unknown>,
    };
    // The normalizer's own schema: a webhook it would dead-letter is refused here, naming the field.
    // Only checked: zod's copy is not sent, so the payload passes through exactly as received.
    const checked = rawWebhookSchema.safeParse(webhook);
    if (!checked.success) {
      throw new Refusal(400, 'invalid_webhook', 'the webhook cannot be recorded', {
        issues: checked.error.issues.map(
          (issue) => `${WEBHOOK_FIELD_SOURCES[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`,
        ),
      });
    }
    await produce('producing a Shopify webhook', () =>
      producer.sendJson('webhooksRaw', [{ key: tenantId, value: webhook }]),
    );
    res.status(200).json({ accepted: webhook.id });
  });

  // Express 5 passes rejected async handlers and body-parser errors here.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof Refusal) {
      if (error.status === 503) res.setHeader('Retry-After', '5');
      res.status(error.status).json({ error: error.code, message: error.message, ...error.details });
      return;
    }
    const parserError = error as { type?: string; status?: number };
    if (parserError.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: 'payload_too_large', message: `the body is larger than ${deps.maxBodyBytes} bytes` });
      return;
    }
    next(error);
  });
  return router;
}
