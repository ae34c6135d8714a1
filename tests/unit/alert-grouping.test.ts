import { encodeTime } from '../../src/chat/log-link';
import {
  commonReason,
  DEFAULT_NOTIFIER_SETTINGS,
  errorGist,
  type GroupChange,
  type GroupState,
  type MessageRef,
  type NotifierSettings,
} from '../../src/services/alerts/group-state';
import { applyAlert, groupTrigger, planDelivery, type NotifierAlert } from '../../src/services/alerts/grouping';
import { alertMessage } from '../../src/services/alerts/message';
import { decodeAction } from '../../src/chat/actions';
import { digestGroupKey, failureGroupKey, jobGroupKey } from '../../src/domain/alerts';
import { translator } from '../../src/i18n';

/** Test tenants speak English; the Danish alerts have tests of their own (alert-languages.test.ts). */
const EN = translator('en');

const T0 = Date.parse('2025-11-27T12:00:00Z');
const minutes = (n: number) => new Date(T0 + n * 60_000);
const GROUP = failureGroupKey('acme', 'orders', 'economic.vat_zone_unknown');
const settings: NotifierSettings = {
  ...DEFAULT_NOTIFIER_SETTINGS,
  windowMs: 60 * 60_000,
  repeatIntervalMs: 60 * 60_000,
  threshold: 1,
};

let ids = 0;
function failed(at: number, transferId = `t${(ids += 1)}`, country = 'NO'): NotifierAlert {
  return {
    kind: 'transfer.failed',
    id: `alert-${(ids += 1)}`,
    tenantId: 'acme',
    groupKey: GROUP,
    occurredAt: minutes(at).toISOString(),
    transferId,
    connectionId: 'orders',
    entity: 'order',
    reference: `#${transferId}`,
    error: {
      code: 'economic.vat_zone_unknown',
      message: `Unknown VAT zone for country "${country}" on order #${transferId}: map it`,
      retryable: false,
    },
  };
}

function recovered(at: number, transferId: string): NotifierAlert {
  return {
    kind: 'transfer.recovered',
    id: `alert-${(ids += 1)}`,
    tenantId: 'acme',
    groupKey: GROUP,
    occurredAt: minutes(at).toISOString(),
    transferId,
    connectionId: 'orders',
    entity: 'order',
  };
}

function muted(at: number, forMinutes: number): NotifierAlert {
  return {
    kind: 'alert.mute',
    id: `mute-${(ids += 1)}`,
    tenantId: 'acme',
    groupKey: GROUP,
    occurredAt: minutes(at).toISOString(),
    mutedUntil: minutes(at + forMinutes).toISOString(),
    actor: { platform: 'slack', userId: 'U1' },
  };
}

/** Applies alerts in order, like the notifier does for one group. */
function run(
  alerts: NotifierAlert[],
  options: Partial<NotifierSettings> = {},
  start?: GroupState,
): GroupState | undefined {
  return alerts.reduce<GroupState | undefined>(
    (state, alert) => applyAlert(state, alert, { ...settings, ...options }) ?? state,
    start,
  );
}

/** A channel's message showing `state` as it is now, posted at `at` minutes. */
const shown = (state: GroupState, at: number): MessageRef => ({
  kind: 'slack',
  target: 'C1',
  messageId: '1.1',
  episode: state.episode,
  version: state.version,
  postedAt: minutes(at),
});

const plan = (
  state: GroupState,
  ref: MessageRef | undefined,
  changes: GroupChange[],
  at: number,
  options: Partial<NotifierSettings> = {},
) => planDelivery(state, ref, new Set(changes), { ...settings, ...options }, minutes(at));

