import type { Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import type { Command } from '../../src/domain/commands';
import { retryJobId, type Models } from '../../src/store';
import {
  createRetryJobs,
  retryCommands,
  retryLeaseName,
  type RetryJobTarget,
  type RetryJobs,
} from '../../src/services/transfers/retry-jobs';
import { startCommandCore, type CoreUnderTest } from '../support/command-core';
import { testKafka } from '../support/kafka';
import { captureLogger } from '../support/test-env';
import { readToEnd } from '../support/topic-end';
import { waitFor } from '../support/wait-for';

let harness: CoreUnderTest;
let models: Models;
let kafka: Kafka;
const started: RetryJobs[] = [];

beforeAll(async () => {
  harness = await startCommandCore('bulk-retry-jobs');
  models = harness.store.models;
  kafka = testKafka();
});

afterAll(async () => {
  for (const jobs of started) await jobs.stop(1000);
  await harness?.stop();
});

const ACTOR = { platform: 'slack', userId: 'UADMIN1' } as const;

const targets = (count: number): RetryJobTarget[] =>
  Array.from({ length: count }, (_, i) => ({
    transferId: `t-${i}`,
    connectionId: 'orders',
    reason: i === 0 ? 'release' : 'retry',
  }));

/** An instance's retry jobs: `a`, `b`, … share the store and the broker, as instances do. */
function instance(name: string, options: { perSecond?: number; leaseMs?: number; pollMs?: number } = {}) {
  const { logger, records } = captureLogger();
  const jobs = createRetryJobs({
    models,
    producer: harness.producer,
    logger,
    instanceId: `${name}-${randomBytes(2).toString('hex')}`,
    perSecond: options.perSecond ?? 5,
    leaseMs: options.leaseMs ?? 3000,
    pollMs: options.pollMs ?? 200,
  });
  started.push(jobs);
  return { jobs, logs: records };
}

/** The retry commands of a tenant on the commands topic, as they are now, with the time each arrived. */
async function retriesOf(tenantId: string) {
  const messages = await readToEnd(kafka, harness.naming.topic('commands'));
  return messages
    .map((message) => ({ at: Number(message.timestamp), command: JSON.parse(message.value!.toString()) as Command }))
    .filter(({ command }) => command.tenantId === tenantId && command.type === 'transfer.retry');
}

const byTransfer = (commands: Array<{ command: Command }>) => {
  const counts = new Map<string, number>();
  for (const { command } of commands) {
    if (command.type === 'transfer.retry') counts.set(command.transferId, (counts.get(command.transferId) ?? 0) + 1);
  }
  return counts;
};

const newTenant = () => `retry-${randomBytes(4).toString('hex')}`;

test('a bulk retry is a job in the store: the first chunk before the answer, the rest a chunk a second, each transfer once', async () => {
  const tenantId = newTenant();
  const { jobs } = instance('a');
  const issuedAt = new Date('2026-11-28T13:30:00Z');

  const queued = await jobs.enqueue({ tenantId, batch: 'abc123abc123', actor: ACTOR, issuedAt, targets: targets(12) });
  expect(queued).toMatchObject({ total: 12, sent: 5, perSecond: 5, state: 'sending', already: false });
  // The answer waited for the first chunk only.
  expect((await retriesOf(tenantId)).length).toBe(5);

  const job = await waitFor('the job to finish', async () => {
    const doc = await models.RetryJob.findOne({ _id: retryJobId(tenantId, 'abc123abc123') }).lean();
    return doc?.state === 'done' ? doc : undefined;
  });
  expect(job).toMatchObject({ total: 12, sent: 12, attempt: 1 });
  await expect(jobs.progress(tenantId, 'abc123abc123')).resolves.toMatchObject({ total: 12, sent: 12, state: 'done' });

  const sent = await retriesOf(tenantId);
  expect([...byTransfer(sent).values()]).toEqual(Array(12).fill(1));
  // A chunk a second: the third chunk went out at least two seconds after the first.
  expect(sent[10]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1900);
  expect(sent[0]!.command).toEqual({
    type: 'transfer.retry',
    id: 'retry:abc123abc123:t-0',
    tenantId,
    issuedAt: issuedAt.toISOString(),
    actor: ACTOR,
    transferId: 't-0',
    connectionId: 'orders',
    reason: 'release',
  });
  const lease = await models.Lease.findOne({ _id: retryLeaseName(retryJobId(tenantId, 'abc123abc123'), 1) }).lean();
  expect(lease).toMatchObject({ done: true, job: 'bulk-retry' });
});

test('the same confirmation queued again sends nothing new and says how far the first got', async () => {
  const tenantId = newTenant();
  const { jobs } = instance('a');
  const request = { tenantId, batch: 'def456def456', actor: ACTOR, issuedAt: new Date(), targets: targets(15) };
  await jobs.enqueue(request);
  const again = await jobs.enqueue({ ...request, issuedAt: new Date(Date.now() + 1000) });
  expect(again).toMatchObject({ total: 15, already: true, state: 'sending' });
  expect(again.sent).toBeGreaterThanOrEqual(5);

  await waitFor('the job to finish', async () => (await jobs.progress(tenantId, 'def456def456'))?.state === 'done');
  expect([...byTransfer(await retriesOf(tenantId)).values()]).toEqual(Array(15).fill(1));
});

test('an instance that stops hands its bulk retry over; another carries on from its progress, each transfer once', async () => {
  const tenantId = newTenant();
  const a = instance('a');
  await a.jobs.enqueue({ tenantId, batch: 'aaa111aaa111', actor: ACTOR, issuedAt: new Date(), targets: targets(40) });
  await waitFor('two chunks', async () => ((await a.jobs.progress(tenantId, 'aaa111aaa111'))?.sent ?? 0) >= 10);

  const left = await a.jobs.stop(5000);
  expect(left.jobs).toBe(1);
  expect(left.unsent).toBeGreaterThan(0);
  const progress = (await a.jobs.progress(tenantId, 'aaa111aaa111'))!;
  expect(progress.total - progress.sent).toBe(left.unsent);
  // The claim is handed over: expired now, not after the lease.
  const handedOver = await models.Lease.findOne({
    _id: retryLeaseName(retryJobId(tenantId, 'aaa111aaa111'), 1),
  }).lean();
  expect(handedOver!.until.getTime()).toBeLessThanOrEqual(Date.now());

  const b = instance('b');
  b.jobs.start();
  await waitFor(
    'b to finish the job',
    async () => (await b.jobs.progress(tenantId, 'aaa111aaa111'))?.state === 'done',
    {
      timeoutMs: 20_000,
    },
  );
  expect(b.logs.find((record) => record.msg === 'carrying on with a bulk retry whose instance stopped')).toMatchObject({
    tenantId,
    batch: 'aaa111aaa111',
    attempt: 2,
    sent: progress.sent,
    total: 40,
  });
  const counts = byTransfer(await retriesOf(tenantId));
  expect(counts.size).toBe(40);
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
});

test('a crash between a chunk and its record: the next instance sends that chunk again, with the same command ids', async () => {
  const tenantId = newTenant();
  const batch = 'ccc333ccc333';
  const id = retryJobId(tenantId, batch);
  const all = targets(15);
  const issuedAt = new Date(Date.now() - 10_000);
  // What a dead instance left: progress recorded up to 5, its claim run out, and the chunk 5…9 on
  // the broker (sent, then the process died before recording it).
  await models.RetryJob.create({
    _id: id,
    tenantId,
    batch,
    actor: ACTOR,
    issuedAt,
    targets: all,
    total: 15,
    sent: 5,
    attempt: 1,
    perSecond: 5,
    state: 'sending',
  });
  await models.Lease.create({
    name: retryLeaseName(id, 1),
    owner: 'dead-instance',
    until: new Date(Date.now() - 1000),
    job: 'bulk-retry',
    attempt: 1,
    done: false,
  });
  const dead = { tenantId, batch, actor: ACTOR, issuedAt };
  await harness.producer.sendJson(
    'commands',
    [...retryCommands(dead, all.slice(0, 5)), ...retryCommands(dead, all.slice(5, 10))].map((command) => ({
      key: tenantId,
      value: command,
    })),
  );

  const b = instance('b');
  b.jobs.start();
  await waitFor('b to finish the job', async () => (await b.jobs.progress(tenantId, batch))?.state === 'done', {
    timeoutMs: 20_000,
  });

  const sent = await retriesOf(tenantId);
  const counts = byTransfer(sent);
  expect(counts.size).toBe(15);
  // t-5 … t-9 twice, the rest once; the copies are the same command, which the engine drops.
  expect(all.map(({ transferId }) => counts.get(transferId))).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
  for (const transferId of ['t-5', 't-6', 't-7', 't-8', 't-9']) {
    const copies = sent.filter(({ command }) => command.type === 'transfer.retry' && command.transferId === transferId);
    expect(copies[1]!.command).toEqual(copies[0]!.command);
  }
  await expect(models.Lease.findOne({ _id: retryLeaseName(id, 1) }).lean()).resolves.toMatchObject({ done: true });
  await expect(models.RetryJob.findOne({ _id: id }).lean()).resolves.toMatchObject({ attempt: 2, sent: 15 });
});
