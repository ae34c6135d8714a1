import { createChatDeliveries, createHomeViewers, deliveryListName } from '../../src/store';
import { useTestStore } from '../support/test-store';

const store = useTestStore('chat_state');

const MINUTE = 60_000;
const listNames = async () =>
  (await store().connection.db!.listCollections({}, { nameOnly: true }).toArray())
    .map(({ name }) => name)
    .filter((name) => name.startsWith('chatDeliveryKeys_'))
    .sort();

describe('chat deliveries shared by instances', () => {
  it('lets one instance claim a delivery; the other sees it busy, then done', async () => {
    const a = createChatDeliveries({ models: store().models, owner: 'a' });
    const b = createChatDeliveries({ models: store().models, owner: 'b' });
    const first = await a.begin('slack:event:Ev1');
    expect(first).toMatchObject({ kind: 'first', claim: { attempt: 1 } });
    expect(await b.begin('slack:event:Ev1')).toMatchObject({ kind: 'busy' });
    if (first.kind !== 'first') throw new Error('unreachable');
    expect(await a.hold(first.claim, async () => 'answered')).toBe('answered');
    expect(await b.begin('slack:event:Ev1')).toEqual({ kind: 'done' });
    expect(await b.peek('slack:event:Ev1')).toBe('done');
  });

  it('marks a delivery done when its work fails too, and renews the lease while the work runs', async () => {
    const a = createChatDeliveries({ models: store().models, owner: 'a', leaseMs: 3000 });
    const b = createChatDeliveries({ models: store().models, owner: 'b', leaseMs: 3000 });
    const first = await a.begin('slack:trigger:T1');
    if (first.kind !== 'first') throw new Error('expected a first claim');
    const claimedUntil = (await store().models.ChatDelivery.collection.findOne({ _id: first.claim.id as never }))!
      .leaseUntil as Date;
    await expect(
      a.hold(first.claim, async () => {
        // Renewed every leaseMs / 3 (1 s): wait until the stored lease moved on.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const doc = await store().models.ChatDelivery.collection.findOne({ _id: first.claim.id as never });
          if ((doc!.leaseUntil as Date).getTime() > claimedUntil.getTime()) break;
          if (Date.now() > deadline) throw new Error('the lease was never renewed');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error('the command failed');
      }),
    ).rejects.toThrow('the command failed');
    expect(await b.begin('slack:trigger:T1')).toEqual({ kind: 'done' });
  });

  it('takes over a delivery whose owner stopped renewing, once, by the next attempt', async () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const later = new Date(at.getTime() + 31_000);
    const dead = createChatDeliveries({ models: store().models, owner: 'dead' });
    const b = createChatDeliveries({ models: store().models, owner: 'b' });
    const c = createChatDeliveries({ models: store().models, owner: 'c' });
    expect(await dead.begin('slack:event:Ev2', at)).toMatchObject({ kind: 'first' });
    expect(await b.peek('slack:event:Ev2', later)).toBe('free');
    const [byB, byC] = await Promise.all([b.begin('slack:event:Ev2', later), c.begin('slack:event:Ev2', later)]);
    const kinds = [byB.kind, byC.kind].sort();
    expect(kinds).toEqual(['busy', 'first']);
    const taken = [byB, byC].find((outcome) => outcome.kind === 'first');
    expect(taken).toMatchObject({ claim: { id: 'slack:event:Ev2#2', attempt: 2 } });
  });

  it('prunes whole expired ten minutes by _id and drops their lists, keeping the recent ones', async () => {
    const models = store().models;
    // Earlier than every other claim of this file, so that only these lists can have expired.
    const now = new Date('2026-01-01T12:05:00Z');
    const deliveries = createChatDeliveries({ models, owner: 'a', keepMs: 30 * MINUTE });
    const old = new Date(now.getTime() - 45 * MINUTE); // 11:20: its list ends 11:30, kept until 12:00
    const recent = new Date(now.getTime() - 20 * MINUTE); // 11:45: kept until 12:20
    for (let index = 0; index < 60; index += 1) await deliveries.begin(`slack:event:old-${index}`, old);
    for (let index = 0; index < 3; index += 1) await deliveries.begin(`slack:event:recent-${index}`, recent);
    const before = await listNames();
    expect(before).toEqual(expect.arrayContaining([deliveryListName(old), deliveryListName(recent)]));

    expect(await deliveries.prune(now)).toBe(60);
    const after = await listNames();
    expect(after).not.toContain(deliveryListName(old));
    expect(after).toContain(deliveryListName(recent));
    expect(await models.ChatDelivery.collection.findOne({ _id: 'slack:event:old-0' as never })).toBeNull();
    expect(await models.ChatDelivery.collection.findOne({ _id: 'slack:event:recent-0' as never })).not.toBeNull();
    // Nothing left to do: a second prune, from any instance, deletes nothing.
    expect(await deliveries.prune(now)).toBe(0);
  });
});