describe('alert grouping', () => {
  it('posts the first failure of a group and updates its message for the next ones', () => {
    const first = run([failed(0)])!;
    expect(first).toMatchObject({ episode: 1, count: 1, alerting: true });
    expect(plan(first, undefined, ['failure'], 0)).toBe('post');

    const ref = shown(first, 0);
    const third = run([failed(5), failed(9)], {}, first)!;
    expect(third).toMatchObject({ episode: 1, count: 3, firstAt: minutes(0), lastAt: minutes(9) });
    expect(plan(third, ref, ['failure'], 9)).toBe('update');
    expect(plan(third, { ...ref, version: third.version }, ['failure'], 9)).toBe('none');
  });

  it('does not count an alert it has applied before, nor a transfer that fails again', () => {
    const alert = failed(0, 'order-1');
    const once = run([alert])!;
    expect(applyAlert(once, alert, settings)).toBeUndefined();
    const again = run([failed(3, 'order-1')], {}, once)!;
    expect(again).toMatchObject({ count: 1, streak: 2 });
  });

  it('says how many recovered, and resolves the group when all its failed transfers have', () => {
    const open = run([failed(0, 'a'), failed(1, 'b'), failed(2, 'c')])!;
    const ref = shown(open, 2);
    const partly = run([recovered(10, 'a')], {}, open)!;
    expect(partly).toMatchObject({ recovered: 1, failing: ['b', 'c'] });
    expect(partly.resolvedAt).toBeUndefined();
    expect(plan(partly, ref, ['recovery'], 10)).toBe('update');

    const resolved = run([recovered(11, 'b'), recovered(12, 'c')], {}, partly)!;
    expect(resolved.resolvedAt).toEqual(minutes(12));
    expect(plan(resolved, ref, ['recovery'], 12)).toBe('update');
    // A channel that never showed this episode gets no "resolved" message out of nowhere.
    expect(plan(resolved, undefined, ['recovery'], 12)).toBe('none');

    const next = run([failed(13)], {}, resolved)!;
    expect(next).toMatchObject({ episode: 2, count: 1, recovered: 0 });
    expect(next.resolvedAt).toBeUndefined();
    expect(plan(next, ref, ['failure'], 13)).toBe('post');
  });

  it('ignores a recovery of a transfer it never saw fail', () => {
    expect(applyAlert(undefined, recovered(0, 'x'), settings)).toBeUndefined();
    const open = run([failed(0, 'a')])!;
    const after = run([recovered(1, 'elsewhere')], {}, open)!;
    expect(after).toMatchObject({ count: 1, recovered: 0, version: open.version });
  });

  it('starts a new message after the window of quiet', () => {
    const open = run([failed(0)])!;
    const ref = shown(open, 0);
    const later = run([failed(61)], {}, open)!;
    expect(later).toMatchObject({ episode: 2, count: 1, firstAt: minutes(61) });
    expect(plan(later, ref, ['failure'], 61)).toBe('post');
  });

  it('posts again, with the count so far, while a group keeps failing longer than the repeat interval', () => {
    let state = run([failed(0)])!;
    const ref = shown(state, 0);
    // A failure every 20 minutes keeps the episode open (the window is a quiet hour).
    for (const at of [20, 40, 60]) state = run([failed(at)], {}, state)!;
    expect(state).toMatchObject({ episode: 1, count: 4 });
    expect(plan(state, ref, ['failure'], 59)).toBe('update');
    expect(plan(state, ref, ['failure'], 60)).toBe('post');
    // A recovery alone edits the message where it is.
    expect(plan(state, ref, ['recovery'], 61)).toBe('update');
    const message = alertMessage(state, {
      connectionLabel: 'Shopify > e-conomic',
      t: EN,
      timezone: 'UTC',
      now: minutes(60),
      repeated: true,
    })!;
    expect(message.fallback).toMatch(/^4 orders failed/);
    expect(JSON.stringify(message.blocks)).toContain('Still failing since 12:00');
  });

  it('alerts only after N failures in a row; a recovery starts the count again', () => {
    const two = run([failed(0, 'a'), failed(1, 'b')], { threshold: 3 })!;
    expect(two).toMatchObject({ count: 2, alerting: false });
    expect(plan(two, undefined, ['failure'], 1, { threshold: 3 })).toBe('none');

    const broken = run([recovered(2, 'a'), failed(3, 'c'), failed(4, 'd')], { threshold: 3 }, two)!;
    expect(broken).toMatchObject({ streak: 2, alerting: false });
    const third = run([failed(5, 'e')], { threshold: 3 }, broken)!;
    expect(third).toMatchObject({ streak: 3, alerting: true, count: 5 });
    expect(plan(third, undefined, ['failure'], 5, { threshold: 3 })).toBe('post');
  });

  it('counts the failures of a muted group without posting them; the mute itself edits the message', () => {
    const open = run([failed(0)])!;
    const ref = shown(open, 0);
    const mute = run([muted(1, 20)], {}, open)!;
    expect(mute.mutedUntil).toEqual(minutes(21));
    expect(plan(mute, ref, ['mute'], 1)).toBe('update');

    const shownMute = shown(mute, 1);
    const quiet = run([failed(5), failed(6)], {}, mute)!;
    expect(quiet.count).toBe(3);
    expect(plan(quiet, shownMute, ['failure'], 6)).toBe('none');
    expect(plan(quiet, undefined, ['failure'], 6)).toBe('none');

    // When the mute ends, the next failure shows the whole count.
    const after = run([failed(25)], {}, quiet)!;
    expect(after).toMatchObject({ episode: 1, count: 4 });
    expect(plan(after, shownMute, ['failure'], 25)).toBe('update');
  });

  it('posts a quota alert once', () => {
    const alert: NotifierAlert = {
      kind: 'quota.threshold',
      id: 'quota:acme:2025-11:threshold-80',
      tenantId: 'acme',
      groupKey: 'quota:acme:2025-11:threshold-80',
      occurredAt: minutes(0).toISOString(),
      period: '2025-11',
      threshold: 80,
      used: 400,
      allowance: 500,
    };
    const state = run([alert])!;
    expect(plan(state, undefined, ['quota'], 0)).toBe('post');
    expect(plan(state, shown(state, 0), ['quota'], 1)).toBe('none');
    expect(applyAlert(state, alert, settings)).toBeUndefined();
    const message = alertMessage(state, { t: EN, timezone: 'UTC', now: minutes(0) })!;
    expect(JSON.stringify(message.blocks)).toContain('Orders: 400 of 500 used (80 %)');
  });
});

