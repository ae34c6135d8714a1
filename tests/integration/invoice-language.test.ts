import { SYSTEM_ACTOR } from '../../src/domain/commands';
import { buyTopUp } from '../../src/services/billing/top-up';
import { connectStore, type Store } from '../../src/store';
import { createTestTenant } from '../fixtures/tenants';
import { testConfig } from '../support/test-env';

/** An invoice is worded once, in its tenant's language when issued, and keeps those words. */
let store: Store;

beforeAll(async () => {
  store = connectStore(testConfig().MONGO_URL);
  await store.ready();
});

afterAll(async () => {
  await store.connection.dropDatabase();
  await store.close();
});

/** The words of the invoice a top-up issued, as the store keeps them. */
async function topUp(tenantId: string, idempotencyKey: string) {
  const bought = await buyTopUp(store.models, {
    tenantId,
    period: '2026-12',
    orders: 500,
    priceOre: 59_900,
    auto: true,
    idempotencyKey,
    actor: SYSTEM_ACTOR,
    now: new Date('2026-12-02T08:00:00.000Z'),
  });
  const invoice = await store.models.Invoice.findOne({ tenantId, number: bought.invoiceNumber }).lean();
  return { number: bought.invoiceNumber, lines: invoice!.lines.map(({ description }) => description) };
}

describe('invoice lines', () => {
  it("are worded in the tenant's language when issued, and keep their words when it changes", async () => {
    const danish = await createTestTenant(store.models, { language: 'da' });
    const english = await createTestTenant(store.models, { language: 'en' });
    const da = await topUp(danish.tenantId, 'auto:2026-12:1');
    const en = await topUp(english.tenantId, 'auto:2026-12:1');
    expect(da.lines).toEqual(['Ekstra ordrer: 500 ordrer til 2026-12']);
    expect(en.lines).toEqual(['Top-up: 500 orders for 2026-12']);

    await store.models.Tenant.updateOne({ tenantId: danish.tenantId }, { language: 'en' });
    const again = await topUp(danish.tenantId, 'auto:2026-12:1');
    expect(again.number).toBe(da.number);
    expect(again.lines).toEqual(['Ekstra ordrer: 500 ordrer til 2026-12']);
  });
});
