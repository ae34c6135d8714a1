import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import path from 'node:path';
import type { SlackBlock } from '../../bots/slack/render';
import type { Command } from '../../src/domain/commands';
import { createNaming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api';
import { createTestTenant } from '../fixtures/tenants';
import { testKafka } from '../support/kafka';
import { buttonClickPayload, interactionBody, slackHeaders, slashCommandBody, type SentButton } from '../support/slack';
import { withDatabase } from '../support/test-env';
import { readToEnd } from '../support/topic-end';
import { storeTransfers, type TransferFixture } from '../support/transfers';
import { waitFor } from '../support/wait-for';

const root = path.resolve(__dirname, '../..');
const SIGNING_SECRET = randomBytes(16).toString('hex');
const SHUTDOWN_TIMEOUT_MS = 8000;
const FAILED = 200;
const ADMIN = 'UADMIN1';

/** The service as `npm start` runs it, in a child process, its JSON log lines collected. */
class ServiceProcess {
  readonly logs: Array<Record<string, unknown>> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>) {
    // One process (tsx as a loader, not its CLI, which would run the service in a child of its own
    // and could not pass SIGKILL on).
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rest = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
    });
    this.child.stderr!.resume();
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
  }

  log(message: string | RegExp): Record<string, unknown> | undefined {
    return this.logs.find((line) =>
      typeof message === 'string' ? line.msg === message : message.test(String(line.msg)),
    );
  }

  async url(): Promise<string> {
    const up = await waitFor('the service to start', () => this.log('IEX ChatOps is up'), { timeoutMs: 60_000 });
    return String(up.url);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

let fake: FakeSlackApi;
let store: Store;
let env: Record<string, string>;
const children: ServiceProcess[] = [];

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  const id = randomBytes(4).toString('hex');
  env = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
    MONGO_URL: withDatabase(process.env.MONGO_URL ?? '', `iex_test_${id}`),
    KAFKA_NAMESPACE: `test-${id}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DEMO_SEED: 'false',
    JOBS_ENABLED: 'false',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    JOB_RELOAD_SECONDS: '2',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: `xoxb-test-${randomBytes(8).toString('hex')}`,
    SLACK_API_URL: fake.url,
  };
  store = connectStore(env.MONGO_URL!);
  await store.ready();
});

/** A tenant linked to Slack workspace `teamId` with 200 failed orders, stored in bulks the store takes. */
async function tenantWithFailures(teamId: string): Promise<string> {
  const { models } = store;
  const { tenantId } = await createTestTenant(models);
  await models.Binding.create({ platform: 'slack', workspaceId: teamId, channelId: '', tenantId });
  await models.Member.create({ tenantId, platform: 'slack', platformUserId: ADMIN, teamId, role: 'admin' });
  const failedAt = Date.now() - 30 * 60_000;
  const fixtures: TransferFixture[] = Array.from({ length: FAILED }, (_, i) => ({
    tenantId,
    transferId: `ord-${i}`,
    reference: `#${2000 + i}`,
    connectionId: 'orders',
    entity: 'order',
    operation: 'create',
    status: 'failed',
    error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone', retryable: true },
    updatedAt: new Date(failedAt + i * 1000),
  }));
  for (let at = 0; at < fixtures.length; at += 25) await storeTransfers(models, fixtures.slice(at, at + 25));
  return tenantId;
}

afterAll(async () => {
  for (const child of children) {
    child.kill('SIGKILL');
    await child.exited;
  }
  await store?.connection.dropDatabase();
  await store?.close();
  await fake?.stop();
});

function start(overrides: Record<string, string> = {}): ServiceProcess {
  const child = new ServiceProcess({ ...env, ...overrides });
  children.push(child);
  return child;
}

async function postSlack(url: string, body: string): Promise<void> {
  const response = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackHeaders(SIGNING_SECRET, body) },
    body,
  });
  expect(response.status).toBe(200);
}

const replyAt = (name: string): Promise<RecordedCall> =>
  waitFor(`a reply at response_url ${name}`, () => fake.callsTo(`response_url:${name}`)[0]);

const buttonsOf = (call: RecordedCall): SentButton[] =>
  (call.body.blocks as SlackBlock[]).flatMap((block) =>
    block.type === 'actions' ? (block.elements as unknown as SentButton[]) : [],
  );

/** An admin asks in Slack to retry the tenant's failed transfers and confirms; resolves once a few chunks are out. */
async function bulkRetryUnderWay(url: string, teamId: string, tenantId: string) {
  const tag = randomBytes(3).toString('hex');
  await postSlack(
    url,
    slashCommandBody({
      text: 'retry failed',
      teamId,
      userId: ADMIN,
      channelId: 'C1',
      responseUrl: fake.responseUrl(`ask-${tag}`),
    }),
  );
  const ask = await replyAt(`ask-${tag}`);
  const confirm = buttonsOf(ask).find((button) => button.text.text === `Retry ${FAILED}`);
  expect(confirm).toBeDefined();
  await postSlack(
    url,
    interactionBody(
      buttonClickPayload({ button: confirm!, teamId, userId: ADMIN, responseUrl: fake.responseUrl(`confirm-${tag}`) }),
    ),
  );
  const queued = await replyAt(`confirm-${tag}`);
  expect(queued.body.text).toMatch(new RegExp(`^Queued ${FAILED} retries \\(failed`));
  // Mid-way (a chunk of 20 a second).
  const job = await waitFor(
    'a few chunks sent',
    async () => {
      const doc = await store.models.RetryJob.findOne({ tenantId }, { targets: 0 }).lean();
      return doc && doc.sent >= 40 ? doc : undefined;
    },
    { timeoutMs: 30_000 },
  );
  expect(job.sent).toBeLessThan(FAILED);
}

