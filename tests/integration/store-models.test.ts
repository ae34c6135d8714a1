import { randomBytes } from 'node:crypto';
import { connectStore, incrementUsage, isDuplicateKeyError, WORKSPACE_WIDE, type Store } from '../../src/store';

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
    tenantId,
    eventId: 'evt-1',
    transferId: 'tr-1',
    type: 'transfer.started' as const,
    occurredAt: new Date(),
    event: { id: 'evt-1' },
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

test('usage increments are one upsert each and concurrent ones add up', async () => {
  const { Usage } = store.models;
  const base = { tenantId: 'acme', period: '2025-11', entity: 'order' as const };
  await Promise.all([
    ...Array.from({ length: 20 }, () =>
      incrementUsage(Usage, { ...base, day: '2025-11-28', outcome: 'created', orders: 1 }),
    ),
    ...Array.from({ length: 5 }, () => incrementUsage(Usage, { ...base, day: '2025-11-29', outcome: 'failed' })),
  ]);

  const docs = await Usage.find({ tenantId: 'acme' });
  expect(docs).toHaveLength(1);
  const usage = docs[0]!;
  expect(usage.counters?.order).toMatchObject({ created: 20, updated: 0, failed: 5 });
  expect(usage.ordersUsed).toBe(20);
  expect(usage.days?.get('2025-11-28')?.order).toMatchObject({ created: 20, failed: 0 });
  expect(usage.days?.get('2025-11-29')?.order).toMatchObject({ created: 0, failed: 5 });

  await expect(incrementUsage(Usage, { ...base, day: '2025-11-28.x', outcome: 'created' })).rejects.toThrow(
    /bad usage day/,
  );
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
