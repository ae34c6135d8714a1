import { readAllowance } from '../../src/services/billing/quota-check';
import type { CommandCore } from '../../src/commands/core';
import { renderText } from '../../src/chat/render-text';
import { SYSTEM_ACTOR, type Command } from '../../src/domain/commands';
import { periodRoll, type PeriodRollDeps } from '../../src/jobs/period-roll';
import type { EventProducer } from '../../src/kafka/producer';
import type { Naming } from '../../src/kafka/topics';
import type { Store } from '../../src/store';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { readJson, testKafka } from '../support/kafka';
import { captureLogger } from '../support/test-env';
import { storeUsage } from '../support/transfers';

/** 20 November; November began at 2026-10-31T23:00Z in Copenhagen, December begins at 2026-11-30T23:00Z. */
const NOVEMBER = new Date('2026-11-20T10:00:00.000Z');
const NOVEMBER_START = new Date('2026-10-31T23:00:00.000Z');
const DECEMBER_START = new Date('2026-11-30T23:00:00.000Z');
/** Minute 5 of the hour the roll runs in. */
const at = (iso: string) => new Date(iso);

let naming: Naming;
let store: Store;
let producer: EventProducer;
let clock = NOVEMBER;
let core: CommandCore;
let harness: CoreUnderTest;
const { logger } = captureLogger();

function roll(now: Date) {
  const deps: PeriodRollDeps = { models: store.models, producer, now: () => now };
  return periodRoll.run(deps, { tick: now, logger, instanceId: 'test', signal: new AbortController().signal });
}

/** A linked tenant whose subscription period is November, with 123 orders used in it. */
async function novemberTenant(options: { timezone?: string; plan?: string } = {}) {
  const linked = await linkedSlackTenant(store.models);
  const { tenantId } = linked;
  const periodStart = options.timezone ? new Date('2026-11-01T04:00:00.000Z') : NOVEMBER_START;
  await store.models.Subscription.updateOne(
    { tenantId },
    { $set: { periodStart, ...(options.plan ? { plan: options.plan } : {}) } },
  );
  if (options.timezone) await store.models.Tenant.updateOne({ tenantId }, { $set: { timezone: options.timezone } });
  await storeUsage(store.models, { tenantId, period: '2026-11', ordersUsed: 123 });
  return linked;
}

const announced = (tenantId: string, count: number) =>
  readJson<Command>(testKafka(), naming.topic('commands'), tenantId, count);

beforeAll(async () => {
  harness = await startCommandCore('period-roll-test', { clock: () => clock });
  ({ store, producer, naming, core } = harness);
});

beforeEach(async () => {
  // Each test counts what one roll did across every subscription in the store.
  await store.models.Subscription.deleteMany({});
  clock = NOVEMBER;
});

afterAll(() => harness?.stop());

