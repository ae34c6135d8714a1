import { randomBytes } from 'node:crypto';
import {
  applyPartitionUsage,
  connectStore,
  isDuplicateKeyError,
  readUsage,
  WORKSPACE_WIDE,
  type Store,
  type UsageDelta,
} from '../../src/store';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27018';
const dbName = `iex_store_${randomBytes(4).toString('hex')}`;
let store: Store;

beforeAll(async () => {
  store = connectStore(url, { dbName });
  await store.ready();
});

afterAll(async () => {
  // The ping test closes `store`; drop the database through a connection of its own.
  const cleanup = connectStore(url, { dbName });
  await cleanup.connection.asPromise();
  await cleanup.connection.dropDatabase();
  await cleanup.close();
});

async function refusal(write: Promise<unknown>): Promise<unknown> {
  return write.then(
    () => undefined,
    (err: unknown) => err,
  );
}

test('an event id is accepted once per tenant', async () => {
  const { TransferEvent } = store.models;
  const event = (tenantId: string) => ({
    _id: `${tenantId}:evt-1`,
    tenantId,
    eventId: 'evt-1',
    transferId: 'tr-1',
    type: 'transfer.started' as const,
    occurredAt: new Date(),
    eventJson: JSON.stringify({ id: 'evt-1' }),
  });
  await TransferEvent.create(event('acme'));

  const err = await refusal(TransferEvent.create(event('acme')));
  expect(err).toMatchObject({ code: 11000 });
  expect(isDuplicateKeyError(err)).toBe(true);

  await expect(TransferEvent.create(event('other'))).resolves.toBeDefined();
  expect(await TransferEvent.countDocuments({ eventId: 'evt-1' })).toBe(2);
});

test('one workspace-wide binding per workspace, beside its channel bindings', async () => {
  const { Binding } = store.models;
  await Binding.create({ platform: 'slack', workspaceId: 'T1', tenantId: 'acme' });
  await Binding.create({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', tenantId: 'beta' });
  await Binding.create({ platform: 'slack', workspaceId: 'T1', channelId: 'C2', tenantId: 'gamma' });
  // Another platform's id space is separate.
  await Binding.create({ platform: 'discord', workspaceId: 'T1', tenantId: 'delta' });

  const second = await refusal(
    Binding.create({ platform: 'slack', workspaceId: 'T1', channelId: undefined, tenantId: 'x' }),
  );
  expect(isDuplicateKeyError(second)).toBe(true);
  const sameChannel = await refusal(
    Binding.create({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', tenantId: 'x' }),
  );
  expect(isDuplicateKeyError(sameChannel)).toBe(true);

  const wide = await Binding.findOne({ platform: 'slack', workspaceId: 'T1', channelId: WORKSPACE_WIDE }).lean();
  expect(wide?.tenantId).toBe('acme');
});

test('usage counts each offset of a partition once, and sums over partitions', async () => {
  const { Usage } = store.models;
  const base = { tenantId: 'acme', period: '2025-11' };
  const created = (offset: number, day = '2025-11-28'): UsageDelta => ({
    day,
    entity: 'order',
    outcome: 'created',
    orders: 1,
    offset,
  });
  const failed = (offset: number): UsageDelta => ({ day: '2025-11-29', entity: 'order', outcome: 'failed', offset });

  expect(
    await applyPartitionUsage(store.models, { ...base, partition: 0, deltas: [created(0), created(1), failed(2)] }),
  ).toBe(3);
  // A replay of the same batch, and a redelivery that overlaps it, count only what is new.
  expect(
    await applyPartitionUsage(store.models, { ...base, partition: 0, deltas: [created(0), created(1), failed(2)] }),
  ).toBe(0);
  expect(await applyPartitionUsage(store.models, { ...base, partition: 0, deltas: [failed(2), created(3)] })).toBe(1);
  expect(await applyPartitionUsage(store.models, { ...base, partition: 1, deltas: [created(0), failed(1)] })).toBe(2);

  const usage = await readUsage(store.models, 'acme', '2025-11');
  expect(usage.ordersUsed).toBe(4);
  expect(usage.counters.order).toEqual({ created: 4, updated: 0, failed: 2 });
  expect(usage.counters.stock).toEqual({ created: 0, updated: 0, failed: 0 });
  expect(usage.days.map(({ day, order }) => [day, order.created, order.failed])).toEqual([
    ['2025-11-28', 4, 0],
    ['2025-11-29', 0, 2],
  ]);

  await expect(
    applyPartitionUsage(store.models, { ...base, partition: 0, deltas: [created(9, '2025-11-28.x')] }),
  ).rejects.toThrow(/bad usage day/);
});

test('secrets of a system are only read when asked for', async () => {
  const { System } = store.models;
  await System.create({
    tenantId: 'acme',
    systemId: 'shop',
    kind: 'shopify',
    name: 'Shop',
    role: 'source',
    settings: { shop: 'acme.myshopify.com' },
    secrets: { accessToken: 'shpat_x' },
  });
  const plain = await System.findOne({ tenantId: 'acme', systemId: 'shop' }).lean();
  expect(plain?.settings).toEqual({ shop: 'acme.myshopify.com' });
  expect(plain).not.toHaveProperty('secrets');
  const withSecrets = await System.findOne({ tenantId: 'acme', systemId: 'shop' }).select('+secrets').lean();
  expect(withSecrets?.secrets).toEqual({ accessToken: 'shpat_x' });
});

test('ping is true while connected and false after close', async () => {
  expect(await store.ping()).toBe(true);
  await store.close();
  expect(await store.ping()).toBe(false);
});

test('start-up drops an index the schema no longer has, so an old unique index cannot block writes', async () => {
  const staleDb = `iex_store_stale_${randomBytes(4).toString('hex')}`;
  const first = connectStore(url, { dbName: staleDb });
  await first.connection.asPromise();
  // An earlier version counted usage per (tenant, period) only.
  await first.connection
    .collection('usage')
    .createIndex({ tenantId: 1, period: 1 }, { unique: true, name: 'tenantId_1_period_1' });
  await first.close();

  const upgraded = connectStore(url, { dbName: staleDb });
  try {
    await upgraded.ready();
    const names = (await upgraded.connection.collection('usage').indexes()).map((index) => index.name);
    expect(names).not.toContain('tenantId_1_period_1');
    const delta: UsageDelta = { day: '2025-11-28', entity: 'order', outcome: 'created', offset: 0 };
    await applyPartitionUsage(upgraded.models, {
      tenantId: 'acme',
      period: '2025-11',
      partition: 0,
      deltas: [delta],
    });
    await applyPartitionUsage(upgraded.models, {
      tenantId: 'acme',
      period: '2025-11',
      partition: 1,
      deltas: [delta],
    });
    expect((await readUsage(upgraded.models, 'acme', '2025-11')).counters.order.created).toBe(2);
  } finally {
    await upgraded.connection.dropDatabase();
    await upgraded.close();
  }
});
