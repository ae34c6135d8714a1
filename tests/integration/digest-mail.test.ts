import type { Admin } from 'kafkajs';
import { PNG } from 'pngjs';
import { SMTPServer } from 'smtp-server';
import { notifyAlerts } from '../../consumers/notifier';
import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { dayAndPeriod } from '../../src/domain/periods';
import { buildDigest } from '../../src/jobs/daily-digest';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { createUsageCharts } from '../../src/services/charts/usage-chart';
import { createEmailChannel } from '../../src/services/mail/email-channel';
import { createMailOutbox, type MailOutbox } from '../../src/services/mail/outbox';
import { createSmtpTransport } from '../../src/services/mail/transport';
import { applyPartitionUsage, connectStore, type Store } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { testKafka } from '../support/kafka';
import { freePort } from '../support/ports';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** Every leaf part of a MIME message, nested multiparts opened; bodies as they are on the wire. */
function leafParts(raw: string): Part[] {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((match) => match[1]!);
  const escaped = boundaries.map((boundary) => boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const chunks = escaped.length ? raw.split(new RegExp(`\\r\\n--(?:${escaped.join('|')})(?:--)?\\r\\n`)) : [raw];
  return chunks.slice(1).flatMap((chunk) => {
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) return [];
    const headers: Record<string, string> = {};
    for (const line of chunk
      .slice(0, split)
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return (headers['content-type'] ?? '').startsWith('multipart/') ? [] : [{ headers, body: chunk.slice(split + 4) }];
  });
}

function decoded(part: Part): Buffer {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    return Buffer.from(
      part.body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
  }
  return Buffer.from(part.body, 'latin1');
}

describe('the daily digest mail', () => {
  const { logger } = captureLogger();
  const config = testConfig();
  let naming: Naming;
  let store: Store;
  let producer: EventProducer;
  let admin: Admin;
  let smtp: SMTPServer;
  let outbox: MailOutbox;
  const received: string[] = [];

  beforeAll(async () => {
    naming = createNaming(config.KAFKA_NAMESPACE);
    store = connectStore(config.MONGO_URL);
    await store.ready();
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'digest-mail-test', logger });
    await ensureTopics(kafka, naming, { partitions: 1, replicationFactor: 1 });
    producer = createEventProducer(kafka, naming);
    await producer.connect();
    admin = testKafka().admin();
    await admin.connect();
    const port = await freePort();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('latin1'));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', () => resolve()));
    outbox = createMailOutbox({
      models: store.models,
      transport: createSmtpTransport(`smtp://127.0.0.1:${port}`, { timeoutMs: 5_000 }),
      from: 'IEX ChatOps <chatops@iex.example>',
      maxAttempts: 3,
      retryBaseMs: 50,
      logger,
      pollMs: 50,
    });
    outbox.start();
  });

  afterAll(async () => {
    await outbox?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await store?.connection.dropDatabase();
    await store?.close();
  });

  it("carries the period's usage chart as an inline PNG referenced by cid, and speaks the tenant's Danish", async () => {
    const { models } = store;
    const tenant = await createTestTenant(models, { language: 'da', includedOrders: 800 });
    await models.NotificationRule.create({
      tenantId: tenant.tenantId,
      trigger: 'digest',
      recipient: { kind: 'email', target: 'bogholder@shop.example' },
    });
    const at = new Date();
    const { day } = dayAndPeriod(new Date(at.getTime() - 24 * 60 * 60_000), DEFAULT_TIMEZONE);
    const deltas = [
      ...Array.from({ length: 42 }, () => ({ outcome: 'created' as const })),
      ...Array.from({ length: 6 }, () => ({ outcome: 'failed' as const })),
    ].map(({ outcome }, offset) => ({ day, entity: 'order' as const, outcome, offset }));
    await applyPartitionUsage(models, { tenantId: tenant.tenantId, period: day.slice(0, 7), partition: 0, deltas });

    const charts = createUsageCharts(models);
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'digest-mail-notifier', logger });
    const channel = createEmailChannel({ models, logger, outbox });
    const runner = createConsumerRunner(notifyAlerts({ models, logger, channels: [channel], charts }), {
      kafka,
      naming,
      producer,
      logger,
      sessionTimeoutMs: 10_000,
    });
    await runner.start();
    const digest = await buildDigest(models, tenant.tenantId, DEFAULT_TIMEZONE, day, at);
    try {
      await producer.sendJson('alerts', [{ key: tenant.tenantId, value: digest }]);
      await waitFor('the digest mail', () => received.some((raw) => raw.includes('bogholder@shop.example')));
    } finally {
      await runner.stop();
    }

    const raw = received.find((mail) => mail.includes('bogholder@shop.example'))!;
    const parts = leafParts(raw);
    const html = decoded(parts.find((part) => part.headers['content-type']!.startsWith('text/html'))!).toString('utf8');
    const plain = decoded(parts.find((part) => part.headers['content-type']!.startsWith('text/plain'))!).toString(
      'utf8',
    );
    const image = parts.find((part) => part.headers['content-type']!.startsWith('image/png'));
    expect(image).toBeDefined();
    const cid = /<([^>]+)>/.exec(image!.headers['content-id'] ?? '')?.[1];
    expect(cid).toBeTruthy();
    expect(html).toContain(`src="cid:${cid}"`);
    expect(html).not.toContain('data:image/png');

    // The picture is the chart of the digest's period, drawn for the tenant in Danish.
    const png = decoded(image!);
    const expected = await charts.usageChart({
      tenantId: tenant.tenantId,
      period: digest.period,
      language: 'da',
      theme: 'light',
      size: 'small',
      now: at,
    });
    expect(png.equals(expected.png)).toBe(true);
    const decodedPng = PNG.sync.read(png);
    expect([decodedPng.width, decodedPng.height]).toEqual([expected.width, expected.height]);

    // Its words: the digest in Danish, the alt text with the numbers in the text part and on the image.
    expect(html).toContain('Daglig oversigt');
    expect(html).toContain('42 oprettet · 0 opdateret · 6 fejlede');
    expect(plain).toContain('42 oprettet, 0 opdateret, 6 fejlede');
    expect(html).toContain(`alt="${expected.alt.split(' ').slice(0, 4).join(' ')}`);
    expect(plain).not.toMatch(/Daily digest|created|Failures by cause/);
  });
});
