import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { tenantOfEvent, type TenantEventInput } from '../../src/domain/tenant-events';
import type { TenantSpecInput } from '../../src/domain/tenant-spec';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/consumer-runner';
import { readToEnd } from '../support/topic-end';
import { startTestApp, type RunningApp } from '../support/running-app';

const GROUP = 'iex.tenant-specs';

function spec(id: string, overrides: Partial<TenantSpecInput> = {}): TenantSpecInput {
  return {
    id,
    name: `Shop ${id}`,
    plan: 'starter',
    systems: [
      { id: 'shopify', kind: 'shopify', name: 'Shopify', role: 'source', secrets: { webhookSecret: 'hook-secret' } },
      { id: 'dinero', kind: 'dinero', name: 'Dinero', role: 'target' },
    ],
    connections: [{ id: 'orders', from: 'shopify', to: 'dinero', entity: 'order', mode: 'webhook' }],
    owner: { name: 'Ole Olsen', email: `ole@${id}.example` },
    ...overrides,
  };
}

const upserted = (body: TenantSpecInput): TenantEventInput => ({
  type: 'tenant.upserted',
  id: randomUUID(),
  occurredAt: new Date().toISOString(),
  spec: body,
});

describe('iex.tenants.v1: the platform publishes its customers', () => {
  let running: RunningApp;
  let producer: Producer;

  const publish = async (...events: Array<TenantEventInput | string>) => {
    await producer.send({
      topic: running.naming.topic('tenants'),
      messages: events.map((event) =>
        typeof event === 'string'
          ? { key: 'broken', value: event }
          : { key: tenantOfEvent(event), value: JSON.stringify(event) },
      ),
    });
    await running.caughtUp(GROUP, 'tenants');
  };

  beforeAll(async () => {
    running = await startTestApp();
    producer = running.kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await running?.stop();
  });

  it('applies an upsert, and a redelivery or a repeat changes nothing', async () => {
    const event = upserted(spec('nordic'));
    await publish(event);
    const { models } = running.store;
    expect(await models.Tenant.findOne({ tenantId: 'nordic' }).lean()).toMatchObject({ name: 'Shop nordic' });
    expect(await models.DataConnection.countDocuments({ tenantId: 'nordic' })).toBe(1);
    const audit = await models.AuditEntry.find({ tenantId: 'nordic' }).lean();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'tenant.created', actor: { platform: 'iex', userId: 'iex.tenants.v1' } }),
    ]);

    await publish(event, upserted(spec('nordic')));
    expect(await models.AuditEntry.countDocuments({ tenantId: 'nordic' })).toBe(1);

    await publish(upserted(spec('nordic', { name: 'Nordic Shop ApS' })));
    expect((await models.Tenant.findOne({ tenantId: 'nordic' }).lean())?.name).toBe('Nordic Shop ApS');
    expect(await models.AuditEntry.countDocuments({ tenantId: 'nordic' })).toBe(2);
  });

  it('dead-letters what cannot be applied, with the reason, and goes on with the next event', async () => {
    const unresolved = upserted(
      spec('southern', {
        systems: [
          {
            id: 'shopify',
            kind: 'shopify',
            name: 'Shopify',
            role: 'source',
            secrets: { webhookSecret: { env: 'IEX_TEST_NOT_SET' } },
          },
          { id: 'dinero', kind: 'dinero', name: 'Dinero', role: 'target' },
        ],
      }),
    );
    const invalid = { ...upserted(spec('western')), spec: { ...spec('western'), plan: 'gold' } } as TenantEventInput;
    await publish(unresolved, invalid, 'not json at all', upserted(spec('eastern')));

    const { models } = running.store;
    expect(await models.Tenant.countDocuments({ tenantId: { $in: ['southern', 'western'] } })).toBe(0);
    expect(await models.Tenant.countDocuments({ tenantId: 'eastern' })).toBe(1);
    const letters = (await readToEnd(running.kafka, running.naming.topic('deadLetter'))).filter(
      (letter) => letter.headers?.[DEAD_LETTER_HEADERS.group]?.toString() === running.naming.group(GROUP),
    );
    const reasons = letters.map((letter) => letter.headers?.[DEAD_LETTER_HEADERS.reason]?.toString() ?? '');
    expect(reasons).toHaveLength(3);
    expect(reasons.join('\n')).toContain('environment variable IEX_TEST_NOT_SET is not set');
    expect(reasons.join('\n')).toMatch(/plan/);
  });

  it('erases a deleted tenant, and a redelivered delete finds nothing to remove', async () => {
    const deleted: TenantEventInput = {
      type: 'tenant.deleted',
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      tenantId: 'nordic',
    };
    await publish(deleted);
    const { models } = running.store;
    expect(await models.Tenant.countDocuments({ tenantId: 'nordic' })).toBe(0);
    expect(await models.System.countDocuments({ tenantId: 'nordic' })).toBe(0);
    await publish(deleted);
    expect(await models.Tenant.countDocuments({ tenantId: 'eastern' })).toBe(1);
  });
});
