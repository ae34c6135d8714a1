import { createKafka } from '../../src/kafka/client';
import { createEventProducer } from '../../src/kafka/producer';
import { createNaming } from '../../src/kafka/topics';
import { createHttpApp } from '../../src/http/server';
import { createMetrics } from '../../src/config/metrics';
import { createWebhookRoutes } from '../../src/ingest/webhook-routes';
import { iexRequestHeaders } from '../../src/ingest/signatures';

import { transferEvent } from '../fixtures/transfer-events';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { shopifyInventoryLevel, shopifyOrder, shopifyProduct } from '../fixtures/shopify';
import { MAX_JSON_DEPTH } from '../../src/http/json-limits';
import { REFERENCE_MAX_LENGTH } from '../../src/domain/events';
import { SHOPIFY_WEBHOOK_ID_MAX_LENGTH } from '../../src/domain/webhooks';
import { readTopic } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { postEvents, postShopify } from '../support/webhooks';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait-for';

describe('POST /webhooks/events', () => {
  let running: RunningApp;
  let acme: TestTenant;
  let globex: TestTenant;
  let url: string;

  beforeAll(async () => {
    running = await startTestApp({ WEBHOOK_MAX_BODY_BYTES: '20000', WEBHOOK_MAX_EVENTS: '10' });
    url = running.app.url();
    acme = await createTestTenant(running.store.models, { tenantId: 'acme' });
    globex = await createTestTenant(running.store.models, { tenantId: 'globex' });
  });

  afterAll(() => running?.stop());

  it('accepts a signed event and a signed batch with 202, keyed tenant:transfer in Kafka', async () => {
    const single = transferEvent({ tenantId: 'acme' });
    const batch = [
      transferEvent({ tenantId: 'acme' }),
      transferEvent({ tenantId: 'acme', type: 'transfer.succeeded' }),
    ];

    expect(await postEvents(url, 'acme', acme.engineSecret, single)).toEqual({
      status: 202,
      body: { accepted: [single.id] },
    });
    expect(await postEvents(url, 'acme', acme.engineSecret, { events: batch })).toEqual({
      status: 202,
      body: { accepted: batch.map(({ id }) => id) },
    });

    const messages = await readTopic(running.kafka, running.naming.topic('transfers'), 3);
    const keys = messages.map((message) => message.key?.toString()).sort();
    expect(keys).toEqual([single, ...batch].map((event) => `acme:${event.transferId}`).sort());
  });

  it("refuses a missing, wrong, stale or other tenant's signature with 401", async () => {
    const event = transferEvent({ tenantId: 'acme' });
    const raw = JSON.stringify(event);
    const unsigned = await fetch(`${url}/webhooks/events`, {
      method: 'POST',
      headers: { 'x-iex-tenant': 'acme' },
      body: raw,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: 'invalid_signature', message: 'the request is not signed' });

    // Signed with globex's secret but claiming to be acme.
    expect(await postEvents(url, 'acme', globex.engineSecret, event)).toMatchObject({
      status: 401,
      body: { error: 'invalid_signature', message: 'the signature does not match' },
    });
    const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
    expect(await postEvents(url, 'acme', acme.engineSecret, event, { now: sixMinutesAgo })).toMatchObject({
      status: 401,
      body: { error: 'invalid_signature' },
    });
    expect(await postEvents(url, 'nobody', acme.engineSecret, event)).toMatchObject({ status: 401 });
  });

  it('answers 400 with the failing field paths, and accepts nothing of a bad batch', async () => {
    const good = transferEvent({ tenantId: 'acme' });
    const response = await postEvents(url, 'acme', acme.engineSecret, [
      good,
      { ...transferEvent({ tenantId: 'acme' }), entity: 'invoice', occurredAt: 'now' },
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'invalid_event',
      issues: [
        'events.1.entity: Invalid option: expected one of "order"|"product"|"stock"',
        'events.1.occurredAt: Invalid ISO datetime',
      ],
    });
    expect(await postEvents(url, 'acme', acme.engineSecret, '{not json')).toMatchObject({
      status: 400,
      body: { error: 'invalid_json' },
    });
    const stored = await readTopic(running.kafka, running.naming.topic('transfers'), 3);
    expect(stored.map((message) => JSON.parse(message.value!.toString()).id)).not.toContain(good.id);
  });

  it('answers 403 for an event of another tenant than the signing one', async () => {
    const response = await postEvents(url, 'acme', acme.engineSecret, [transferEvent({ tenantId: 'globex' })]);
    expect(response).toMatchObject({ status: 403, body: { error: 'tenant_mismatch', issues: ['events.0.tenantId'] } });
  });

  it('answers 413 for a body over the limit or too many events', async () => {
    const big = transferEvent({
      tenantId: 'acme',
      source: { system: 'shopify', format: 'json', payload: 'x'.repeat(30_000) },
    });
    expect(await postEvents(url, 'acme', acme.engineSecret, big)).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large' },
    });
    const many = Array.from({ length: 11 }, () => transferEvent({ tenantId: 'acme' }));
    expect(await postEvents(url, 'acme', acme.engineSecret, many)).toMatchObject({
      status: 413,
      body: { error: 'too_many_events' },
    });
  });

  it('keeps a Shopify webhook as a transfer once, even when Shopify delivers it twice', async () => {
    const order = shopifyOrder(1001);
    const first = await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', order, 'wh-1001');
    const again = await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', order, 'wh-1001');
    expect(first).toEqual({ status: 200, body: { accepted: 'shopify:wh-1001' } });
    expect(again.status).toBe(200);

    const transfer = await waitFor('the order in the log', () =>
      running.store.models.Transfer.findOne({ tenantId: 'acme', reference: '#1001' })
        .lean()
        .then((doc) => doc ?? undefined),
    );
    expect(transfer).toMatchObject({
      transferId: 'shopify-wh-1001',
      connectionId: 'orders',
      entity: 'order',
      operation: 'create',
      status: 'started',
      source: { system: 'shopify', format: 'shopify.orders/create' },
    });
    expect(JSON.parse(transfer.source!.payloadJson!)).toEqual(order);
    await waitFor('both deliveries consumed', async () => {
      const events = await running.store.models.TransferEvent.countDocuments({
        tenantId: 'acme',
        transferId: 'shopify-wh-1001',
      });
      return events === 1;
    });
    expect(await running.store.models.Transfer.countDocuments({ tenantId: 'acme', reference: '#1001' })).toBe(1);
  });

  it('skips a Shopify stock webhook when stock flows into Shopify, not out of it', async () => {
    await running.store.models.DataConnection.updateOne(
      { tenantId: 'globex', connectionId: 'stock' },
      { fromSystemId: 'e-conomic', toSystemId: 'shopify' },
    );
    expect(
      (await postShopify(url, 'globex', globex.shopifySecret, 'inventory_levels/update', shopifyInventoryLevel(42, 7)))
        .status,
    ).toBe(200);
    // Raw webhooks of a tenant share a partition: once the order behind it is in, the stock one was handled.
    expect((await postShopify(url, 'globex', globex.shopifySecret, 'orders/create', shopifyOrder(2002))).status).toBe(
      200,
    );
    await waitFor('the order after it', () =>
      running.store.models.Transfer.exists({ tenantId: 'globex', reference: '#2002' }),
    );
    expect(await running.store.models.Transfer.countDocuments({ tenantId: 'globex', entity: 'stock' })).toBe(0);
  });

  it('refuses a Shopify webhook with a bad HMAC or an unsupported topic', async () => {
    expect(await postShopify(url, 'acme', globex.shopifySecret, 'orders/create', shopifyOrder(1))).toMatchObject({
      status: 401,
    });
    expect(await postShopify(url, 'acme', acme.shopifySecret, 'customers/create', { id: 1 })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_topic' },
    });
  });
});

