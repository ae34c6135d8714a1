import { decodeAction } from '../../src/chat/actions';
import type { CommandCore } from '../../src/commands/core';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { Block, Button, Reply } from '../../src/chat/reply';
import type { Config } from '../../src/config/config';
import type { Command } from '../../src/domain/commands';
import type { EventProducer } from '../../src/kafka/producer';
import type { Naming } from '../../src/kafka/topics';
import type { Store } from '../../src/store';
import { readJson, testKafka } from '../support/kafka';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { storeTransfers, type TransferFixture } from '../support/transfers';

let config: Config;
let store: Store;
let producer: EventProducer;
let naming: Naming;
let core: CommandCore;
let harness: CoreUnderTest;

beforeAll(async () => {
  harness = await startCommandCore('commands-log-retry');
  ({ config, store, producer, naming, core } = harness);
});

afterAll(() => harness?.stop());

// ------------------------------------------------------------------ helpers

const MINUTE = 60_000;
const VAT = {
  code: 'economic.vat_zone_unknown',
  message: 'Unknown VAT zone for country DE: add it in e-conomic',
  retryable: true,
};
/** A Shopify order far longer than a chat message. */
const bigOrder = (lines: number) => ({
  id: 5_000_001,
  name: '#1003',
  currency: 'DKK',
  line_items: Array.from({ length: lines }, (_, i) => ({
    sku: `SKU-${i}`,
    title: `Wool socks, size ${i}`,
    quantity: 1 + (i % 3),
    price: '79.00',
  })),
});

/**
 * A tenant bound to its own Slack workspace (admin and viewer) with 15 transfers, newest first:
 * #1001…#1012 (orders; every third failed with an unknown VAT zone), a held product, a failed stock
 * update, and an old failed order "1099" (stored without '#') from 5 hours ago.
 */
async function tenantWithLog() {
  const { models } = store;
  const { tenantId, admin, viewer } = await linkedSlackTenant(models);

  const now = Date.now();
  const ago = (minutes: number) => new Date(now - minutes * MINUTE);
  const transfer = (minutes: number, fields: Record<string, unknown>) => ({
    tenantId,
    operation: 'create',
    attempts: 1,
    startedAt: ago(minutes + 0.5),
    createdAt: ago(minutes + 0.5),
    updatedAt: ago(minutes),
    ...fields,
  });
  const docs = Array.from({ length: 12 }, (_, index) => {
    const i = index + 1;
    const failed = i % 3 === 0;
    return transfer(i, {
      transferId: `ord-${i}`,
      reference: `#${1000 + i}`,
      connectionId: 'orders',
      entity: 'order',
      status: failed ? 'failed' : 'succeeded',
      ...(failed ? { error: VAT } : { finishedAt: ago(i) }),
      stages: [
        { name: 'received', status: 'started', at: ago(i + 0.5) },
        { name: 'mapped to e-conomic', status: 'succeeded', at: ago(i + 0.3) },
        failed
          ? { name: 'posted to e-conomic', status: 'failed', message: `${VAT.code}: ${VAT.message}`, at: ago(i) }
          : { name: 'completed', status: 'succeeded', at: ago(i) },
      ],
      source: { system: 'shopify', format: 'shopify.orders/create', payload: bigOrder(i === 12 ? 2000 : 40) },
      target: {
        system: 'e-conomic',
        format: 'economic.invoice',
        payload: { currency: 'DKK', customer: { customerNumber: 1 }, lines: [{ sku: 'SKU-1' }] },
      },
    });
  });
  docs.push(
    transfer(13, {
      transferId: 'prod-13',
      reference: 'SOCKS',
      connectionId: 'products',
      entity: 'product',
      status: 'held',
      attempts: 0,
      hold: { reason: 'connection_off', message: 'The connection Shopify > e-conomic is deactivated (Connections).' },
      stages: [{ name: 'held', status: 'skipped', at: ago(13) }],
    }),
    transfer(14, {
      transferId: 'stock-14',
      connectionId: 'stock',
      entity: 'stock',
      operation: 'update',
      status: 'failed',
      error: { code: 'economic.product_unknown', message: 'No such product', retryable: false },
      stages: [{ name: 'failed', status: 'failed', at: ago(14) }],
    }),
    transfer(300, {
      transferId: 'ord-old',
      reference: '1099',
      connectionId: 'orders',
      entity: 'order',
      status: 'failed',
      error: VAT,
      stages: [{ name: 'failed', status: 'failed', at: ago(300) }],
    }),
  );
  await storeTransfers(models, docs as unknown as TransferFixture[]);
  return { tenantId, admin, viewer };
}