/** The retry commands of a tenant on the commands topic, by transfer. */
async function retriesByTransfer(tenantId: string): Promise<Map<string, Command[]>> {
  const retries = (await readToEnd(testKafka(), createNaming(env.KAFKA_NAMESPACE!).topic('commands')))
    .map((message) => JSON.parse(message.value!.toString()) as Command)
    .filter((command) => command.tenantId === tenantId && command.type === 'transfer.retry');
  const perTransfer = new Map<string, Command[]>();
  for (const command of retries) {
    if (command.type === 'transfer.retry')
      perTransfer.set(command.transferId, [...(perTransfer.get(command.transferId) ?? []), command]);
  }
  return perTransfer;
}

test('SIGTERM during a bulk retry: the service stops within SHUTDOWN_TIMEOUT_MS, says what it left, and a second instance sends the rest — every transfer retried exactly once', async () => {
  const tenantId = await tenantWithFailures('T1');
  const first = start();
  await bulkRetryUnderWay(await first.url(), 'T1', tenantId);

  // The instance is told to stop.
  const signalledAt = Date.now();
  first.kill('SIGTERM');
  const exit = await first.exited;
  expect(exit.code).toBe(0);
  // Within the bound (the process itself adds a little to start and end).
  expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1000);

  const left = (await store.models.RetryJob.findOne({ tenantId }, { targets: 0 }).lean())!;
  expect(left.state).toBe('sending');
  expect(first.log(/^IEX ChatOps stopped; left for other instances/)).toMatchObject({
    bulkRetriesHandedOver: 1,
    retriesNotSentYet: FAILED - left.sent,
    jobsInterrupted: [],
  });
  expect(String(first.log(/^IEX ChatOps stopped/)?.msg)).toBe(
    `IEX ChatOps stopped; left for other instances: 1 bulk retry (${FAILED - left.sent} retries not sent yet), 0 interrupted jobs`,
  );

  // Another instance carries on from where the first stopped.
  const second = start();
  await second.url();
  await waitFor(
    'the second instance to finish the retry',
    async () => (await store.models.RetryJob.findOne({ tenantId }, { state: 1 }).lean())?.state === 'done',
    { timeoutMs: 60_000 },
  );
  expect(second.log('carrying on with a bulk retry whose instance stopped')).toMatchObject({
    tenantId,
    sent: left.sent,
    total: FAILED,
  });

  const perTransfer = await retriesByTransfer(tenantId);
  expect(perTransfer.size).toBe(FAILED);
  expect([...perTransfer.values()].filter((commands) => commands.length !== 1)).toEqual([]);

  second.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);
});

test('SIGKILL during a bulk retry: once its claim has run out, another instance carries on — every transfer retried, a repeated chunk carrying the same commands', async () => {
  const tenantId = await tenantWithFailures('T2');
  // A short claim, so the takeover comes within the test.
  const short = { JOB_LEASE_SECONDS: '3' };
  const first = start(short);
  await bulkRetryUnderWay(await first.url(), 'T2', tenantId);
  first.kill('SIGKILL');
  await first.exited;

  const second = start(short);
  await second.url();
  await waitFor(
    'the second instance to finish the retry',
    async () => (await store.models.RetryJob.findOne({ tenantId }, { state: 1 }).lean())?.state === 'done',
    { timeoutMs: 60_000 },
  );
  expect(second.log('carrying on with a bulk retry whose instance stopped')).toMatchObject({ tenantId, total: FAILED });

  const perTransfer = await retriesByTransfer(tenantId);
  expect(perTransfer.size).toBe(FAILED);
  // At most the chunk in flight when the process died went out twice, as the very same commands.
  const repeated = [...perTransfer.values()].filter((commands) => commands.length > 1);
  expect(repeated.length).toBeLessThanOrEqual(20);
  for (const commands of repeated) {
    expect(commands).toHaveLength(2);
    expect(commands[1]).toEqual(commands[0]);
  }

  second.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);
});

/** A TCP proxy in front of the store that can stop answering, as a wedged FerretDB does. */
async function storeProxy(target: URL): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 27017), target.hostname);
    sockets.push(client, upstream);
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => frozen || client.write(chunk));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(target.toString());
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('SIGTERM while the store hangs mid bulk retry: the service still exits within SHUTDOWN_TIMEOUT_MS and says what it left', async () => {
  const tenantId = await tenantWithFailures('T3');
  const proxy = await storeProxy(new URL(env.MONGO_URL!));
  try {
    const service = start({ MONGO_URL: proxy.url });
    await bulkRetryUnderWay(await service.url(), 'T3', tenantId);
    // The store stops answering: the next chunk's progress cannot be recorded.
    proxy.freeze();
    const signalledAt = Date.now();
    service.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1500);
    // Its claim could not be handed over; it expires by itself (JOB_LEASE_SECONDS).
    expect(service.log(/^IEX ChatOps stopped/)).toMatchObject({
      bulkRetriesHandedOver: 1,
      unfinished: ['1 bulk retry'],
    });
  } finally {
    await proxy.close();
  }
});
