import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/domain/commands';
import { digestGroupKey } from '../../src/domain/alerts';
import { transferKey } from '../../src/domain/events';
import { createTokenCipher } from '../../src/domain/token-cipher';
import { invoiceLine } from '../../src/domain/plans';
import { syncJobName } from '../../src/jobs/connection-sync';
import { claimTick } from '../../src/jobs/tick-lease';
import { createKafka } from '../../src/kafka/client';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/consumer-runner';
import { createEventProducer, type EventProducer } from '../../src/kafka/producer';
import { issueInvoice } from '../../src/services/billing/invoices';
import { reconcilePurchaseAudits } from '../../src/services/billing/purchase-audit';
import { buyTopUp } from '../../src/services/billing/top-up';
import { runNowClaimName } from '../../src/services/ports/jobs';
import { withTenantClaim } from '../../src/services/tenants/claim';
import { TenantBusy, TenantNotFound } from '../../src/services/tenants/contract';
import { eraseTenant } from '../../src/services/tenants/erase';
import { EXPORT_FORMAT, exportTenant } from '../../src/services/tenants/export';
import { retryLeaseName } from '../../src/services/transfers/retry-jobs';
import {
  claimLease,
  createChatDeliveries,
  createHomeViewers,
  createModels,
  createSlackInstallations,
  recordJobRun,
  retryJobId,
  type Models,
  type SlackInstallations,
} from '../../src/store';
import { createReplayStore } from '../../src/store/dead-letter-replays';
import { createLinkCode } from '../../src/store/link-codes';
import { shopifyOrder } from '../fixtures/shopify';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { readTopic } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { postEvents } from '../support/webhooks';

const RECORDER = 'iex.transfer-recorder';
const NOTIFIER = 'iex.notifier';
const OPERATOR = { platform: 'console', userId: 'ops@iex' };

/** The personal data a tenant is given, to look for after its erasure. */
const personal = (tenantId: string) => ({
  owner: { name: `Jane Doe ${tenantId}`, email: `jane@${tenantId}.example`, phone: '+45 12 34 56 78' },
  billing: {
    company: `Company of ${tenantId}`,
    vatNumber: `DK-${tenantId}`,
    email: `billing@${tenantId}.example`,
    address: `Street 1 of ${tenantId}, 8000 Aarhus`,
  },
});

let running: RunningApp;
let models: Models;
let producer: EventProducer;
let installations: SlackInstallations;
/** A Slack workspace both tenants are bound in, one channel each. */
const SHARED_WORKSPACE = `T-shared-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  running = await startTestApp({ JOBS_ENABLED: 'false' });
  models = running.store.models;
  installations = createSlackInstallations({ models, cipher: createTokenCipher(randomBytes(32)) });
  producer = createEventProducer(
    createKafka({
      brokers: running.config.KAFKA_BROKERS,
      clientId: 'tenant-erase-test',
      logger: captureLogger().logger,
    }),
    running.naming,
  );
  await producer.connect();
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await running?.stop();
});

/** An order's events, with payloads, as an engine reports them. */
function orderEvents(tenantId: string, transferId: string, outcome: 'succeeded' | 'failed', runId?: string) {
  const base = {
    tenantId,
    transferId,
    connectionId: 'orders',
    entity: 'order' as const,
    operation: 'create' as const,
    ...(runId ? { runId } : {}),
  };
  const at = (seconds: number) => new Date(Date.now() - 60_000 + seconds * 1000).toISOString();
  return [
    transferEvent({
      ...base,
      occurredAt: at(0),
      reference: `#${transferId}`,
      source: { system: 'shopify', format: 'shopify.orders/create', payload: shopifyOrder(1042) },
    }),
    transferEvent({
      ...base,
      type: 'transfer.stage',
      occurredAt: at(1),
      stage: { name: 'post to e-conomic', status: outcome },
      target: {
        system: 'e-conomic',
        format: 'e-conomic.invoices.draft',
        payload: { customer: { customerNumber: 7042 } },
      },
    }),
    outcome === 'succeeded'
      ? transferEvent({ ...base, type: 'transfer.succeeded', occurredAt: at(2) })
      : transferEvent({
          ...base,
          type: 'transfer.failed',
          occurredAt: at(2),
          error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone "NO"', retryable: false },
        }),
  ];
}

