import type { Admin } from 'kafkajs';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { notifyAlerts } from '../../consumers/notifier';
import type { AlertChannel } from '../../src/services/alerts/channels';
import { notice, reply, text } from '../../src/chat/reply';
import type { Config } from '../../src/config/config';
import { failureGroupKey, type AlertEvent } from '../../src/domain/alerts';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafka } from '../../src/kafka/client';
import { createConsumerRunner } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { createNaming, type Naming } from '../../src/kafka/topics';
import { createEmailChannel } from '../../src/services/mail/email-channel';
import { createMailOutbox, type MailOutbox } from '../../src/services/mail/outbox';
import { createSmtpTransport } from '../../src/services/mail/transport';
import { connectStore, type Store } from '../../src/store';
import { createViewLinks, verifyViewLink } from '../../src/domain/view-links';
import { failure, VAT } from '../fixtures/alert-events';
import { createTestTenant } from '../fixtures/tenants';
import { testKafka, waitForGroupCaughtUp } from '../support/kafka';
import { freePort } from '../support/ports';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// ------------------------------------------------------------------ a mail, read back from MIME

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) in a header, decoded. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, '')
    .split(/(=[0-9A-Fa-f]{2})/)
    .flatMap((part) =>
      /^=[0-9A-Fa-f]{2}$/.test(part) ? [Buffer.from([parseInt(part.slice(1), 16)])] : [Buffer.from(part, 'latin1')],
    );
  return Buffer.concat(bytes).toString('utf8');
}

interface MimeEntity {
  headers: Record<string, string>;
  body: string;
}

function parseEntity(raw: string): MimeEntity {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { headers, body: decoded };
}

/** The headers, and the text/plain and text/html parts of a multipart/alternative mail. */
function parseMail(raw: string) {
  const top = parseEntity(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers['content-type'] ?? '')?.[1];
  const rawBody = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const parts = boundary
    ? rawBody
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => parseEntity(part.replace(/^\r\n/, '')))
    : [top];
  const part = (type: string) =>
    parts.find((candidate) => (candidate.headers['content-type'] ?? '').startsWith(type))?.body.replace(/\r\n/g, '\n');
  return {
    headers: top.headers,
    subject: decodeWords(top.headers.subject ?? ''),
    contentType: top.headers['content-type'] ?? '',
    text: part('text/plain'),
    html: part('text/html'),
  };
}

// ------------------------------------------------------------------ a local mail server

interface Received {
  from: string;
  to: string[];
  raw: string;
  mail: ReturnType<typeof parseMail>;
}

/** An SMTP server on loopback that records what it accepts, and can say "later" (451) or "no" (550). */
class TestSmtpServer {
  readonly received: Received[] = [];
  readonly logins: Array<{ username: string; password: string }> = [];
  /** DATA commands seen per recipient, accepted or not. */
  readonly tries = new Map<string, number>();
  /** Recipients whose next N mails get 451, or always (Infinity). */
  readonly deferrals = new Map<string, number>();
  /** Recipients refused for good (550 at RCPT TO). */
  readonly unknown = new Set<string>();
  port = 0;
  private server: SMTPServer | undefined;

