import { buyTopUp } from '../../src/services/billing/top-up';
import type { CommandCore } from '../../src/commands/core';
import type { Reply } from '../../src/chat/reply';
import { SYSTEM_ACTOR } from '../../src/domain/commands';
import { findPlan } from '../../src/domain/plans';
import { auditPurchases } from '../../src/jobs/audit-purchases';
import { periodRoll } from '../../src/jobs/period-roll';
import type { EventProducer } from '../../src/kafka/producer';
import type { Models, Store } from '../../src/store';
import { createStorePorts } from '../../src/services/ports';
import { createApp } from '../../src/app';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { startTestApp } from '../support/running-app';
import { captureLogger } from '../support/test-env';
import { storeUsage } from '../support/transfers';

/** Mid-November in Copenhagen: the period is 2026-11. */
const NOW = new Date('2026-11-20T10:00:00.000Z');
const PERIOD = '2026-11';

let harness: CoreUnderTest;
let store: Store;
let producer: EventProducer;
let core: CommandCore;
const { logger } = captureLogger();

/**
 * The store as the service's parts get it, except that writing an audit entry fails: what a
 * process that stops right after the purchase committed leaves behind. Only the audit write is
 * refused; the purchase itself goes to the real store.
 */
function auditWriteFails(models: Models): Models {
  const AuditEntry = new Proxy(models.AuditEntry, {
    get(target, property, receiver) {
      if (property === 'create') {
        return async () => {
          throw new Error('the process stopped before the audit entry was written');
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { ...models, AuditEntry };
}

/** The scheduled reconciliation, as the scheduler (and the service at start) runs it. */
const reconcile = () =>
  auditPurchases.run(
    { models: store.models },
    { tick: new Date(), logger, instanceId: 'test', signal: new AbortController().signal },
  );

const entriesOf = (tenantId: string, action: string) => store.models.AuditEntry.find({ tenantId, action }).lean();

function buyButton(answer: Reply): string {
  const found = answer.blocks
    .flatMap((block) => (block.type === 'actions' ? block.buttons : []))
    .find((button) => /^Buy for/.test(button.label));
  if (!found?.action) throw new Error(`no Buy button in ${answer.fallback}`);
  return found.action;
}

beforeAll(async () => {
  harness = await startCommandCore('purchase-audit-test', { clock: () => NOW });
  ({ store, producer, core } = harness);
});

afterAll(() => harness?.stop());

describe('a purchase and its audit entry', () => {
  it('a purchase from chat yields exactly one entry, and the reconciliation adds none', async () => {
    const { tenantId, admin } = await linkedSlackTenant(store.models);
    const buy = buyButton(await core.handleCommand(admin, 'topup 100'));
    expect((await core.handleAction(admin, buy)).fallback).toMatch(/^Bought 100 orders for November 2026/);
    expect((await core.handleAction(admin, buy)).fallback).toMatch(/^Already bought/);

    const [invoice] = await store.models.Invoice.find({ tenantId }).lean();
    const entries = await entriesOf(tenantId, 'topup.buy');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { platform: 'slack', userId: 'UADMIN1' },
      target: PERIOD,
      details: { orders: 100, by: 'uadmin1', invoiceNumber: invoice!.number, netOre: 14_900, totalOre: 18_625 },
    });
    expect(invoice?.auditedAt).toBeInstanceOf(Date);

    expect(await reconcile()).toEqual({ audited: 0 });
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(1);
  });

  it('a top-up whose process stopped before its entry gets the entry once, from the reconciliation', async () => {
    const { tenantId, admin } = await linkedSlackTenant(store.models);
    const crashing = createStorePorts({ models: auditWriteFails(store.models), producer, logger });
    const purchase = { pack: { orders: 500, priceOre: 59_900 }, key: 'crash-topup-1', caller: admin, now: NOW };

    await expect(crashing.billing.buyTopUp(tenantId, purchase)).rejects.toThrow(/audit entry was written/);
    // The purchase committed: charged and counted, but not audited.
    const [topUp] = await store.models.TopUp.find({ tenantId }).lean();
    expect(topUp).toMatchObject({ period: PERIOD, orders: 500 });
    const [invoice] = await store.models.Invoice.find({ tenantId }).lean();
    expect(invoice).toMatchObject({ number: topUp!.invoiceNumber, totalOre: 74_875 });
    expect(invoice?.auditedAt).toBeUndefined();
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(0);

    expect(await reconcile()).toEqual({ audited: 1 });
    const entries = await entriesOf(tenantId, 'topup.buy');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { platform: 'slack', userId: 'UADMIN1' },
      target: PERIOD,
      details: { orders: 500, by: 'uadmin1', invoiceNumber: invoice!.number, totalOre: 74_875 },
    });
    // The entry says when the purchase was made, not when it was found.
    expect(entries[0]!.at?.toISOString()).toBe(NOW.toISOString());

    // Once: again, and the same click again (buy once: nothing charged), add nothing.
    expect(await reconcile()).toEqual({ audited: 0 });
    const ports = createStorePorts({ models: store.models, producer, logger });
    expect(await ports.billing.buyTopUp(tenantId, purchase)).toMatchObject({ created: false });
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(1);
    expect(await store.models.Invoice.countDocuments({ tenantId })).toBe(1);
    expect(await store.models.TopUp.countDocuments({ tenantId })).toBe(1);
  });

  it('an automatic top-up retried after the stop writes its missing entry itself, once', async () => {
    const { tenantId } = await linkedSlackTenant(store.models);
    const request = {
      tenantId,
      period: PERIOD,
      orders: 100,
      priceOre: 14_900,
      auto: true,
      idempotencyKey: `auto:${PERIOD}:1`,
      actor: SYSTEM_ACTOR,
      now: NOW,
    };
    await expect(buyTopUp(auditWriteFails(store.models), request)).rejects.toThrow(/audit entry was written/);
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(0);
    // The recorder's redelivered batch checks the quota again: the same pack, bought once.
    expect(await buyTopUp(store.models, request)).toMatchObject({ created: false });
    expect(await entriesOf(tenantId, 'topup.auto')).toMatchObject([
      { actor: SYSTEM_ACTOR, target: PERIOD, details: { orders: 100, totalOre: 18_625 } },
    ]);
    expect(await reconcile()).toEqual({ audited: 0 });
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(1);
  });

  it('an upgrade whose process stopped before its entry gets the entry once, from the reconciliation', async () => {
    const { tenantId, admin } = await linkedSlackTenant(store.models);
    await storeUsage(store.models, { tenantId, period: PERIOD, ordersUsed: 123 });
    const crashing = createStorePorts({ models: auditWriteFails(store.models), producer, logger });
    const business = findPlan('business')!;

    await expect(crashing.billing.changePlan(tenantId, business, admin, NOW)).rejects.toThrow(
      /audit entry was written/,
    );
    expect(await store.models.Subscription.findOne({ tenantId }).lean()).toMatchObject({ plan: 'business' });
    const [invoice] = await store.models.Invoice.find({ tenantId }).lean();
    expect(invoice).toMatchObject({ totalOre: 36_666 });
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(0);

    expect(await reconcile()).toEqual({ audited: 1 });
    expect(await reconcile()).toEqual({ audited: 0 });
    expect(await entriesOf(tenantId, 'subscription.upgrade')).toMatchObject([
      {
        actor: { platform: 'slack', userId: 'UADMIN1' },
        target: 'business',
        details: { from: 'standard', to: 'business', invoiceNumber: invoice!.number, totalOre: 36_666 },
      },
    ]);
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(1);
  });

  it('a period roll whose process stopped before its entry gets the entry once, from the reconciliation', async () => {
    const { tenantId } = await linkedSlackTenant(store.models);
    await store.models.Subscription.updateOne(
      { tenantId },
      { $set: { periodStart: new Date('2026-10-31T23:00:00Z') } },
    );
    const december = new Date('2026-12-01T00:05:00.000Z');
    const roll = (models: Models) =>
      periodRoll.run(
        { models, producer, now: () => december },
        { tick: december, logger, instanceId: 'test', signal: new AbortController().signal },
      );

    expect(await roll(auditWriteFails(store.models))).toMatchObject({ failed: 1 });
    const [invoice] = await store.models.Invoice.find({ tenantId, idempotencyKey: 'plan:2026-12' }).lean();
    expect(invoice).toMatchObject({ totalOre: 62_375 });
    // The next roll finds the period rolled and its invoice issued: on its own it would leave it so.
    expect(await roll(store.models)).toMatchObject({ tenants: 0, failed: 0 });
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(0);

    expect(await reconcile()).toEqual({ audited: 1 });
    expect(await reconcile()).toEqual({ audited: 0 });
    expect(await entriesOf(tenantId, 'subscription.period')).toMatchObject([
      {
        actor: SYSTEM_ACTOR,
        target: '2026-12',
        details: { period: '2026-12', plan: 'standard', invoiceNumber: invoice!.number, totalOre: 62_375 },
      },
    ]);
  });
});

describe('a service that restarts after a purchase it did not audit', () => {
  it('writes the missing entry at start, once', async () => {
    const running = await startTestApp();
    try {
      const { models } = running.store;
      const { tenantId, admin } = await linkedSlackTenant(models);
      const crashing = createStorePorts({ models: auditWriteFails(models), producer, logger });
      const purchase = { pack: { orders: 100, priceOre: 14_900 }, key: 'crash-restart-1', caller: admin, now: NOW };
      await expect(crashing.billing.buyTopUp(tenantId, purchase)).rejects.toThrow(/audit entry was written/);
      expect(await models.AuditEntry.countDocuments({ tenantId })).toBe(0);

      // The process that made it is gone; the service starts again on the same store.
      await running.app.stop();
      running.app = createApp(running.config, captureLogger().logger);
      await running.app.start();
      expect(await models.AuditEntry.find({ tenantId }).lean()).toMatchObject([
        { action: 'topup.buy', target: PERIOD, details: { orders: 100, totalOre: 18_625 } },
      ]);
      // And a second start adds nothing.
      await running.app.stop();
      running.app = createApp(running.config, captureLogger().logger);
      await running.app.start();
      expect(await models.AuditEntry.countDocuments({ tenantId })).toBe(1);
    } finally {
      await running.stop();
    }
  });
});
