import { DEFAULT_TIMEZONE } from '../../src/domain/closed-lists';
import { randomBytes } from 'node:crypto';
import type { CommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Reply } from '../../src/chat/reply';
import type { AlertEvent } from '../../src/domain/alerts';
import type { Command } from '../../src/domain/commands';
import type { TransferEvent } from '../../src/domain/events';
import { dayAndPeriod } from '../../src/domain/periods';
import { readTransferList, readUsage } from '../../src/store';
import { FakeSlackApi } from '../fakes/slack-api';
import { createTestTenant, type TestTenant } from '../fixtures/tenants';
import { transferEvent } from '../fixtures/transfer-events';
import { readTopic } from '../support/kafka';
import { startTestApp, type RunningApp } from '../support/running-app';
import { waitFor } from '../support/wait-for';
import { postEvents } from '../support/webhooks';

const HELD_HEADLINE = /are used up: new orders are held until you top up/;

/** An order the engine created in e-conomic: one event, the allowance's unit. */
const orderDone = (tenantId: string, transferId: string): TransferEvent =>
  transferEvent({ tenantId, transferId, connectionId: 'orders', type: 'transfer.succeeded' });

/** An order the engine did not send because the quota is used up (it obeyed `orders.hold`). */
const orderHeld = (tenantId: string, transferId: string): TransferEvent =>
  transferEvent({
    tenantId,
    transferId,
    connectionId: 'orders',
    type: 'transfer.held',
    hold: { reason: 'quota_exceeded', message: 'The orders of the period are used up' },
  });

function buyButton(answer: Reply): string {
  const found = answer.blocks
    .flatMap((block) => (block.type === 'actions' ? block.buttons : []))
    .find((button) => /^Buy for/.test(button.label));
  if (!found?.action) throw new Error(`no Buy button in ${answer.fallback}`);
  return found.action;
}