  async start(): Promise<this> {
    this.port = await freePort();
    const options: SMTPServerOptions = {
      authOptional: true,
      // A plain-text test server: no certificate to make, so no STARTTLS; AUTH without TLS is allowed here only.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        this.logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
        callback(null, { user: auth.username });
      },
      onRcptTo: (address, _session, callback) => {
        if (this.unknown.has(address.address))
          return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map(({ address }) => address);
          for (const address of to) this.tries.set(address, (this.tries.get(address) ?? 0) + 1);
          const deferred = to.find((address) => (this.deferrals.get(address) ?? 0) > 0);
          if (deferred) {
            this.deferrals.set(deferred, this.deferrals.get(deferred)! - 1);
            return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          }
          const raw = Buffer.concat(chunks).toString('latin1');
          const mailFrom = session.envelope.mailFrom;
          this.received.push({ from: mailFrom ? mailFrom.address : '', to, raw, mail: parseMail(raw) });
          callback();
        });
      },
    };
    this.server = new SMTPServer(options);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    return this;
  }

  to(address: string): Received[] {
    return this.received.filter((mail) => mail.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// ------------------------------------------------------------------ tests

const SMTP_PASSWORD = 'smtp-pass-w0rd';
const FROM = 'IEX ChatOps <chatops@iex.example>';
const LINK_SECRET = 'mail-test-link-secret-at-least-32-chars';

describe('notification mails: the outbox sends them through SMTP, retries, and loses none', () => {
  let config: Config;
  let naming: Naming;
  let store: Store;
  let producer: EventProducer;
  let admin: Admin;
  let smtp: TestSmtpServer;
  const { logger, records } = captureLogger('debug');
  const outboxes: MailOutbox[] = [];
  // A fixed clock, so the test can make the very link the notifier put in the mail.
  const linkTime = new Date();
  const links = createViewLinks({
    baseUrl: 'https://chatops.example.com',
    secret: LINK_SECRET,
    ttlMs: 86_400_000,
    now: () => linkTime,
  });

  const smtpUrl = () => `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`;
  const outbox = (overrides: Partial<Parameters<typeof createMailOutbox>[0]> = {}) => {
    const created = createMailOutbox({
      models: store.models,
      transport: createSmtpTransport(smtpUrl(), { timeoutMs: 5_000 }),
      from: FROM,
      maxAttempts: 3,
      retryBaseMs: 50,
      logger,
      pollMs: 50,
      ...overrides,
    });
    outboxes.push(created);
    return created;
  };
  const mailOf = (mailId: string) => store.models.Mail.findOne({ mailId }).lean();
  const logsOf = (mailId: string, msg: string | RegExp) =>
    records.filter((record) => record.mailId === mailId && String(record.msg).match(msg));

  beforeAll(async () => {
    config = testConfig();
    naming = createNaming(config.KAFKA_NAMESPACE);
    store = connectStore(config.MONGO_URL);
    await store.ready();
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mail-test', logger });
    await ensureTopics(kafka, naming, { partitions: 1, replicationFactor: 1 });
    producer = createEventProducer(kafka, naming);
    await producer.connect();
    admin = testKafka().admin();
    await admin.connect();
    smtp = await new TestSmtpServer().start();
  });

  afterEach(async () => {
    for (const created of outboxes.splice(0)) await created.stop();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await smtp?.stop();
    await store?.connection.dropDatabase();
    await store?.close();
  });

  it('mails a failure alert, through the real notifier, to the e-mail recipients of that trigger: subject, text, HTML and the transfer link', async () => {
    const tenant = await createTestTenant(store.models);
    await store.models.NotificationRule.create([
      {
        tenantId: tenant.tenantId,
        trigger: 'transfer.failed',
        recipient: { kind: 'email', target: 'ops@shop.example' },
      },
      {
        tenantId: tenant.tenantId,
        trigger: 'transfer.failed',
        recipient: { kind: 'email', target: 'it@shop.example' },
      },
      // Another trigger's recipient gets nothing for a failure.
      { tenantId: tenant.tenantId, trigger: 'digest', recipient: { kind: 'email', target: 'boss@shop.example' } },
    ]);
    const sender = outbox();
    sender.start();
    const channel = createEmailChannel({ models: store.models, logger, outbox: sender });
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mail-test-notifier', logger });
    const runner = createConsumerRunner(notifyAlerts({ models: store.models, logger, channels: [channel], links }), {
      kafka,
      naming,
      producer,
      logger,
      sessionTimeoutMs: 10_000,
    });
    await runner.start();
    try {
      const alert = failure(tenant.tenantId, { reference: '#1012', country: 'NO' });
      await producer.sendJson('alerts', [{ key: tenant.tenantId, value: alert }]);
      await waitFor(
        'both mails',
        () => smtp.to('ops@shop.example').length === 1 && smtp.to('it@shop.example').length === 1,
      );

      const [mail] = smtp.to('ops@shop.example');
      expect(mail!.from).toBe('chatops@iex.example');
      expect(mail!.to).toEqual(['ops@shop.example']);
      expect(mail!.mail.headers.to).toBe('ops@shop.example');
      expect(decodeWords(mail!.mail.headers.from!)).toBe('IEX ChatOps <chatops@iex.example>');
      expect(mail!.mail.contentType).toMatch(/^multipart\/alternative/);
      expect(mail!.mail.subject).toBe(
        `Shop ${tenant.tenantId}: 1 order failed · Shopify > e-conomic · Unknown VAT zone for country "NO" on order #1012`,
      );

      const link = links.transfer(tenant.tenantId, alert.transferId);
      const { text: plain, html } = mail!.mail;
      expect(plain).toContain(VAT.message('NO', '#1012'));
      expect(plain).toContain(`Open transfer: ${link}`);
      expect(plain).toContain('In Slack or Discord: Retry · Mute 1 h · Mute 24 h · Open log');
      expect(plain).toContain(`ops@shop.example gets this mail from Shop ${tenant.tenantId} when transfers fail`);
      expect(html).toContain('<strong>1 order failed · Shopify &gt; e-conomic · Unknown VAT zone for country');
      expect(html).toContain(`<a class="button" href="${link.replace('&', '&amp;')}">Open transfer</a>`);
      expect(html).toContain('<th>Error</th><td><code>economic.vat_zone_unknown</code></td>');
      // The link in the mail opens that transfer of that tenant.
      const query = Object.fromEntries(new URL(link).searchParams);
      expect(
        verifyViewLink(
          { kind: 'transfer', tenantId: tenant.tenantId, transferId: alert.transferId },
          query,
          LINK_SECRET,
          new Date(),
        ),
      ).toBe('ok');

      // The outbox logged in with the URL's credentials, and never logged the password.
      expect(smtp.logins).toContainEqual({ username: 'mailer', password: SMTP_PASSWORD });
      expect(JSON.stringify(records)).not.toContain(SMTP_PASSWORD);
      // The SMTP server has both mails once the outbox sent them; marking them sent is the step after.
      const stored = await waitFor('both mails marked sent', async () => {
        const docs = await store.models.Mail.find({ tenantId: tenant.tenantId }).lean();
        return docs.length === 2 && docs.every((doc) => doc.status !== 'pending') && docs;
      });
      expect(stored.map((doc) => [doc.to, doc.status, doc.trigger, doc.groupKey]).sort()).toEqual([
        ['it@shop.example', 'sent', 'transfer.failed', failureGroupKey(tenant.tenantId, 'orders', VAT.code)],
        ['ops@shop.example', 'sent', 'transfer.failed', failureGroupKey(tenant.tenantId, 'orders', VAT.code)],
      ]);
      expect(mail!.mail.headers['message-id']).toBe(
        `<${stored.find((doc) => doc.to === 'ops@shop.example')!.mailId}@iex.example>`,
      );

      // The next failure of the group updates the chat message; a mail is not edited, so none is sent.
      await producer.sendJson('alerts', [
        { key: tenant.tenantId, value: failure(tenant.tenantId) satisfies AlertEvent },
      ]);
      await waitForGroupCaughtUp(admin, naming.group('iex.notifier'), naming.topic('alerts'));
      await sender.flush();
      expect(smtp.to('ops@shop.example')).toHaveLength(1);
      expect(smtp.to('boss@shop.example')).toHaveLength(0);
    } finally {
      await runner.stop();
    }
  });

  it('retries a mail the server defers (451) until it is delivered, once', async () => {
    const sender = outbox();
    const channel = createEmailChannel({ models: store.models, logger, outbox: sender });
    smtp.deferrals.set('later@shop.example', 2);
    sender.start();
    const { messageId: mailId } = await channel.post('later@shop.example', notice('Topped up 100 orders'), {
      tenantId: 'no-such-tenant',
      groupKey: 'quota:x',
      trigger: 'topup.auto',
    });

    await waitFor('the mail delivered', async () => (await mailOf(mailId))?.status === 'sent');
    expect(smtp.tries.get('later@shop.example')).toBe(3);
    expect(smtp.to('later@shop.example')).toHaveLength(1);
    expect(await mailOf(mailId)).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: expect.stringContaining('451'),
    });
    const warnings = logsOf(mailId, 'mail not delivered; will retry');
    expect(warnings.map((record) => [record.level, record.attempt, record.domain])).toEqual([
      [40, 1, 'shop.example'],
      [40, 2, 'shop.example'],
    ]);
    // The log names the recipient's domain only.
    expect(JSON.stringify(logsOf(mailId, /./))).not.toContain('later@');
  });

  it('stores one mail per delivery: a batch the notifier retries does not mail twice', async () => {
    const sender = outbox();
    const channel = createEmailChannel({ models: store.models, logger, outbox: sender });
    const meta = {
      tenantId: 'no-such-tenant',
      groupKey: 'job:x:y',
      trigger: 'job.missed' as const,
      deliveryKey: 'job:x:y#1.1',
    };
    const first = await channel.post('twice@shop.example', notice('Missed its run'), meta);
    const again = await channel.post('twice@shop.example', notice('Missed its run'), meta);
    const other = await channel.post('other@shop.example', notice('Missed its run'), meta);
    const next = await channel.post('twice@shop.example', notice('Missed 2 runs'), {
      ...meta,
      deliveryKey: 'job:x:y#1.2',
    });
    expect(again.messageId).toBe(first.messageId);
    expect(new Set([first.messageId, other.messageId, next.messageId]).size).toBe(3);
    sender.start();
    await waitFor('the mails delivered', async () => (await mailOf(next.messageId))?.status === 'sent');
    await waitFor('the first delivered', async () => (await mailOf(first.messageId))?.status === 'sent');
    expect(smtp.to('twice@shop.example')).toHaveLength(2);
  });

  it('gives a mail up after the last attempt, and a refused recipient at once, with an error log each', async () => {
    const sender = outbox();
    const channel = createEmailChannel({ models: store.models, logger, outbox: sender });
    smtp.deferrals.set('never@shop.example', Infinity);
    smtp.unknown.add('nobody@shop.example');
    sender.start();
    const never = await channel.post('never@shop.example', notice('The orders of May are used up'));
    const nobody = await channel.post('nobody@shop.example', notice('The orders of May are used up'));

    await waitFor('both given up', async () =>
      (await Promise.all([mailOf(never.messageId), mailOf(nobody.messageId)])).every((doc) => doc?.status === 'failed'),
    );
    expect(await mailOf(never.messageId)).toMatchObject({ attempts: 3, lastError: expect.stringContaining('451') });
    expect(await mailOf(nobody.messageId)).toMatchObject({ attempts: 1, lastError: expect.stringContaining('550') });
    expect(smtp.tries.get('never@shop.example')).toBe(3);
    expect(logsOf(never.messageId, 'given up').map((record) => [record.level, record.msg])).toEqual([
      [50, 'mail not delivered after 3 attempts: given up'],
    ]);
    expect(logsOf(nobody.messageId, 'given up').map((record) => [record.level, record.permanent])).toEqual([
      [50, true],
    ]);
    expect(smtp.to('never@shop.example')).toHaveLength(0);
  });

  it('keeps mails without SMTP_URL, with one warning, and sends them once a server is set', async () => {
    const idle = outbox({ transport: undefined });
    const channel = createEmailChannel({ models: store.models, logger, outbox: idle });
    const { messageId: mailId } = await channel.post('waiting@shop.example', reply('Digest', [text('Yesterday')]));
    await idle.flush();
    await idle.flush();
    expect(await mailOf(mailId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(records.filter((record) => String(record.msg).startsWith('SMTP_URL is not set'))).toEqual([
      expect.objectContaining({ level: 40, msg: 'SMTP_URL is not set: 1 mails wait in the outbox' }),
    ]);

    await outbox().flush();
    expect(await mailOf(mailId)).toMatchObject({ status: 'sent' });
    expect(smtp.to('waiting@shop.example')).toHaveLength(1);
  });

  it('reads SMTP_URL without weakening TLS, and never shows its password', () => {
    const endpoint = (url: string) => {
      const transport = createSmtpTransport(url);
      transport.close();
      return transport.endpoint;
    };
    // Credentials to another machine: STARTTLS is required, certificates are checked.
    expect(endpoint('smtp://mailer:p%40ss@mail.example.com:587')).toEqual({
      host: 'mail.example.com',
      port: 587,
      tls: 'starttls-required',
      certificates: 'checked',
      user: 'mailer',
    });
    expect(endpoint('smtps://mailer:secret@mail.example.com')).toMatchObject({ port: 465, tls: 'smtps' });
    expect(endpoint('smtp://relay.internal:25')).toMatchObject({ tls: 'starttls-if-offered', certificates: 'checked' });
    expect(endpoint('smtp://u:p@127.0.0.1:2525')).toMatchObject({ tls: 'starttls-if-offered' });
    // Only the URL itself can weaken it, and then the endpoint says so.
    expect(endpoint('smtp://u:p@mail.example.com:587?requireTLS=false')).toMatchObject({ tls: 'starttls-if-offered' });
    expect(endpoint('smtps://u:p@mail.example.com?tls.rejectUnauthorized=false')).toMatchObject({
      certificates: 'unchecked',
    });
    const transport = createSmtpTransport('smtp://mailer:p%40ss@mail.example.com:587');
    transport.close();
    expect(
      transport.describeError(Object.assign(new Error('Invalid login for p@ss'), { code: 'EAUTH', responseCode: 535 })),
    ).toBe('EAUTH 535: Invalid login for ***');
  });

  it('sends each mail once when two instances share the outbox', async () => {
    // A second instance: its own connection to the same database.
    const other = connectStore(config.MONGO_URL);
    await other.ready();
    try {
      const quiet = { nudge: () => undefined };
      const channel: AlertChannel = createEmailChannel({ models: store.models, logger, outbox: quiet });
      const addresses = Array.from({ length: 12 }, (_, index) => `twice-${index}@shop.example`);
      const mailIds: string[] = [];
      for (const address of addresses)
        mailIds.push((await channel.post(address, notice(`Mail for ${address}`))).messageId);

      const first = outbox({ instanceId: 'instance-a' });
      const second = outbox({ instanceId: 'instance-b', models: other.models });
      await Promise.all([first.flush(), second.flush(), first.flush(), second.flush()]);

      await waitFor(
        'every mail sent',
        async () =>
          (await store.models.Mail.countDocuments({ to: { $in: addresses }, status: 'sent' })) === addresses.length,
      );
      for (const address of addresses) expect(smtp.to(address)).toHaveLength(1);
      // One attempt each: no instance sent a mail the other had sent.
      expect(await store.models.MailClaim.countDocuments({ mailId: { $in: mailIds } })).toBe(addresses.length);
      expect((await store.models.Mail.find({ mailId: { $in: mailIds } }).lean()).map((doc) => doc.attempts)).toEqual(
        addresses.map(() => 1),
      );
    } finally {
      await other.close();
    }
  });

  it('takes over the attempt of a sender that died mid-send once its claim ran out, and not before', async () => {
    const quiet = { nudge: () => undefined };
    const channel = createEmailChannel({ models: store.models, logger, outbox: quiet });
    const orphan = await channel.post('orphan@shop.example', notice('Left by a dead instance'));
    const busy = await channel.post('busy@shop.example', notice('Being sent by a live instance'));
    const past = new Date(Date.now() - 1_000);
    const future = new Date(Date.now() + 60_000);
    await store.models.MailClaim.create([
      { key: `${orphan.messageId}#1`, mailId: orphan.messageId, owner: 'dead-instance', until: past },
      { key: `${busy.messageId}#1`, mailId: busy.messageId, owner: 'live-instance', until: future },
    ]);

    await outbox({ instanceId: 'survivor' }).flush();
    expect(smtp.to('orphan@shop.example')).toHaveLength(1);
    expect(await mailOf(orphan.messageId)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(logsOf(orphan.messageId, 'taking over').map((record) => record.previousOwner)).toEqual(['dead-instance']);
    expect(smtp.to('busy@shop.example')).toHaveLength(0);
    expect(await mailOf(busy.messageId)).toMatchObject({ status: 'pending', attempts: 0 });
    // Nothing is left pending for another test's sender.
    await store.models.MailClaim.deleteOne({ key: `${busy.messageId}#1` });
    await store.models.Mail.updateOne({ mailId: busy.messageId }, { $set: { status: 'failed' } });
  });
});