describe('the period roll', () => {
  it('applies a downgrade at the next period, not before, and invoices the new period once', async () => {
    const { tenantId, admin } = await novemberTenant();
    const { models } = store;

    const downgraded = await core.handleAction(admin, 'subscription.plan?code=starter');
    expect(downgraded.fallback).toMatch(/^Your plan changes from Standard to \*Starter\* on 1 December 2026/);
    // This period keeps what it was promised.
    expect((await readAllowance(models, tenantId, '2026-11'))?.allowance).toBe(500);
    expect(renderText(await core.handleCommand(admin, 'subscription'))).toContain('Remaining: 377 orders');
    expect(await models.Invoice.countDocuments({ tenantId })).toBe(0);

    // 23:05 on 30 November in Copenhagen: still November.
    expect(await roll(at('2026-11-30T22:05:00.000Z'))).toEqual({
      tenants: 0,
      plansChanged: 0,
      invoicesIssued: 0,
      failed: 0,
    });
    expect(await models.Subscription.findOne({ tenantId }).lean()).toMatchObject({ plan: 'standard' });

    const december = at('2026-11-30T23:05:00.000Z');
    expect(await roll(december)).toEqual({ tenants: 1, plansChanged: 1, invoicesIssued: 1, failed: 0 });
    const subscription = await models.Subscription.findOne({ tenantId }).lean();
    expect(subscription).toMatchObject({ plan: 'starter', includedOrders: 100 });
    expect(subscription?.pendingPlan).toBeUndefined();
    expect(subscription?.periodStart.toISOString()).toBe(DECEMBER_START.toISOString());
    expect((await readAllowance(models, tenantId, '2026-12'))?.allowance).toBe(100);
    clock = december;
    const screen = renderText(await core.handleCommand(admin, 'subscription'));
    expect(screen).toContain('Subscription — Starter');
    expect(screen).toContain('Included orders: 100 orders a month');

    const invoices = await models.Invoice.find({ tenantId }).lean();
    expect(invoices).toHaveLength(1);
    const invoice = invoices[0]!;
    expect(invoice).toMatchObject({
      idempotencyKey: 'plan:2026-12',
      lines: [
        { description: 'Starter plan, 2026-12: 100 orders', quantity: 1, unitPriceOre: 19_900, amountOre: 19_900 },
      ],
      netOre: 19_900,
      vatOre: 4_975,
      totalOre: 24_875,
    });
    expect(invoice.issuedAt.toISOString()).toBe(december.toISOString());

    const details = { period: '2026-12', plan: 'starter', includedOrders: 100, invoiceNumber: invoice.number };
    const audit = await models.AuditEntry.find({ tenantId, action: 'subscription.period' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: SYSTEM_ACTOR, target: '2026-12', details });
    const commands = await announced(tenantId, 2);
    expect(
      commands.find((command) => command.type === 'settings.changed' && command.action === 'subscription.period'),
    ).toEqual({
      type: 'settings.changed',
      id: `subscription.period:${tenantId}:2026-12`,
      tenantId,
      issuedAt: december.toISOString(),
      actor: SYSTEM_ACTOR,
      action: 'subscription.period',
      target: '2026-12',
      details: { ...details, totalOre: 24_875 },
    });

    // Again, and twice at once: nothing more.
    expect(await roll(at('2026-12-01T00:05:00.000Z'))).toMatchObject({ tenants: 0, invoicesIssued: 0 });
    const [first, second] = await Promise.all([roll(december), roll(december)]);
    expect(first!.invoicesIssued + second!.invoicesIssued).toBe(0);
    expect(await models.Invoice.countDocuments({ tenantId })).toBe(1);
    expect(await models.AuditEntry.countDocuments({ tenantId, action: 'subscription.period' })).toBe(1);
  });

  it('run twice at once rolls each tenant once, each in its own time zone', async () => {
    const copenhagen = await novemberTenant();
    const newYork = await novemberTenant({ timezone: 'America/New_York' });
    const { models } = store;

    // 00:05 on 1 December in Copenhagen is 19:05 on 30 November in New York.
    const runs = await Promise.all([roll(at('2026-11-30T23:05:00.000Z')), roll(at('2026-11-30T23:05:00.000Z'))]);
    expect(runs.reduce((sum, run) => sum + run.invoicesIssued, 0)).toBe(1);
    expect(runs.reduce((sum, run) => sum + run.tenants, 0)).toBe(1);
    expect(await models.Invoice.countDocuments({ tenantId: copenhagen.tenantId, idempotencyKey: 'plan:2026-12' })).toBe(
      1,
    );
    expect(
      await models.AuditEntry.countDocuments({ tenantId: copenhagen.tenantId, action: 'subscription.period' }),
    ).toBe(1);
    expect(await models.Invoice.countDocuments({ tenantId: newYork.tenantId })).toBe(0);

    // Midnight in New York is 05:00 UTC.
    expect(await roll(at('2026-12-01T05:05:00.000Z'))).toEqual({
      tenants: 1,
      plansChanged: 0,
      invoicesIssued: 1,
      failed: 0,
    });
    const invoice = await models.Invoice.findOne({ tenantId: newYork.tenantId }).lean();
    expect(invoice).toMatchObject({ idempotencyKey: 'plan:2026-12', netOre: 49_900, vatOre: 12_475, totalOre: 62_375 });
    expect((await models.Subscription.findOne({ tenantId: newYork.tenantId }).lean())?.periodStart.toISOString()).toBe(
      '2026-12-01T05:00:00.000Z',
    );
  });

  it('rolls a period missed while the service was down on its own, and a custom plan without an invoice', async () => {
    const missed = await novemberTenant();
    const custom = await novemberTenant({ plan: 'acme-agreement' });
    const { models } = store;
    await models.Subscription.updateOne(
      { tenantId: missed.tenantId },
      { $set: { periodStart: new Date('2026-09-30T22:00:00.000Z') } }, // October
    );

    expect(await roll(at('2026-12-02T08:05:00.000Z'))).toEqual({
      tenants: 2,
      plansChanged: 0,
      invoicesIssued: 2,
      failed: 0,
    });
    const keys = (await models.Invoice.find({ tenantId: missed.tenantId }).lean()).map((i) => i.idempotencyKey).sort();
    expect(keys).toEqual(['plan:2026-11', 'plan:2026-12']);
    expect(await models.Invoice.countDocuments({ tenantId: custom.tenantId })).toBe(0);
    const audit = await models.AuditEntry.find({ tenantId: custom.tenantId, action: 'subscription.period' }).lean();
    expect(audit).toMatchObject([{ target: '2026-12', details: { plan: 'acme-agreement', includedOrders: 500 } }]);
    expect(await roll(at('2026-12-02T09:05:00.000Z'))).toMatchObject({ tenants: 0 });
  });
});