describe('a quota overrun after a top-up released the held orders', () => {
  let slack: FakeSlackApi;
  let running: RunningApp;
  let core: CommandCore;

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      SLACK_BOT_TOKEN: `xoxb-test-${randomBytes(8).toString('hex')}`,
      SLACK_API_URL: slack.url,
    });
    core = running.app.core;
  });

  afterAll(async () => {
    await running?.stop();
    await slack?.stop();
  });

  /** A tenant of 1 included order, automatic top-up off, its quota alerts to a Slack channel. */
  async function heldTenant(): Promise<{ tenant: TestTenant; channel: string; admin: Caller }> {
    const { models } = running.store;
    const tenant = await createTestTenant(models, { includedOrders: 1, autoTopUp: { enabled: false } });
    const channel = `CQ${randomBytes(4).toString('hex').toUpperCase()}`;
    const workspaceId = `TQ${randomBytes(4).toString('hex').toUpperCase()}`;
    await models.NotificationRule.create({
      tenantId: tenant.tenantId,
      trigger: 'quota.threshold',
      recipient: { kind: 'slack', target: channel },
    });
    await models.Binding.create({ platform: 'slack', workspaceId, channelId: '', tenantId: tenant.tenantId });
    await models.Member.create({
      tenantId: tenant.tenantId,
      platform: 'slack',
      platformUserId: 'UADMIN',
      role: 'admin',
    });
    const admin: Caller = { platform: 'slack', userId: 'UADMIN', workspaceId, channelId: channel, displayName: 'Ada' };
    return { tenant, channel, admin };
  }

  const send = async (tenant: TestTenant, events: TransferEvent[]) =>
    expect((await postEvents(running.app.url(), tenant.tenantId, tenant.engineSecret, events)).status).toBe(202);

  /** Everything of one tenant on a topic so far, once `count` of them pass `where`. */
  async function readUntil<T extends { tenantId: string }>(
    topic: 'alerts' | 'commands',
    tenantId: string,
    count: number,
    where: (value: T) => boolean,
  ): Promise<T[]> {
    const messages = await readTopic(running.kafka, running.naming.topic(topic), count, {
      where: (message) => {
        const value = JSON.parse(message.value?.toString() ?? '{}') as T;
        return value.tenantId === tenantId && where(value);
      },
    });
    return messages.map((message) => JSON.parse(message.value!.toString()) as T);
  }

  const heldMessagesIn = (channel: string) =>
    slack.calls.filter(
      (call) =>
        call.method === 'chat.postMessage' &&
        call.body.channel === channel &&
        HELD_HEADLINE.test(String(call.body.text)),
    );

  async function topUp(admin: Caller) {
    const bought = await core.handleAction(admin, buyButton(await core.handleCommand(admin, 'topup 100')));
    expect(bought.fallback).toMatch(/^Bought 100 orders/);
    return bought;
  }

  it('holds the orders again, and says so again, on every overrun of the allowance', async () => {
    const { tenant, channel, admin } = await heldTenant();
    const { tenantId } = tenant;
    const { models } = running.store;
    const { period } = dayAndPeriod(new Date(), DEFAULT_TIMEZONE);
    const used = async () => (await readUsage(models, tenantId, period)).ordersUsed;

    // First overrun: 2 orders of an allowance of 1.
    await send(tenant, [orderDone(tenantId, 'o-1'), orderDone(tenantId, 'o-2')]);
    await waitFor('the first "orders are held" message in the channel', () => heldMessagesIn(channel).length === 1);
    const [firstHold] = await readUntil<Command>('commands', tenantId, 1, ({ type }) => type === 'orders.hold');
    expect(firstHold).toMatchObject({ type: 'orders.hold', period });
    // The engine holds the next order.
    await send(tenant, [orderHeld(tenantId, 'o-3')]);
    await waitFor('the held order in the log', async () =>
      (await readTransferList(models, tenantId, 'held')).total === 1 ? true : undefined,
    );

    // An admin buys 100 orders: the held order goes back to the engine.
    const bought = await topUp(admin);
    expect(bought.fallback).toContain('Orders held because the allowance was used up are released.');
    const released = await readUntil<Command>(
      'commands',
      tenantId,
      2,
      (command) =>
        command.type === 'orders.release' || (command.type === 'transfer.retry' && command.transferId === 'o-3'),
    );
    expect(released.map(({ type }) => type).sort()).toEqual(['orders.release', 'transfer.retry']);

    // The engine sends the released order and 100 more: 103 used of 101.
    const more = Array.from({ length: 100 }, (_, n) => orderDone(tenantId, `o-${n + 4}`));
    await send(tenant, [orderDone(tenantId, 'o-3'), ...more]);
    await waitFor('103 orders used', async () => ((await used()) === 103 ? true : undefined));

    // Held again: a command to the engines and a message of its own in the channel.
    const holds = await readUntil<Command>('commands', tenantId, 2, ({ type }) => type === 'orders.hold');
    expect(holds).toHaveLength(2);
    expect(holds[1]!.id).not.toBe(holds[0]!.id);
    expect(holds[1]).toMatchObject({ type: 'orders.hold', period });
    const exceeded = await readUntil<AlertEvent>('alerts', tenantId, 2, ({ kind }) => kind === 'quota.exceeded');
    expect(exceeded.map((alert) => (alert.kind === 'quota.exceeded' ? alert.allowance : undefined))).toEqual([1, 101]);
    expect(new Set(exceeded.map(({ groupKey }) => groupKey)).size).toBe(2);
    await waitFor('the second "orders are held" message in the channel', () => heldMessagesIn(channel).length === 2);
    const [, second] = heldMessagesIn(channel);
    expect(JSON.stringify(second!.body.blocks)).toMatch(/of 101 used/);
    // The first message was not edited into the second: two posts, no update of the first.
    expect(slack.calls.filter((call) => call.method === 'chat.update' && call.body.channel === channel)).toEqual([]);

    // And the next top-up releases them again.
    const again = await topUp(admin);
    expect(again.fallback).toContain('Orders held because the allowance was used up are released.');
    const releases = await readUntil<Command>('commands', tenantId, 2, ({ type }) => type === 'orders.release');
    expect(releases).toHaveLength(2);
  });
});
