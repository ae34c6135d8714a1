import { jobGroupKey, failureGroupKey, type AlertEvent } from '../../src/domain/alerts';
import { DEFAULT_NOTIFIER_SETTINGS } from '../../src/services/alerts/group-state';
import { applyAlert, groupConnectionId, groupTrigger } from '../../src/services/alerts/grouping';
import { alertMessage } from '../../src/services/alerts/message';
import { loadGroups, saveGroup } from '../../src/services/alerts/state-store';
import { useTestStore } from '../support/test-store';
import { translator } from '../../src/i18n';

/** Test tenants speak English; the Danish alerts have tests of their own (alert-languages.test.ts). */
const EN = translator('en');

/**
 * Alert state documents as the notifier wrote them before alert kinds were modules: each kind's
 * subject in a field of its own (`last`, `job`, …). Open groups of then must still be read, resolved
 * and written back in the same shape.
 */
const store = useTestStore('alert_state_compat');
const TENANT = 'acme';
const T0 = new Date('2025-11-27T12:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const FAILURE_KEY = failureGroupKey(TENANT, 'orders', 'economic.vat_zone_unknown');
const JOB_KEY = jobGroupKey(TENANT, 'job-orders');

const ref = {
  kind: 'slack',
  target: 'C-ALERTS',
  messageId: '1700000000.0001',
  episode: 1,
  version: 2,
  postedAt: minutes(1),
};

const oldFailureGroup = {
  tenantId: TENANT,
  groupKey: FAILURE_KEY,
  messageRefs: [ref],
  episode: 1,
  version: 2,
  count: 2,
  streak: 2,
  alerting: true,
  failing: ['t1', 't2'],
  untracked: 0,
  recovered: 0,
  firstAt: minutes(0),
  lastAt: minutes(1),
  last: {
    transferId: 't2',
    connectionId: 'orders',
    entity: 'order',
    reference: '#1033',
    error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone for country "DE" on order #1033' },
  },
  reason: 'Unknown VAT zone for country',
  appliedIds: ['a1', 'a2'],
  lastSentAt: minutes(1),
};

const oldJobAlert = {
  kind: 'job.missed',
  id: 'missed-1',
  tenantId: TENANT,
  groupKey: JOB_KEY,
  occurredAt: minutes(0).toISOString(),
  jobId: 'job-orders',
  connectionId: 'orders',
  entity: 'order',
  dueAt: minutes(-5).toISOString(),
  missedRuns: 1,
};

const oldJobGroup = {
  tenantId: TENANT,
  groupKey: JOB_KEY,
  messageRefs: [{ ...ref, version: 1 }],
  episode: 1,
  version: 1,
  count: 1,
  streak: 0,
  alerting: true,
  failing: [],
  untracked: 0,
  recovered: 0,
  firstAt: minutes(0),
  lastAt: minutes(0),
  job: oldJobAlert,
  appliedIds: ['missed-1'],
};

const recovered = (transferId: string, at: number): AlertEvent => ({
  kind: 'transfer.recovered',
  id: `r-${transferId}`,
  tenantId: TENANT,
  groupKey: FAILURE_KEY,
  occurredAt: minutes(at).toISOString(),
  transferId,
  connectionId: 'orders',
  entity: 'order',
});

const ctx = { t: EN, timezone: 'Europe/Copenhagen', now: minutes(10), connectionLabel: 'Shopify > e-conomic' };

describe('alert state written before alert kinds were modules', () => {
  beforeAll(async () => {
    await store().connection.collection('alertStates').insertMany([oldFailureGroup, oldJobGroup]);
  });

  it('is read as the group it was, and resolves when its transfers recover', async () => {
    const { models } = store();
    const state = (await loadGroups(models, TENANT, [FAILURE_KEY])).get(FAILURE_KEY)!;
    expect(state).toMatchObject({ count: 2, failing: ['t1', 't2'], refs: [ref] });
    expect(groupTrigger(state)).toBe('transfer.failed');
    expect(groupConnectionId(state)).toBe('orders');
    expect(alertMessage(state, ctx)?.fallback).toBe(
      '2 orders failed · Shopify > e-conomic · Unknown VAT zone for country',
    );

    let next = applyAlert(state, recovered('t1', 5), DEFAULT_NOTIFIER_SETTINGS)!;
    next = applyAlert(next, recovered('t2', 6), DEFAULT_NOTIFIER_SETTINGS)!;
    expect(next.resolvedAt).toEqual(minutes(6));
    await saveGroup(models, next);

    const doc = await models.AlertState.findOne({ tenantId: TENANT, groupKey: FAILURE_KEY }).lean();
    // Written back in the shape it had: the subject in `last`, nothing new beside it.
    expect(doc).toMatchObject({ last: oldFailureGroup.last, failing: [], recovered: 2, resolvedAt: minutes(6) });
    expect(doc).not.toHaveProperty('subject');
    expect(doc).not.toHaveProperty('kind');
    const reread = (await loadGroups(models, TENANT, [FAILURE_KEY])).get(FAILURE_KEY)!;
    expect(alertMessage(reread, ctx)?.fallback).toBe(
      'Resolved: 2 orders failed · Shopify > e-conomic · Unknown VAT zone for country',
    );
  });

  it('is read for a job and resolved by a good run', async () => {
    const { models } = store();
    const state = (await loadGroups(models, TENANT, [JOB_KEY])).get(JOB_KEY)!;
    expect(groupTrigger(state)).toBe('job.missed');
    expect(groupConnectionId(state)).toBe('orders');
    const good: AlertEvent = {
      kind: 'job.recovered',
      id: 'good-1',
      tenantId: TENANT,
      groupKey: JOB_KEY,
      occurredAt: minutes(20).toISOString(),
      jobId: 'job-orders',
      connectionId: 'orders',
      entity: 'order',
      runAt: minutes(20).toISOString(),
    };
    const next = applyAlert(state, good, DEFAULT_NOTIFIER_SETTINGS)!;
    expect(next.resolvedAt).toEqual(minutes(20));
    await saveGroup(models, next);
    const doc = await models.AlertState.findOne({ tenantId: TENANT, groupKey: JOB_KEY }).lean();
    expect(doc).toMatchObject({ job: oldJobAlert, resolvedAt: minutes(20), version: 2 });
    expect(doc).not.toHaveProperty('last');
    expect(alertMessage(next, { ...ctx, now: minutes(21) })?.fallback).toMatch(
      /^Resolved: Shopify > e-conomic \(orders\) ran fine at /,
    );
  });
});