/**
 * Gives a tenant documents in every collection, through the paths that write them in service:
 * transfers through the webhook and the recorder (transfers, events, views, usage), a failure
 * alert through the notifier (alert state, mail), purchases through billing (invoices, top-ups,
 * audit entries), and the rest through their store modules.
 */
async function fill(tenant: TestTenant): Promise<void> {
  const tenantId = tenant.tenantId;
  const now = new Date();
  const { owner, billing } = personal(tenantId);
  await models.Tenant.updateOne({ tenantId }, { $set: { owner } });
  await models.Subscription.updateOne({ tenantId }, { $set: { billing } });
  await models.NotificationRule.create({
    tenantId,
    trigger: 'transfer.failed',
    recipient: { kind: 'email', target: owner.email },
  });
  await models.Member.create({ tenantId, platform: 'slack', platformUserId: `U-${tenantId}`, role: 'admin' });
  await models.Binding.create({ platform: 'slack', workspaceId: `T-${tenantId}`, tenantId });
  await models.Binding.create({
    platform: 'slack',
    workspaceId: SHARED_WORKSPACE,
    channelId: `C-${tenantId}`,
    tenantId,
  });
  await createLinkCode(models, tenantId);
  await installations.save({
    teamId: `T-${tenantId}`,
    teamName: `Workspace of ${tenantId}`,
    isEnterpriseInstall: false,
    botUserId: 'UBOT',
    botScopes: ['chat:write'],
    botToken: `xoxb-${randomBytes(8).toString('hex')}`,
    installerUserId: `U-${tenantId}`,
    installedAt: now,
  });
  await models.Job.create({ tenantId, jobId: 'products-sync', connectionId: 'products', cron: '0 * * * *' });

  const runId = `run-${tenantId}-1`;
  await recordJobRun(
    models,
    {
      tenantId,
      jobId: 'products-sync',
      connectionId: 'products',
      runId,
      tick: now,
      status: 'running',
      answerBy: new Date(now.getTime() + 3_600_000),
    },
    now,
  );

  const events = [
    ...orderEvents(tenantId, 'o-1', 'succeeded', runId),
    ...orderEvents(tenantId, 'o-2', 'failed'),
    ...orderEvents(tenantId, 'o-3', 'succeeded'),
  ];
  expect((await postEvents(running.app.url(), tenantId, tenant.engineSecret, events)).status).toBe(202);

  const period = now.toISOString().slice(0, 7);
  const actor = { platform: 'slack', userId: `U-${tenantId}` };
  await buyTopUp(models, {
    tenantId,
    period,
    orders: 100,
    priceOre: 10_000,
    auto: false,
    idempotencyKey: `chat:${randomBytes(4).toString('hex')}`,
    actor,
    by: owner.name,
  });
  await models.AuditEntry.create({ tenantId, actor, action: 'connection.deactivate', target: 'orders' });

  const retryJob = retryJobId(tenantId, 'b1');
  await models.RetryJob.create({
    _id: retryJob,
    tenantId,
    batch: 'b1',
    actor,
    issuedAt: now,
    targets: [{ transferId: 'o-2', connectionId: 'orders', reason: 'retry' }],
    total: 1,
    perSecond: 5,
  });
  const until = new Date(now.getTime() + 60_000);
  await claimLease(models.Lease, { name: retryLeaseName(retryJob, 1), owner: 'test', until });
  await claimLease(models.Lease, {
    name: runNowClaimName(tenantId, 'products'),
    owner: 'test',
    until,
    tick: now,
    done: true,
    by: { ...actor, displayName: owner.name },
  });
  await claimLease(models.Lease, {
    name: digestGroupKey(tenantId, now.toISOString().slice(0, 10)),
    owner: 'test',
    until,
  });
  await claimTick(models.Lease, {
    job: syncJobName(tenantId, 'products-sync'),
    tick: now,
    attempt: 1,
    owner: 'test',
    leaseMs: 60_000,
    now,
  });

  await createHomeViewers({ models }).remember('slack', tenantId, {
    workspaceId: `T-${tenantId}`,
    userId: `U-${tenantId}`,
    displayName: owner.name,
  });
  // A chat delivery's claim names the platform's event, not the tenant: it stays.
  await createChatDeliveries({ models, owner: 'test' }).begin(`slack:event:Ev${randomBytes(4).toString('hex')}`);
  const replays = createReplayStore(running.store.connection);
  const offset = String(Math.floor(Math.random() * 1e9));
  await replays.claim({
    _id: replays.idOf('dlq', 0, offset),
    dlqTopic: 'dlq',
    deadLetterId: `0:${offset}`,
    partition: 0,
    offset,
    topic: 'transfers',
    tenantId,
    by: 'ops@host',
    claimedAt: now,
  });

  // What the pipeline writes: the log, usage, and the failure's alert state and mail.
  await running.caughtUp(RECORDER, 'transfers');
  await running.caughtUp(NOTIFIER, 'alerts');
  const mail = await waitFor('the failure mail', () => models.Mail.findOne({ tenantId }).lean());
  await waitFor('the alert state', () => models.AlertState.exists({ tenantId }));
  await models.MailClaim.create({ key: `${mail!.mailId}#1`, mailId: mail!.mailId, owner: 'test', until });
}

