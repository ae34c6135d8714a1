import type { FoldedTransfer } from '../../src/domain/transfer-fold';
import { PAGE_SIZE, readTransferList, recordPartition, RING_PAGES } from '../../src/store';
import { writeTransferViews, type ChangedTransfer } from '../../src/store/transfer-view-writer';
import { createTransferCache } from '../../src/services/transfers/transfer-cache';
import { useTestStore } from '../support/test-store';

const store = useTestStore('iex_views');

const base = Date.parse('2026-11-30T12:00:00Z');

function transfer(tenantId: string, n: number, status: FoldedTransfer['status']): FoldedTransfer {
  return {
    tenantId,
    transferId: `tr-${n}`,
    connectionId: 'orders',
    entity: 'order',
    operation: 'create',
    status,
    stages: [],
    attempts: 1,
    eventIds: [],
    startedAt: new Date(base + n * 1000),
    reference: `#${10_000 + n}`,
    ...(status === 'failed' ? { error: { code: 'VAT', message: 'Unknown VAT zone', retryable: true } } : {}),
  };
}

/** Writes batches as the recorder does: one writer per partition, which remembers its rings. */
function writer(tenantId: string) {
  const cache = createTransferCache(100);
  let clock = base;
  return async (changes: Array<{ transfer: FoldedTransfer; previousStatus?: FoldedTransfer['status'] }>) => {
    clock += 1000;
    const changed: ChangedTransfer[] = changes.map(({ transfer: t, previousStatus }) => ({
      transfer: t,
      updatedAt: new Date(clock),
      isNew: previousStatus === undefined,
      ...(previousStatus ? { previousStatus } : {}),
    }));
    await writeTransferViews({ models: store().models, cache }, 0, changed);
    await recordPartition(store().models, tenantId, 0);
  };
}

test('the failed list keeps its count and newest entries past a full ring, and a success takes one out', async () => {
  const tenantId = 'ring-acme';
  const write = writer(tenantId);
  const capacity = PAGE_SIZE * RING_PAGES.failed;
  const failures = capacity + 60;
  for (let at = 0; at < failures; at += 100) {
    await write(
      Array.from({ length: Math.min(100, failures - at) }, (_, i) => ({
        transfer: transfer(tenantId, at + i, 'failed'),
      })),
    );
  }
  // The oldest pages fell off the ring: the list holds what the ring still shows, newest first.
  const all = await readTransferList(store().models, tenantId, 'failed');
  expect(all.total).toBe(all.items.length);
  expect(all.total).toBeGreaterThanOrEqual(capacity - PAGE_SIZE);
  expect(all.total).toBeLessThanOrEqual(capacity);
  expect(all.items[0]?.transferId).toBe(`tr-${failures - 1}`);

  // Ten of the newest are retried and succeed: they leave the list, the count follows.
  await write(
    Array.from({ length: 10 }, (_, i) => ({
      transfer: transfer(tenantId, failures - 1 - i, 'succeeded'),
      previousStatus: 'failed' as const,
    })),
  );
  const first = await readTransferList(store().models, tenantId, 'failed', 5);
  expect(first.total).toBe(all.total - 10);
  expect(first.items.map(({ transferId }) => transferId)).toEqual(
    Array.from({ length: 5 }, (_, i) => `tr-${failures - 11 - i}`),
  );
  const recent = await readTransferList(store().models, tenantId, 'recent', 3);
  expect(recent.items.map(({ transferId, status }) => [transferId, status])).toEqual([
    [`tr-${failures - 1}`, 'succeeded'],
    [`tr-${failures - 2}`, 'succeeded'],
    [`tr-${failures - 3}`, 'succeeded'],
  ]);

  // A writer that restarts (nothing in memory) reads the ring back and goes on from it.
  const restarted = writer(tenantId);
  await restarted([{ transfer: transfer(tenantId, failures - 20, 'succeeded'), previousStatus: 'failed' }]);
  expect((await readTransferList(store().models, tenantId, 'failed', 1)).total).toBe(all.total - 11);
}, 120_000);

test('held transfers are counted, and a release empties the list', async () => {
  const tenantId = 'ring-held';
  const write = writer(tenantId);
  await write(Array.from({ length: 30 }, (_, i) => ({ transfer: transfer(tenantId, i, 'held') })));
  expect((await readTransferList(store().models, tenantId, 'held', 0)).total).toBe(30);
  await write(
    Array.from({ length: 30 }, (_, i) => ({
      transfer: transfer(tenantId, i, 'started'),
      previousStatus: 'held' as const,
    })),
  );
  const held = await readTransferList(store().models, tenantId, 'held');
  expect(held).toEqual({ items: [], total: 0 });
});
