import { recordTransfers } from '../../consumers/transfer-recorder';
import type { AlertEvent } from '../../src/domain/alerts';
import type { TransferEvent } from '../../src/domain/events';
import type { DecodedMessage } from '../../src/kafka/consumer-runner';
import type { EventProducer } from '../../src/kafka/producer';
import { connectStore, type Store } from '../../src/store';
import { emptyGroup } from '../../src/services/alerts/group-state';
import { switchIgnoredMessage, type SwitchIgnoredAlert } from '../../src/services/alerts/kinds/switch-ignored';
import { SWITCH_STATE_CACHE_MS } from '../../src/services/transfers/switch-check';
import { renderText } from '../../src/chat/render-text';
import { translator } from '../../src/i18n';
import { createTestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { captureLogger, testConfig } from '../support/test-env';

/**
 * An engine must hold what a switched-off integration, module or connection would hold. When it
 * runs such a transfer anyway, the recorder raises a warning instead of showing it in progress as if
 * nothing were wrong (issue 14: "the engine did not obey the switch").
 */
let store: Store;
const alerts: AlertEvent[] = [];
const producer: EventProducer = {
  connect: async () => {},
  send: async () => {},
  sendJson: async (topic, messages) => {
    if (topic === 'alerts') alerts.push(...messages.map(({ value }) => value as AlertEvent));
  },
  disconnect: async () => {},
};
let recorder: ReturnType<typeof recordTransfers>;
let offset = 0;
const MINUTE = 60_000;

beforeAll(async () => {
  store = connectStore(testConfig().MONGO_URL);
  await store.ready();
  recorder = recordTransfers({ models: store.models, producer, logger: captureLogger().logger });
});

afterAll(async () => {
  await store.connection.dropDatabase();
  await store.close();
});

beforeEach(() => {
  alerts.length = 0;
});

async function deliver(events: TransferEvent[]): Promise<void> {
  const messages: DecodedMessage<TransferEvent>[] = events.map((value) => ({
    value,
    key: `${value.tenantId}:${value.transferId}`,
    topic: 'transfers',
    partition: 0,
    offset: String(offset++),
  }));
  await recorder.handle(messages);
}

/** A transfer's start and end as an engine reports them, started `at`. */
function transfer(tenantId: string, transferId: string, at: Date, overrides: Partial<TransferEvent> = {}) {
  const base = { tenantId, transferId, connectionId: 'orders', entity: 'order' as const, ...overrides };
  return [
    transferEvent({ ...base, id: `${transferId}-1`, occurredAt: at.toISOString(), reference: `#${transferId}` }),
    transferEvent({
      ...base,
      id: `${transferId}-2`,
      type: 'transfer.succeeded',
      occurredAt: new Date(at.getTime() + 1000).toISOString(),
    }),
  ];
}

/** Sets a switch as an operator did `minutesAgo`: the document's own change time says when. */
async function switchOff(
  collection: 'Tenant' | 'DataConnection' | 'System',
  filter: Record<string, unknown>,
  change: Record<string, unknown>,
  minutesAgo: number,
) {
  const result = await store.models[collection].collection.updateOne(filter, {
    $set: { ...change, updatedAt: new Date(Date.now() - minutesAgo * MINUTE) },
  });
  expect(result.matchedCount).toBe(1);
}

const ignored = () => alerts.filter((alert): alert is SwitchIgnoredAlert => alert.kind === 'switch.ignored');

describe('an engine that runs what a switch holds', () => {
  it('is warned about for a switched-off connection, integration and module, one group per switch', async () => {
    const { tenantId } = await createTestTenant(store.models);
    await switchOff('DataConnection', { tenantId, connectionId: 'orders' }, { active: false }, 10);
    await deliver([...transfer(tenantId, 'o1', new Date()), ...transfer(tenantId, 'o2', new Date())]);
    expect(ignored().map(({ transferId, reason }) => `${transferId} ${reason}`)).toEqual([
      'o1 connection_off',
      'o2 connection_off',
    ]);
    expect(new Set(ignored().map(({ groupKey }) => groupKey)).size).toBe(1);
    expect(ignored()[0]).toMatchObject({ connectionId: 'orders', entity: 'order', reference: '#o1' });

    const other = await createTestTenant(store.models);
    await switchOff('Tenant', { tenantId: other.tenantId }, { active: false }, 5);
    alerts.length = 0;
    await deliver(transfer(other.tenantId, 'o3', new Date()));
    expect(ignored().map(({ reason }) => reason)).toEqual(['integration_off']);

    const third = await createTestTenant(store.models);
    await switchOff('Tenant', { tenantId: third.tenantId }, { 'modules.products': false }, 5);
    alerts.length = 0;
    await deliver([
      ...transfer(third.tenantId, 'p1', new Date(), { connectionId: 'products', entity: 'product' }),
      ...transfer(third.tenantId, 'o4', new Date()),
    ]);
    expect(ignored().map(({ transferId, reason }) => `${transferId} ${reason}`)).toEqual(['p1 module_off']);
  });

  it('is not raised for a switch changed moments before, a transfer begun before, or one the service held', async () => {
    const { tenantId } = await createTestTenant(store.models);
    const started = new Date();
    // Begun while the connection was on; it ends after the switch went off.
    const [begun, ended] = transfer(tenantId, 'o10', started);
    await deliver([begun!]);
    // The switch just went off: the engine may not have heard of it yet.
    await switchOff('DataConnection', { tenantId, connectionId: 'orders' }, { active: false }, 0.1);
    await deliver([ended!, ...transfer(tenantId, 'o11', new Date())]);
    await deliver([
      transferEvent({
        tenantId,
        transferId: 'o12',
        connectionId: 'orders',
        type: 'transfer.held',
        hold: { reason: 'connection_off', message: 'The connection orders is deactivated (Connections).' },
      }),
    ]);
    expect(ignored()).toEqual([]);
    // A source system switched off long ago holds its connections' transfers too, once the
    // recorder has read the change (it remembers switches for a few seconds).
    await switchOff('DataConnection', { tenantId, connectionId: 'orders' }, { active: true }, 20);
    await switchOff('System', { tenantId, systemId: 'shopify' }, { connected: false }, 20);
    const later = new Date(Date.now() + SWITCH_STATE_CACHE_MS);
    const deadline = Date.now() + 15_000;
    let n = 0;
    while (ignored().length === 0 && Date.now() < deadline) {
      n += 1;
      await deliver(transfer(tenantId, `o2${n}`, later));
    }
    expect(ignored().map(({ reason }) => reason)).toContain('connection_off');
  });
});

describe('the warning a channel sees', () => {
  const alert: SwitchIgnoredAlert = {
    kind: 'switch.ignored',
    id: 'alert-switch-1',
    groupKey: 'switch.ignored:acme:module_off:orders',
    tenantId: 'acme',
    occurredAt: '2026-12-01T09:00:00.000Z',
    transferId: 'o1',
    connectionId: 'orders',
    entity: 'order',
    reference: '#1001',
    reason: 'module_off',
    switchedAt: '2026-12-01T08:00:00.000Z',
  };
  const state = (count: number) => ({
    ...emptyGroup('acme', alert.groupKey),
    count,
    lastAt: new Date(alert.occurredAt),
  });
  const render = (language: 'da' | 'en', count: number) =>
    renderText(
      switchIgnoredMessage(state(count), alert, {
        timezone: 'Europe/Copenhagen',
        now: new Date('2026-12-01T10:00:00.000Z'),
        connectionLabel: 'Shopify > e-conomic',
        t: translator(language),
      }),
    );

  it('says in the tenant language that the engine did not obey the switch, with the count', () => {
    expect(render('en', 1)).toContain('1 transfer ran although the orders module is deactivated');
    expect(render('en', 3)).toContain('3 transfers ran although the orders module is deactivated');
    expect(render('en', 1)).toContain('did not obey the switch');
    expect(render('da', 1)).toContain('1 overførsel kørte, selvom modulet ordrer er slået fra');
    expect(render('da', 3)).toContain('3 overførsler kørte, selvom modulet ordrer er slået fra');
    expect(render('da', 1)).toContain('adlød ikke kontakten');
    expect(render('da', 1)).toContain('#1001 · 10.00');
  });
});