const allText = (reply: Reply): string =>
  reply.blocks
    .map((block: Block) => {
      if (block.type === 'fields') return block.fields.map((field) => `${field.label}: ${field.value}`).join('\n');
      if (block.type === 'actions') return block.buttons.map((b) => b.label).join(' | ');
      if (block.type === 'divider') return '';
      if (block.type === 'image') return block.image.alt;
      return block.text;
    })
    .join('\n');

/** The numbered lines of a log page. */
const logLines = (reply: Reply): string[] =>
  reply.blocks.flatMap((block) => (block.type === 'text' && /^\d+\. /.test(block.text) ? block.text.split('\n') : []));

const codeBlocks = (reply: Reply): string[] =>
  reply.blocks.flatMap((block) => (block.type === 'code' ? [block.text] : []));
const buttons = (reply: Reply): Button[] =>
  reply.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));
const buttonLabelled = (reply: Reply, label: string | RegExp): Button => {
  const found = buttons(reply).find((candidate) =>
    typeof label === 'string' ? candidate.label === label : label.test(candidate.label),
  );
  if (!found?.action)
    throw new Error(
      `no button "${String(label)}" in: ${buttons(reply)
        .map((b) => b.label)
        .join(', ')}`,
    );
  return found;
};
const click = (caller: Caller, reply: Reply, label: string | RegExp) =>
  core.handleAction(caller, buttonLabelled(reply, label).action!);

/** Commands of one tenant on iex.commands.v1 (waits for `count`). */
const commandsOf = (tenantId: string, count: number) =>
  readJson<Command>(testKafka(), naming.topic('commands'), tenantId, count);

// ------------------------------------------------------------------ the log