describe('hostile input at the webhook edge: refused with 400, or accepted and recordable', () => {
  let running: RunningApp;
  let acme: TestTenant;
  let url: string;

  beforeAll(async () => {
    // The default body limit (1 MiB): a 50,000-deep body (100 kB) gets past it to the depth check.
    running = await startTestApp();
    url = running.app.url();
    acme = await createTestTenant(running.store.models, { tenantId: 'acme' });
  });

  afterAll(() => running?.stop());

  /** A JSON array nested `levels` deep, as text (JSON.stringify itself would overflow on it). */
  const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

  /**
   * Every message value on a topic up to and including the first that contains `sentinel`. Sent
   * after the refused requests with the same Kafka key (so on the same partition, after them), it
   * proves they were not produced: had they been, they would come before it.
   */
  async function producedUpTo(topic: 'transfers' | 'webhooksRaw', sentinel: string): Promise<string[]> {
    const seen: string[] = [];
    await readTopic(running.kafka, running.naming.topic(topic), 1, {
      where: (message) => {
        const value = message.value?.toString() ?? '';
        seen.push(value);
        return value.includes(sentinel);
      },
    });
    return seen;
  }

  it('refuses an event nested 50,000 levels deep with 400 too_deep, naming the limit, and produces nothing', async () => {
    const event = transferEvent({ tenantId: 'acme' });
    const { source: _none, ...envelope } = event;
    const raw = `${JSON.stringify(envelope).slice(0, -1)},"source":{"system":"shopify","format":"json","payload":${nested(50_000)}}}`;
    const response = await postEvents(url, 'acme', acme.engineSecret, raw);
    expect(response).toEqual({
      status: 400,
      body: {
        error: 'too_deep',
        message: `the JSON is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
        maxDepth: MAX_JSON_DEPTH,
      },
    });
    // Just inside the limit (the event and its source take two levels), with the same id and
    // transfer (so the same partition): accepted, and the only message of that id.
    const shallow = `${JSON.stringify(envelope).slice(0, -1)},"source":{"system":"shopify","format":"json","payload":${nested(MAX_JSON_DEPTH - 2)}}}`;
    expect(await postEvents(url, 'acme', acme.engineSecret, shallow)).toEqual({
      status: 202,
      body: { accepted: [event.id] },
    });
    const produced = (await producedUpTo('transfers', event.id)).filter((value) => value.includes(event.id));
    expect(produced).toHaveLength(1);
    expect(JSON.parse(produced[0]!).source.payload).toEqual(JSON.parse(nested(MAX_JSON_DEPTH - 2)));
  });

  it('refuses a reference over 200 characters and ids the consumers would refuse, with the field, producing nothing', async () => {
    const transferId = `order-${Date.now()}`;
    const long = transferEvent({ tenantId: 'acme', transferId, reference: 'r'.repeat(REFERENCE_MAX_LENGTH + 1) });
    expect(await postEvents(url, 'acme', acme.engineSecret, long)).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_event',
        issues: [`reference: Too big: expected string to have <=${REFERENCE_MAX_LENGTH} characters`],
      },
    });
    const longId = transferEvent({ tenantId: 'acme', transferId, id: 'e'.repeat(201) });
    expect(await postEvents(url, 'acme', acme.engineSecret, longId)).toMatchObject({
      status: 400,
      body: { issues: ['id: Too big: expected string to have <=200 characters'] },
    });
    const longCode = transferEvent({
      tenantId: 'acme',
      transferId,
      type: 'transfer.failed',
      error: { code: 'c'.repeat(101), message: 'm', retryable: false },
    });
    expect(await postEvents(url, 'acme', acme.engineSecret, longCode)).toMatchObject({
      status: 400,
      body: { issues: ['error.code: Too big: expected string to have <=100 characters'] },
    });

    const fits = transferEvent({ tenantId: 'acme', transferId, reference: 'r'.repeat(REFERENCE_MAX_LENGTH) });
    expect((await postEvents(url, 'acme', acme.engineSecret, fits)).status).toBe(202);
    // Same transfer, so the same partition: anything refused would come before it.
    const produced = (await producedUpTo('transfers', fits.id))
      .filter((value) => value.includes(transferId))
      .map((value) => JSON.parse(value).id);
    expect(produced).toEqual([fits.id]);
  });

  it('accepts `$` and `.` in payload keys (legal JSON) and passes them through unchanged', async () => {
    const payload = { $where: 'this.a == 1', 'a.b': { '$set.x': [1, { '.': null }] }, $: '' };
    const event = transferEvent({ tenantId: 'acme', source: { system: 'shopify', format: 'json', payload } });
    expect(await postEvents(url, 'acme', acme.engineSecret, event)).toEqual({
      status: 202,
      body: { accepted: [event.id] },
    });
    const [message] = await readTopic(running.kafka, running.naming.topic('transfers'), 1, {
      where: (candidate) => candidate.value!.toString().includes(event.id),
    });
    expect(JSON.parse(message!.value!.toString())).toEqual(event);

    const order = { ...shopifyOrder(4242), ...payload };
    const webhookId = `wh-dollar-${Date.now()}`;
    expect(await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', order, webhookId)).toEqual({
      status: 200,
      body: { accepted: `shopify:${webhookId}` },
    });
    const [raw] = await readTopic(running.kafka, running.naming.topic('webhooksRaw'), 1, {
      where: (candidate) => candidate.value!.toString().includes(webhookId),
    });
    expect(JSON.parse(raw!.value!.toString()).payload).toEqual(order);
  });

  it('refuses a Shopify webhook nested too deep or with a webhook id its transfer id could not be made of', async () => {
    expect(
      await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', `{"name":"#1","x":${nested(50_000)}}`),
    ).toMatchObject({ status: 400, body: { error: 'too_deep', maxDepth: MAX_JSON_DEPTH } });

    const tooLong = 'w'.repeat(201);
    expect(await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', shopifyOrder(7001), tooLong)).toEqual({
      status: 400,
      body: {
        error: 'invalid_webhook',
        message: 'the webhook cannot be recorded',
        issues: [
          `the x-shopify-webhook-id header: Too big: expected string to have <=${SHOPIFY_WEBHOOK_ID_MAX_LENGTH} characters`,
        ],
      },
    });
    const justOver = 'w'.repeat(SHOPIFY_WEBHOOK_ID_MAX_LENGTH + 1);
    expect(
      (await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', shopifyOrder(7002), justOver)).status,
    ).toBe(400);

    // Raw webhooks are keyed by tenant: one partition, so the sentinel comes after anything refused.
    const sentinel = `wh-sentinel-${Date.now()}`;
    expect(
      (await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', shopifyOrder(7003), sentinel)).status,
    ).toBe(200);
    const produced = (await producedUpTo('webhooksRaw', sentinel)).map((value) => JSON.parse(value).webhookId);
    expect(produced).not.toContain(tooLong);
    expect(produced).not.toContain(justOver);
    expect(produced.at(-1)).toBe(sentinel);
  });

  it('records a webhook with the longest webhook id taken, and a product whose title is longer than a reference', async () => {
    const longest = `w${'x'.repeat(SHOPIFY_WEBHOOK_ID_MAX_LENGTH - 1)}`;
    expect(
      (await postShopify(url, 'acme', acme.shopifySecret, 'orders/create', shopifyOrder(8001), longest)).status,
    ).toBe(200);
    const product = { ...shopifyProduct(8002), title: `Mug ${'m'.repeat(300)}` };
    expect((await postShopify(url, 'acme', acme.shopifySecret, 'products/create', product, 'wh-8002')).status).toBe(
      200,
    );

    const order = await waitFor('the order with the longest webhook id in the log', () =>
      running.store.models.Transfer.findOne({ tenantId: 'acme', transferId: `shopify-${longest}` })
        .lean()
        .then((doc) => doc ?? undefined),
    );
    expect(order).toMatchObject({ reference: '#8001', status: 'started' });
    const recorded = await waitFor('the product in the log', () =>
      running.store.models.Transfer.findOne({ tenantId: 'acme', transferId: 'shopify-wh-8002' })
        .lean()
        .then((doc) => doc ?? undefined),
    );
    expect(recorded.reference).toHaveLength(REFERENCE_MAX_LENGTH);
    expect(recorded.reference).toBe(`${product.title.slice(0, REFERENCE_MAX_LENGTH - 1)}…`);
  });
});

describe('ingest while Kafka is unavailable', () => {
  it('answers 503 with Retry-After, never 2xx for an event that is not in Kafka', async () => {
    const port = await freePort();

    const { logger } = captureLogger();
    const kafka = createKafka({ brokers: [`127.0.0.1:${port}`], clientId: 'dead-broker-test', logger });
    const producer = createEventProducer(kafka, createNaming('dead'));
    const secret = 'engine-secret';
    const http = createHttpApp({
      logger,
      metrics: createMetrics(),
      checks: [],
      routers: [
        {
          path: '/webhooks',
          router: createWebhookRoutes({
            secrets: {
              engineSecret: async () => secret,
              shopifySecret: async () => undefined,
              verifyEngine: async (_tenantId, check) => check(secret),
              verifyShopify: async () => 'mismatch',
            },
            producer,
            logger,
            maxBodyBytes: 100_000,
            maxEvents: 10,
            kafkaTimeoutMs: 1_500,
          }),
        },
      ],
    });
    const listening = http.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    try {
      const address = listening.address() as { port: number };
      const body = JSON.stringify(transferEvent({ tenantId: 'acme' }));
      const response = await fetch(`http://127.0.0.1:${address.port}/webhooks/events`, {
        method: 'POST',
        headers: iexRequestHeaders('acme', secret, body),
        body,
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ error: 'unavailable' });
    } finally {
      listening.close();
      await producer.disconnect().catch(() => undefined);
    }
  });
});