describe('the headline of a failure group', () => {
  it('takes the first clause of an error message', () => {
    expect(errorGist('Unknown VAT zone for country "NO" on order #1012: map the country to a VAT zone')).toBe(
      'Unknown VAT zone for country "NO" on order #1012',
    );
    expect(errorGist('Customer group 2 does not exist in e-conomic agreement 123; create it')).toBe(
      'Customer group 2 does not exist in e-conomic agreement 123',
    );
  });

  it('keeps what the failures of a group say alike, without a bracket left open, else the error code', () => {
    const vat = (country: string, order: string) => `Unknown VAT zone for country "${country}" on order ${order}`;
    expect(commonReason(undefined, vat('NO', '#1'), 'code')).toBe(vat('NO', '#1'));
    expect(commonReason(vat('NO', '#1'), vat('NO', '#1'), 'code')).toBe(vat('NO', '#1'));
    expect(commonReason(vat('NO', '#1'), vat('DE', '#2'), 'code')).toBe('Unknown VAT zone for country');
    expect(commonReason('Unknown VAT zone for country', vat('SE', '#3'), 'code')).toBe('Unknown VAT zone for country');
    const product = (order: string) => `Product number "NEW-1" (line of order ${order}) does not exist in e-conomic`;
    expect(commonReason(product('#1'), product('#2'), 'code')).toBe('Product number "NEW-1"');
    expect(commonReason('Timeout', 'Connection refused', 'engine.unreachable')).toBe('engine.unreachable');
  });

  it('reads as a person would say it', () => {
    const state = run([failed(0, '1012', 'NO'), failed(1, '1013', 'DE')])!;
    const message = alertMessage(state, {
      connectionLabel: 'Shopify > e-conomic',
      t: EN,
      timezone: 'Europe/Copenhagen',
      now: minutes(2),
    })!;
    expect(message.fallback).toBe('2 orders failed · Shopify > e-conomic · Unknown VAT zone for country');
    expect(message.visibility).toBe('in_channel');
    expect(message.blocks).toContainEqual({
      type: 'fields',
      fields: [
        { label: 'Last', value: '#1013 at 13:01' },
        { label: 'Since', value: '13:00' },
        { label: 'Error', value: '`economic.vat_zone_unknown`' },
      ],
    });
  });
});