describe('/iex log', () => {
  let tenant: Awaited<ReturnType<typeof tenantWithLog>>;
  beforeAll(async () => {
    tenant = await tenantWithLog();
  });

  test('lists the latest transfers newest first, ten a page, with Previous and Next', async () => {
    const first = await core.handleCommand(tenant.admin, 'log');
    const lines = logLines(first);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(
      /^1\. \*#1001\* · Shopify > e-conomic · order create · ✅ succeeded · (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d$/,
    );
    expect(lines[2]).toMatch(/^3\. \*#1003\* · .* ❌ failed `economic\.vat_zone_unknown` Unknown VAT zone/);
    expect(lines.map((line) => /#(\d+)/.exec(line)?.[1])).toEqual(
      Array.from({ length: 10 }, (_, i) => String(1001 + i)),
    );
    expect(allText(first)).toContain('Page 1 of 2 · 15 transfers · newest first');
    expect(allText(first)).toMatch(
      /Only the latest transfers are kept; the oldest still here is from (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d/,
    );
    expect(buttons(first).map((b) => b.label)).not.toContain('◀ Previous');
    expect(buttons(first).filter((b) => /^\d+\. /.test(b.label))).toHaveLength(10);

    const second = await click(tenant.admin, first, 'Next ▶');
    expect(second.replaceOriginal).toBe(true);
    const more = logLines(second);
    expect(more).toHaveLength(5);
    expect(more[0]).toMatch(/^11\. \*#1011\*/);
    expect(more[2]).toMatch(
      /^13\. \*SOCKS\* · Shopify > e-conomic · product create · ⏸ held: The connection Shopify > e-conomic is deactivated/,
    );
    expect(more[4]).toMatch(/^15\. \*1099\* .* failed/);
    expect(allText(second)).toContain('Page 2 of 2');
    expect(logLines(await click(tenant.admin, second, '◀ Previous'))[0]).toMatch(/^1\. \*#1001\*/);
  });

  test('filters by status, entity, order number (with or without #) and time', async () => {
    const failed = logLines(await core.handleCommand(tenant.admin, 'log failed'));
    expect(failed.map((line) => /^\d+\. \S+ /.exec(line)?.[0])).toEqual([
      '1. *#1003* ',
      '2. *#1006* ',
      '3. *#1009* ',
      '4. *#1012* ',
      '5. `stock-14` ',
      '6. *1099* ',
    ]);

    const orders = await core.handleCommand(tenant.admin, 'log --status failed --entity orders');
    expect(logLines(orders)).toHaveLength(5);
    expect(allText(orders)).toContain('Filter: failed · orders');

    for (const ref of ['1099', '#1099']) {
      const found = await core.handleCommand(tenant.admin, `log --ref ${ref}`);
      expect(logLines(found)).toEqual([expect.stringMatching(/^1\. \*1099\* /)]);
    }
    expect(logLines(await core.handleCommand(tenant.admin, 'log --ref 1001'))).toEqual([
      expect.stringMatching(/^1\. \*#1001\* /),
    ]);
    // An order number alone opens the transfer.
    expect(allText(await core.handleCommand(tenant.admin, 'log #1099'))).toContain('Transfer 1099');
    expect(allText(await core.handleCommand(tenant.admin, 'log 1006'))).toContain('Transfer #1006');

    const recent = await core.handleCommand(tenant.admin, 'log failed --since 1h');
    expect(logLines(recent)).toHaveLength(5);
    expect(allText(recent)).toMatch(/Filter: failed · since (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d/);
    const older = await core.handleCommand(tenant.admin, 'log --until 2h');
    expect(logLines(older)).toEqual([expect.stringMatching(/^1\. \*1099\* /)]);

    const bySystem = await core.handleCommand(tenant.admin, 'log --system economic --entity stock');
    expect(allText(bySystem)).toContain('from or to e-conomic');
    expect(logLines(bySystem)).toEqual([expect.stringMatching(/^1\. `stock-14` /)]);

    const nothing = await core.handleCommand(tenant.admin, 'log held --entity order');
    expect(allText(nothing)).toContain('No transfers match (held · orders).');
    expect(buttons(nothing).map((b) => b.label)).toContain('Show all transfers');
  });

  test("the Home's button opens the failed transfers", async () => {
    const reply = await core.handleAction(tenant.viewer, 'log.page?status=failed&page=1');
    expect(reply.replaceOriginal).toBeUndefined();
    expect(logLines(reply)).toHaveLength(6);
    expect(allText(reply)).toContain('Log — failed transfers');
    // Retrying is for admins: a viewer is not offered it.
    expect(buttons(reply).map((b) => b.label)).not.toContain('Retry these 6');
    expect(
      buttons(await core.handleAction(tenant.admin, 'log.page?status=failed&page=1')).map((b) => b.label),
    ).toContain('Retry these 6');
  });

  test('a bad filter gets a clear error with the usage', async () => {
    const since = allText(await core.handleCommand(tenant.admin, 'log --since yesterday'));
    expect(since).toContain('--since: "yesterday" is not a time; use 30m, 2h, 3d');
    expect(since).toContain('Usage: /iex log [failed|held|succeeded|started]');
    expect(allText(await core.handleCommand(tenant.admin, 'log --entity invoices'))).toMatch(
      /--entity: must be one of order, product, stock\. Usage: \/iex log/,
    );
    expect(allText(await core.handleCommand(tenant.admin, 'log --bogus 1'))).toMatch(
      /unknown option --bogus\. Usage: \/iex log/,
    );
    expect(allText(await core.handleCommand(tenant.admin, 'log --system sap'))).toBe(
      'There is no system "sap" in this integration. Its systems: `e-conomic`, `Shopify`.',
    );
    expect(allText(await core.handleCommand(tenant.admin, 'log --since 1h --until 2h'))).toContain(
      '--since must be before --until',
    );
  });

  test('one transfer: every stage in order, the error, both payloads with their formats, and all of the data on request', async () => {
    const detail = await click(tenant.admin, await core.handleCommand(tenant.admin, 'log failed'), '1. #1003');
    const shown = allText(detail);
    expect(shown).toContain('Transfer #1003');
    expect(shown).toContain('Status: ❌ failed');
    expect(shown).toContain('Attempts: 1');
    expect(shown).toContain(
      '*Error* `economic.vat_zone_unknown`: Unknown VAT zone for country DE: add it in e-conomic',
    );
    const [stages, original, received] = codeBlocks(detail);
    expect(stages!.split('\n')).toEqual([
      expect.stringMatching(/^(?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d:\d\d · received · started$/),
      expect.stringMatching(/^(?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d:\d\d · mapped to e-conomic · succeeded$/),
      expect.stringMatching(
        /^(?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d:\d\d · posted to e-conomic · failed — economic\.vat_zone_unknown: Unknown VAT zone/,
      ),
    ]);
    expect(shown).toContain('*Original data* — shopify, format `shopify.orders/create`');
    expect(shown).toContain('*In the receiving system’s format* — e-conomic, format `economic.invoice`');
    expect(original!.length).toBeLessThan(1600);
    expect(original!.endsWith('…')).toBe(true);
    expect(received).toBe(
      JSON.stringify({ currency: 'DKK', customer: { customerNumber: 1 }, lines: [{ sku: 'SKU-1' }] }, null, 2),
    );
    expect(buttons(detail).map((b) => b.label)).toEqual(['Retry', 'Show all original data', 'Back to the log']);

    const all = await click(tenant.admin, detail, 'Show all original data');
    expect(codeBlocks(all).join('')).toBe(JSON.stringify(bigOrder(40), null, 2));
    expect(allText(all)).toMatch(/All [\d,]+ characters, in \d+ parts\./);

    // A huge payload is cut, and the reply says where.
    const huge = await click(
      tenant.admin,
      await core.handleCommand(tenant.admin, 'log ord-12'),
      'Show all original data',
    );
    expect(codeBlocks(huge)).toHaveLength(10);
    expect(allText(huge)).toMatch(/Cut after character [\d,]+ of [\d,]+: chat shows at most 10 parts/);

    const asViewer = await core.handleCommand(tenant.viewer, 'log ord-3');
    expect(buttons(asViewer).map((b) => b.label)).not.toContain('Retry');
    expect(allText(asViewer)).toContain('An admin can retry this transfer.');
  });
});

// ------------------------------------------------------------------ retries

describe('/iex retry', () => {
  test('by filter: asks with the count, then sends exactly that many retry commands, audited, and reports the results', async () => {
    const { tenantId, admin } = await tenantWithLog();
    const ask = await core.handleCommand(admin, 'retry failed --since 1h --entity order');
    expect(allText(ask)).toMatch(
      /\*Retry 4 failed order transfers of Shopify > e-conomic since (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d\?\*/,
    );
    expect(buttons(ask).map((b) => b.label)).toEqual(['Retry 4', 'Cancel', 'Show them']);

    const done = await click(admin, ask, 'Retry 4');
    expect(done.replaceOriginal).toBe(true);
    expect(allText(done)).toMatch(
      /Queued 4 retries \(failed · orders · since (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d · until (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d\)\./,
    );
    const { values } = decodeAction(buttonLabelled(done, 'Check results').action!);

    const commands = await commandsOf(tenantId, 5);
    const retries = commands.filter((command) => command.type === 'transfer.retry');
    expect(retries).toHaveLength(4);
    expect(retries.map((command) => command.type === 'transfer.retry' && command.transferId).sort()).toEqual([
      'ord-12',
      'ord-3',
      'ord-6',
      'ord-9',
    ]);
    for (const command of retries) {
      expect(command).toMatchObject({
        reason: 'retry',
        connectionId: 'orders',
        actor: { platform: 'slack', userId: 'UADMIN1' },
      });
      expect(command.id).toMatch(new RegExp(`^retry:${values.b}:`));
    }
    expect(commands.filter((command) => command.type === 'settings.changed')).toEqual([
      expect.objectContaining({
        action: 'transfers.retry',
        details: expect.objectContaining({ count: 4, batch: values.b }),
      }),
    ]);
    const audit = await store.models.AuditEntry.find({ tenantId, action: 'transfers.retry' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: { platform: 'slack', userId: 'UADMIN1' },
      details: { count: 4, by: 'uadmin1' },
    });
    expect(((audit[0]!.details as { transferIds: string[] }).transferIds ?? []).sort()).toEqual([
      'ord-12',
      'ord-3',
      'ord-6',
      'ord-9',
    ]);

    // The engine reports back as ordinary transfers: one succeeds, one fails again, two wait.
    const later = new Date(Date.now() + 1000);
    await store.models.Transfer.updateOne(
      { tenantId, transferId: 'ord-3' },
      { $set: { status: 'succeeded', attempts: 2, updatedAt: later }, $unset: { error: 1 } },
      { timestamps: false },
    );
    await store.models.Transfer.updateOne(
      { tenantId, transferId: 'ord-6' },
      { $set: { attempts: 2, updatedAt: later } },
      { timestamps: false },
    );
    const results = await click(admin, done, 'Check results');
    expect(allText(results)).toContain('Retry of 4 transfers');
    expect(allText(results)).toContain('✅ Succeeded: 1');
    expect(allText(results)).toContain('❌ Failed again: 1: `economic.vat_zone_unknown` 1');
    expect(allText(results)).toContain('Waiting for the engine: 2');
    expect(buttons(results).map((b) => b.label)).toEqual(['Check again', 'Open the failures']);
  });

  test('the Home\'s "retry failed (last 24 h)" asks first, with the count', async () => {
    const { admin } = await tenantWithLog();
    const ask = await core.handleAction(admin, 'retry.ask?status=failed&hours=24');
    expect(allText(ask)).toMatch(/\*Retry 6 failed transfers of 2 connections since .+\?\*/);
    // The stock update's error is not the point here: its connection runs, so it is retried too.
    expect(allText(ask)).not.toContain('cannot run now');
  });

  test('one transfer: a failed one is retried, a held one released, a succeeded one refused with the reason', async () => {
    const { tenantId, admin } = await tenantWithLog();
    expect(allText(await core.handleCommand(admin, 'retry #1003'))).toBe(
      'Retrying #1003 (Shopify > e-conomic): the engine runs it again.\nIts outcome arrives as an ordinary transfer event: the log and "Check result" show it.\nCheck result | Details',
    );
    const detail = await core.handleCommand(admin, 'log prod-13');
    const released = await click(admin, detail, 'Release (retry)');
    expect(allText(released)).toContain('Released SOCKS (Shopify > e-conomic)');

    const commands = (await commandsOf(tenantId, 4)).filter((command) => command.type === 'transfer.retry');
    expect(commands).toEqual([
      expect.objectContaining({ transferId: 'ord-3', reason: 'retry' }),
      expect.objectContaining({ transferId: 'prod-13', reason: 'release', connectionId: 'products' }),
    ]);

    expect(allText(await core.handleCommand(admin, 'retry ord-1'))).toMatch(
      /^#1001 succeeded at (?:\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d; retrying it would transfer it twice\./,
    );
    expect(allText(await core.handleCommand(admin, 'retry succeeded'))).toContain('Succeeded transfers are done');
    expect(allText(await core.handleCommand(admin, 'retry'))).toContain('say what to retry');
  });

  test('a transfer whose connection is off is not retried: switching it on releases it', async () => {
    const { tenantId, admin } = await tenantWithLog();
    await store.models.DataConnection.updateOne({ tenantId, connectionId: 'products' }, { active: false });
    expect(allText(await core.handleCommand(admin, 'retry prod-13'))).toBe(
      'SOCKS cannot run now: The connection Shopify > e-conomic is deactivated (Connections). Switch that back on first; that releases what it held.',
    );
    const ask = await core.handleCommand(admin, 'retry held');
    expect(allText(ask)).toContain('1 held transfer of Shopify > e-conomic matches, but none can run now');
  });

  test('a viewer cannot retry', async () => {
    const { tenantId, viewer } = await tenantWithLog();
    const refused = 'Only admins can do this; you are a viewer.';
    expect(allText(await core.handleCommand(viewer, 'retry ord-3'))).toBe(refused);
    expect(allText(await core.handleAction(viewer, 'retry.ask?status=failed&hours=24'))).toBe(refused);
    const { values } = decodeAction(
      buttonLabelled(await core.handleAction(viewer, 'log.page?status=failed'), '1. #1003').action!,
    );
    expect(
      allText(
        await core.handleAction(viewer, `retry.one?id=${values.id}&at=${Math.floor(Date.now() / 1000).toString(36)}`),
      ),
    ).toBe(refused);
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(0);
  });

  test("another tenant's transfers are not found", async () => {
    const mine = await tenantWithLog();
    const theirs = await tenantWithLog();
    await storeTransfers(store.models, [
      {
        tenantId: theirs.tenantId,
        transferId: 'theirs-1',
        reference: '#7777',
        connectionId: 'orders',
        entity: 'order',
        operation: 'create',
        status: 'failed',
        error: VAT,
      },
    ]);

    expect(allText(await core.handleCommand(mine.admin, 'log theirs-1'))).toMatch(
      /^No transfer has the id or order number "theirs-1"\. Only the latest transfers are kept/,
    );
    expect(allText(await core.handleCommand(mine.admin, 'log #7777'))).toMatch(
      /^No transfer has the id or order number "7777"/,
    );
    expect(allText(await core.handleCommand(mine.admin, 'retry theirs-1'))).toMatch(
      /^No transfer has the id or order number "theirs-1"/,
    );
    expect(allText(await core.handleAction(mine.admin, 'log.show?id=theirs-1'))).toContain(
      'That transfer is no longer kept',
    );
    expect(allText(await core.handleAction(mine.admin, 'log.payload?id=theirs-1&side=source'))).toContain(
      'no longer kept',
    );
    expect(allText(await core.handleAction(mine.admin, 'retry.one?id=theirs-1&at=t5ghoc'))).toContain('no longer kept');
    // Their transfers never count in our log or our retries.
    expect(allText(await core.handleCommand(mine.admin, 'log failed'))).toContain('6 transfers');
    expect(allText(await core.handleCommand(mine.admin, 'retry failed --code economic.vat_zone_unknown'))).toContain(
      'Retry 5 failed transfers of Shopify > e-conomic',
    );
  });
});