/** Every collection of the database: the models' and any other (ten-minute lists, …). */
async function allCollections(): Promise<string[]> {
  const db = running.store.connection.db!;
  const listed = (await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name);
  const modelled = Object.values(createModels(running.store.connection)).map(
    (Model) => Model.collection.collectionName,
  );
  return [...new Set([...listed, ...modelled])].sort();
}

/** Per collection, the `_id`s of the documents that mention `needle` anywhere (`_id` included). */
async function mentioning(needle: string): Promise<Record<string, string[]>> {
  const db = running.store.connection.db!;
  const found: Record<string, string[]> = {};
  for (const name of await allCollections()) {
    const docs = await db.collection(name).find({}).toArray();
    const ids = docs.filter((doc) => JSON.stringify(doc).includes(needle)).map((doc) => String(doc._id));
    if (ids.length > 0) found[name] = ids.sort();
  }
  return found;
}

describe('tenant export and erasure', () => {
  let gone: TestTenant;
  let kept: TestTenant;

  beforeAll(async () => {
    gone = await createTestTenant(models, { tenantId: `erase-me-${randomBytes(4).toString('hex')}` });
    kept = await createTestTenant(models, { tenantId: `keep-me-${randomBytes(4).toString('hex')}` });
    await fill(gone);
    await fill(kept);
    await installations.save({
      teamId: SHARED_WORKSPACE,
      teamName: 'Shared workspace',
      isEnterpriseInstall: false,
      botUserId: 'UBOT',
      botScopes: ['chat:write'],
      botToken: 'xoxb-shared',
      installerUserId: 'U-shared',
      installedAt: new Date(),
    });
    // A purchase whose process stopped before its audit entry: the hourly reconciliation's work.
    await issueInvoice(models, {
      tenantId: gone.tenantId,
      idempotencyKey: 'plan:pending',
      lines: () => [invoiceLine('Standard plan', 1, 49_900)],
      audit: { actor: SYSTEM_ACTOR, action: 'subscription.period' },
      now: new Date(),
    });
    // The billing contact on the invoices, as an invoice that names its buyer carries it.
    await models.Invoice.collection.updateMany(
      { tenantId: gone.tenantId },
      { $set: { billing: personal(gone.tenantId).billing, buyer: personal(gone.tenantId).owner.name } },
    );
  }, 180_000);

  it('exports the tenant as one JSON document with its transfers and payloads, and no secret', async () => {
    const chunks: string[] = [];
    const summary = await exportTenant(models, gone.tenantId, async (chunk) => {
      chunks.push(chunk);
    });
    const text = chunks.join('');
    expect(chunks.length).toBeGreaterThan(10);
    const doc = JSON.parse(text) as Record<string, any>;

    expect(doc.format).toBe(EXPORT_FORMAT);
    expect(doc.tenant).toMatchObject({ tenantId: gone.tenantId, name: `Shop ${gone.tenantId}` });
    expect(doc.subscription.billing).toEqual(personal(gone.tenantId).billing);
    expect(doc.systems.map((system: { systemId: string }) => system.systemId).sort()).toEqual(['e-conomic', 'shopify']);
    expect(doc.connections).toHaveLength(3);
    expect(doc.transfers).toHaveLength(3);
    const order = doc.transfers.find((transfer: { transferId: string }) => transfer.transferId === 'o-1');
    expect(order.source.payload).toEqual(shopifyOrder(1042));
    expect(order.target.payload).toEqual({ customer: { customerNumber: 7042 } });
    expect(order.events).toHaveLength(3);
    expect(order.events[0].event.tenantId).toBe(gone.tenantId);
    expect(doc.transferEvents).toHaveLength(9);
    for (const section of [
      'usage',
      'invoices',
      'topUps',
      'auditEntries',
      'alertStates',
      'mails',
      'members',
      'bindings',
      'homeViewers',
      'jobRuns',
      'retryJobs',
      'deadLetterReplays',
    ]) {
      expect(doc[section]?.length).toBeGreaterThan(0);
    }
    // Derived from the transfers and runs: not exported again.
    expect(doc.transferViews).toBeUndefined();
    expect(doc.notificationRules).toHaveLength(1);
    expect(summary.counts.transfers).toBe(3);

    // No secret: neither webhook secret, no system's secrets, no link code's hash.
    expect(text).not.toContain(gone.engineSecret);
    expect(text).not.toContain(gone.shopifySecret);
    expect(text).not.toContain('webhookSecret');
    expect(text).not.toContain('codeHash');
    // Nothing of the other tenant.
    expect(text).not.toContain(kept.tenantId);
  });

  it('streams into a writable stream', async () => {
    const stream = new PassThrough();
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    await exportTenant(models, gone.tenantId, stream);
    stream.end();
    const doc = JSON.parse(Buffer.concat(parts).toString('utf8')) as { transfers: unknown[] };
    expect(doc.transfers).toHaveLength(3);
  });

  it('stops, with an error, when its output is closed half-way (a client that went away)', async () => {
    const closing = new Writable({
      highWaterMark: 1,
      write() {
        // Never accepts a chunk: the reader went away after the first.
        this.destroy();
      },
    });
    await expect(exportTenant(models, gone.tenantId, closing)).rejects.toThrow(/closed before the export ended/);
  });

  it('refuses to export a tenant that does not exist', async () => {
    const chunks: string[] = [];
    await expect(exportTenant(models, 'no-such-tenant', async (chunk) => void chunks.push(chunk))).rejects.toThrow(
      TenantNotFound,
    );
    expect(chunks).toEqual([]);
  });

  it('erases every document of the tenant but its invoices, which keep nothing personal; the other tenant is untouched', async () => {
    const keptBefore = await mentioning(kept.tenantId);
    const goneBefore = await mentioning(gone.tenantId);
    // The fill reached every collection a tenant's documents live in.
    expect(Object.keys(goneBefore).sort()).toEqual(
      [
        'alertStates',
        'auditEntries',
        'bindings',
        'connections',
        'deadLetterReplays',
        'homeViewers',
        'invoices',
        'jobRunViews',
        'jobRuns',
        'jobs',
        'leases',
        'linkCodes',
        'mails',
        'members',
        'notificationRules',
        'openRuns',
        'retryJobs',
        'slackInstallations',
        'subscriptions',
        'systems',
        'tenants',
        'topUps',
        'transferEvents',
        'transferViews',
        'transfers',
        'usage',
      ].sort(),
    );
    const invoices = goneBefore.invoices!.length;
    expect(invoices).toBe(2);

    const { logger, records } = captureLogger();
    const result = await eraseTenant({ models, producer, logger }, gone.tenantId, { actor: OPERATOR });

    expect(result.invoicesKept).toBe(invoices);
    expect(result.removed.tenants).toBe(1);
    expect(result.removed.transfers).toBe(3);
    expect(result.removed.transferEvents).toBe(9);
    expect(result.removed.leases).toBe(4);
    // A mail's claims are keyed by the mail's id (a hash), not by the tenant: erased with its mail.
    expect(result.removed.mailClaims).toBe(1);
    expect(Object.keys(result.removed).sort()).toEqual(
      [...Object.keys(goneBefore).filter((name) => name !== 'invoices'), 'mailClaims'].sort(),
    );

    // Nothing mentions the tenant any more, anywhere, but its invoices.
    expect(await mentioning(gone.tenantId)).toEqual({ invoices: goneBefore.invoices });
    const left = await models.Invoice.collection.find({ tenantId: gone.tenantId }).toArray();
    for (const invoice of left) {
      expect(invoice.erasedAt).toBeInstanceOf(Date);
      expect(invoice.audit).toBeUndefined();
      expect(invoice).toMatchObject({
        number: expect.any(String),
        totalOre: expect.any(Number),
        lines: expect.any(Array),
      });
    }
    const personalData = personal(gone.tenantId);
    const leftText = JSON.stringify(left);
    for (const value of [...Object.values(personalData.owner), ...Object.values(personalData.billing)]) {
      expect(leftText).not.toContain(value);
    }
    expect(leftText).not.toContain(`U-${gone.tenantId}`);

    // The workspace the tenant alone was bound in loses its installation; the shared one keeps it.
    expect(result.removed.slackInstallations).toBe(1);
    expect(await installations.find({ teamId: SHARED_WORKSPACE })).toMatchObject({ botToken: 'xoxb-shared' });

    // The other tenant keeps every document it had.
    expect(await mentioning(kept.tenantId)).toEqual(keptBefore);

    // The hourly reconciliation writes no audit entry back for the erased tenant's invoices.
    expect(await reconcilePurchaseAudits(models)).toBe(0);
    expect(await models.AuditEntry.countDocuments({ tenantId: gone.tenantId })).toBe(0);

    // One log line without personal data, and the engines are told.
    const line = records.find((record) => record.msg === 'tenant erased');
    expect(line).toMatchObject({ tenantId: gone.tenantId, invoicesKept: invoices });
    for (const value of Object.values(personalData.billing)) expect(JSON.stringify(records)).not.toContain(value);
    const [command] = await readTopic(running.kafka, running.naming.topic('commands'), 1, {
      where: (message) => message.key?.toString() === gone.tenantId,
    });
    expect(JSON.parse(command!.value!.toString())).toMatchObject({
      type: 'settings.changed',
      action: 'tenant.erased',
      tenantId: gone.tenantId,
      actor: OPERATOR,
    });
  });

  it('records nothing of an event the erased tenant sent before its erasure but that arrives after it', async () => {
    const late = orderEvents(gone.tenantId, 'o-late', 'failed');
    await producer.sendJson(
      'transfers',
      late.map((event) => ({ key: transferKey(event), value: event })),
    );
    await running.caughtUp(RECORDER, 'transfers');
    await running.caughtUp(NOTIFIER, 'alerts');
    const left = await mentioning(gone.tenantId);
    expect(Object.keys(left)).toEqual(['invoices']);
    // The recorder read them and refused them as a tenant's that does not exist.
    const refused = await readTopic(running.kafka, running.naming.topic('deadLetter'), late.length, {
      where: (message) => message.key?.toString() === transferKey(late[0]!),
    });
    expect(refused.map((message) => message.headers?.[DEAD_LETTER_HEADERS.reason]?.toString())).toEqual(
      late.map(() => `there is no tenant ${gone.tenantId}`),
    );
  });

  it('erases an erased or unknown tenant as nothing to do', async () => {
    const { logger } = captureLogger();
    const again = await eraseTenant({ models, logger }, gone.tenantId, { actor: OPERATOR });
    expect(again).toEqual({ removed: {}, invoicesKept: 2 });
    expect(await eraseTenant({ models, logger }, 'never-was', { actor: OPERATOR })).toEqual({
      removed: {},
      invoicesKept: 0,
    });
    await expect(exportTenant(models, gone.tenantId, async () => undefined)).rejects.toThrow(TenantNotFound);
  });

  it('waits for no other change of the tenant: while one holds the tenant, erasing it is refused as busy', async () => {
    const { logger } = captureLogger();
    await withTenantClaim(models, kept.tenantId, async () => {
      await expect(eraseTenant({ models, logger }, kept.tenantId, { actor: OPERATOR })).rejects.toThrow(TenantBusy);
    });
    expect(await models.Tenant.exists({ tenantId: kept.tenantId })).toBeTruthy();
  });
});