describe('job alert groups', () => {
  const JOB_GROUP = jobGroupKey('acme', 'job-orders');
  const aboutJob = (at: number) => ({
    id: `job-alert-${(ids += 1)}`,
    tenantId: 'acme',
    groupKey: JOB_GROUP,
    occurredAt: minutes(at).toISOString(),
    jobId: 'job-orders',
    connectionId: 'orders',
    entity: 'order' as const,
  });
  const missed = (at: number, missedRuns = 3): NotifierAlert => ({
    kind: 'job.missed',
    ...aboutJob(at),
    dueAt: minutes(at - 10).toISOString(),
    missedRuns,
  });
  const failing = (at: number, failures: number, lastStatus: 'failed' | 'no_answer' = 'failed'): NotifierAlert => ({
    kind: 'job.failing',
    ...aboutJob(at),
    failures,
    lastStatus,
    lastRunAt: minutes(at).toISOString(),
    ...(lastStatus === 'failed' ? { reason: 'Unknown VAT zone for country' } : {}),
  });
  const ranFine = (at: number): NotifierAlert => ({
    kind: 'job.recovered',
    ...aboutJob(at),
    runAt: minutes(at).toISOString(),
  });
  const ctx = { connectionLabel: 'Shopify > e-conomic', t: EN, timezone: 'UTC', now: minutes(0) };

  it('posts a missed run, updates the message when the job keeps failing, and resolves it on a good run', () => {
    const first = run([missed(0)])!;
    expect(first).toMatchObject({ episode: 1, alerting: true });
    expect(groupTrigger(first)).toBe('job.missed');
    expect(plan(first, undefined, ['failure'], 0)).toBe('post');
    expect(alertMessage(first, ctx)!.fallback).toBe(
      'Shopify > e-conomic (orders) missed its scheduled run due 11:50 · 3 runs missed',
    );

    const ref = shown(first, 0);
    const failingNow = run([failing(5, 3)], {}, first)!;
    expect(plan(failingNow, ref, ['failure'], 5)).toBe('update');
    const message = alertMessage(failingNow, { ...ctx, now: minutes(5) })!;
    expect(message.fallback).toBe(
      'Shopify > e-conomic (orders): the last 3 scheduled runs failed · Unknown VAT zone for country',
    );
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));
    expect(buttons.map(({ label }) => label)).toEqual(['Run now', 'Mute 1 h', 'Mute 24 h', 'Open log']);
    expect(decodeAction(buttons[0]!.action!)).toEqual({ id: 'jobs.run', values: { id: 'orders' } });
    expect(decodeAction(buttons[2]!.action!)).toEqual({ id: 'alert.mute.job', values: { conn: 'orders', h: '24' } });
    expect(decodeAction(buttons[3]!.action!)).toEqual({
      id: 'log.page',
      values: { page: '1', status: 'failed', conn: 'orders' },
    });

    const unanswered = run([failing(6, 4, 'no_answer')], {}, failingNow)!;
    expect(alertMessage(unanswered, { ...ctx, now: minutes(6) })!.fallback).toBe(
      'Shopify > e-conomic (orders): the last 4 scheduled runs failed · the last one got no answer from the integration engine',
    );

    // A job's message is updated in place, however long ago it was posted.
    expect(plan(unanswered, ref, ['failure'], 6 + 24 * 60)).toBe('update');

    const resolved = run([ranFine(60)], {}, unanswered)!;
    expect(resolved.resolvedAt).toEqual(minutes(60));
    expect(plan(resolved, shown(unanswered, 6), ['recovery'], 60)).toBe('update');
    expect(plan(resolved, undefined, ['recovery'], 60)).toBe('none');
    const done = alertMessage(resolved, { ...ctx, now: minutes(60) })!;
    expect(done.fallback).toBe('Resolved: Shopify > e-conomic (orders) ran fine at 13:00');
    expect(done.blocks.some((block) => block.type === 'actions')).toBe(false);

    // The next miss is a new episode: a new message.
    const again = run([missed(120, 1)], {}, resolved)!;
    expect(again).toMatchObject({ episode: 2 });
    expect(again.resolvedAt).toBeUndefined();
    expect(plan(again, shown(resolved, 60), ['failure'], 120)).toBe('post');
    expect(alertMessage(again, { ...ctx, now: minutes(120) })!.fallback).toBe(
      'Shopify > e-conomic (orders) missed its scheduled run due 13:50',
    );
  });

  it('does nothing for a good run of a job it never alerted, nor for an alert it applied before', () => {
    expect(applyAlert(undefined, ranFine(0), settings)).toBeUndefined();
    const alert = failing(0, 3);
    const once = run([alert])!;
    expect(applyAlert(once, alert, settings)).toBeUndefined();
    // A good run older than the failure it would resolve changes nothing either.
    const stale = run([ranFine(-5)], {}, once)!;
    expect(stale.resolvedAt).toBeUndefined();
    expect(stale.version).toBe(once.version);
  });

  it('keeps a muted job group quiet until a good run resolves it', () => {
    const open = run([failing(0, 3)])!;
    const mute = run([{ ...(muted(1, 60) as object), groupKey: JOB_GROUP } as NotifierAlert], {}, open)!;
    const ref = shown(mute, 1);
    const more = run([failing(10, 4)], {}, mute)!;
    expect(plan(more, ref, ['failure'], 10)).toBe('none');
    expect(JSON.stringify(alertMessage(mute, { ...ctx, now: minutes(1) })!.blocks)).toContain('Muted until 13:01');
    const resolved = run([ranFine(20)], {}, more)!;
    expect(plan(resolved, ref, ['recovery'], 20)).toBe('update');
  });
});