describe('App Home viewers shared by instances', () => {
  it('lists who opened the Home view of a tenant, newest first, per platform and tenant', async () => {
    const viewers = createHomeViewers({ models: store().models });
    const at = new Date();
    await viewers.remember('slack', 't1', { workspaceId: 'T1', userId: 'U1' }, new Date(at.getTime() - 2000));
    await viewers.remember('slack', 't1', { workspaceId: 'T1', userId: 'U2' }, new Date(at.getTime() - 1000));
    await viewers.remember('slack', 't2', { workspaceId: 'T2', userId: 'U3' }, at);
    await viewers.remember('discord', 't1', { workspaceId: 'G1', userId: '42' }, at);
    // Opening again moves a viewer to the front instead of listing them twice.
    await viewers.remember('slack', 't1', { workspaceId: 'T1', userId: 'U1' }, at);
    expect(await viewers.list('slack', 't1', at)).toEqual([
      { workspaceId: 'T1', userId: 'U1' },
      { workspaceId: 'T1', userId: 'U2' },
    ]);
    expect(await viewers.list('slack', 't3', at)).toEqual([]);
  });

  it('remembers the first two openings of a tenant that arrive at once (both insert; neither fails)', async () => {
    const viewers = createHomeViewers({ models: store().models });
    for (let round = 0; round < 5; round += 1) {
      const tenantId = `fresh-${round}-${Date.now()}`;
      await Promise.all([
        viewers.remember('slack', tenantId, { workspaceId: 'T1', userId: 'UA' }),
        viewers.remember('slack', tenantId, { workspaceId: 'T1', userId: 'UB' }),
      ]);
      expect((await viewers.list('slack', tenantId)).map(({ userId }) => userId).sort()).toEqual(['UA', 'UB']);
    }
  });

  it('keeps at most the bound per tenant, the most recently seen', async () => {
    const viewers = createHomeViewers({ models: store().models, maxPerTenant: 3 });
    const at = new Date();
    for (let index = 0; index < 6; index += 1) {
      await viewers.remember(
        'slack',
        'tb',
        { workspaceId: 'T1', userId: `U${index}` },
        new Date(at.getTime() - (6 - index) * MINUTE),
      );
    }
    expect((await viewers.list('slack', 'tb', at)).map(({ userId }) => userId)).toEqual(['U5', 'U4', 'U3']);
    const doc = await store().models.HomeViewers.collection.findOne({ _id: 'slack:tb' as never });
    expect(Object.keys(doc!.viewers as object)).toHaveLength(3);
  });

  it('no longer refreshes a viewer not seen within the expiry, and drops them at the next opening', async () => {
    const viewers = createHomeViewers({ models: store().models, keepMs: 60 * MINUTE });
    const at = new Date();
    await viewers.remember('slack', 'te', { workspaceId: 'T1', userId: 'UOLD' }, new Date(at.getTime() - 90 * MINUTE));
    expect(await viewers.list('slack', 'te', at)).toEqual([]);
    await viewers.remember('slack', 'te', { workspaceId: 'T1', userId: 'UNEW' }, at);
    expect(await viewers.list('slack', 'te', at)).toEqual([{ workspaceId: 'T1', userId: 'UNEW' }]);
    const doc = await store().models.HomeViewers.collection.findOne({ _id: 'slack:te' as never });
    expect(Object.keys(doc!.viewers as object)).toHaveLength(1);
  });

  it('keeps an id with a dot or a dollar sign as data, not as a path', async () => {
    const viewers = createHomeViewers({ models: store().models });
    await viewers.remember('slack', 'td', { workspaceId: 'T.1', userId: '$U' });
    expect(await viewers.list('slack', 'td')).toEqual([{ workspaceId: 'T.1', userId: '$U' }]);
  });
});