describe('the daily digest', () => {
  const digest = (overrides: Partial<Extract<NotifierAlert, { kind: 'digest' }>> = {}): NotifierAlert => ({
    kind: 'digest',
    id: digestGroupKey('acme', '2025-11-26'),
    tenantId: 'acme',
    groupKey: digestGroupKey('acme', '2025-11-26'),
    occurredAt: minutes(0).toISOString(),
    day: '2025-11-26',
    period: '2025-11',
    transfers: {
      order: { created: 120, updated: 4, failed: 9 },
      product: { created: 0, updated: 37, failed: 0 },
      stock: { created: 0, updated: 211, failed: 1 },
    },
    failuresByCause: [
      { code: 'economic.vat_zone_unknown', reason: 'Unknown VAT zone for country', count: 4 },
      { code: 'economic.product_missing', reason: 'Product number "NEW-1"', count: 2 },
      { code: 'a', reason: 'a', count: 1 },
      { code: 'b', reason: 'b', count: 1 },
      { code: 'c', reason: 'c', count: 1 },
      { code: 'd', reason: 'd', count: 1 },
      { code: 'e', reason: 'e', count: 1 },
    ],
    quota: { used: 430, allowance: 500 },
    held: 3,
    ...overrides,
  });

  it('is one message: posted once, and a digest delivered again changes nothing', () => {
    const alert = digest();
    const state = run([alert])!;
    expect(groupTrigger(state)).toBe('digest');
    expect(plan(state, undefined, ['digest'], 0)).toBe('post');
    expect(plan(state, shown(state, 0), ['digest'], 1)).toBe('none');
    expect(applyAlert(state, alert, settings)).toBeUndefined();
    expect(applyAlert(state, { ...alert, id: 'another' }, settings)).toBeUndefined();
  });

  it("tells yesterday's transfers, the failures by cause, the quota left and what is held", () => {
    const links = {
      transfer: (tenantId: string, transferId: string) => `https://iex.test/t/${tenantId}/${transferId}`,
      subscription: (tenantId: string) => `https://iex.test/s/${tenantId}`,
      usage: (tenantId: string) => `https://iex.test/u/${tenantId}`,
    };
    const message = alertMessage(run([digest()])!, { t: EN, timezone: 'Europe/Copenhagen', now: minutes(0), links })!;
    expect(message.fallback).toBe('Daily digest — Wednesday 26 November');
    expect(message.blocks).toContainEqual({
      type: 'fields',
      fields: [
        { label: 'Orders', value: '120 created · 4 updated · 9 failed' },
        { label: 'Products', value: '0 created · 37 updated · 0 failed' },
        { label: 'Stock', value: '0 created · 211 updated · 1 failed' },
      ],
    });
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('• 4 × `economic.vat_zone_unknown` Unknown VAT zone for country');
    expect(all).toContain('• 1 × `c`\\nand');
    expect(all).not.toContain('`d`');
    expect(all).toContain('and 2 more (2 failures)');
    expect(all).toContain('Orders in November 2025: 430 of 500 used · 70 left · 3 transfers held');
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));
    expect(buttons.map(({ label }) => label)).toEqual(['Open log', 'Subscription']);
    // The log of yesterday's failures, in the tenant's time zone (CET: 23:00 UTC the day before).
    expect(decodeAction(buttons[0]!.action!).values).toMatchObject({
      status: 'failed',
      since: encodeTime(new Date('2025-11-25T23:00:00Z')),
      until: encodeTime(new Date('2025-11-26T23:00:00Z')),
    });
    expect(buttons[1]!.url).toBe('https://iex.test/s/acme');
  });
});
