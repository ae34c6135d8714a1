import type { CommandCore } from '../../src/commands/core';
import type { Block, Button, Reply } from '../../src/chat/reply';
import type { Config } from '../../src/config/config';
import type { Command } from '../../src/domain/commands';
import type { EventProducer } from '../../src/kafka/producer';
import type { Naming } from '../../src/kafka/topics';
import type { Store } from '../../src/store';
import { readJson, testKafka } from '../support/kafka';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { storeTransfers } from '../support/transfers';

let config: Config;
let store: Store;
let producer: EventProducer;
let naming: Naming;
let core: CommandCore;
let harness: CoreUnderTest;

beforeAll(async () => {
  harness = await startCommandCore('commands-systems-settings');
  ({ config, store, producer, naming, core } = harness);
});

afterAll(() => harness?.stop());

// ------------------------------------------------------------------ helpers

const linkedTenant = () => linkedSlackTenant(store.models);

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

const buttons = (reply: Reply): Button[] =>
  reply.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons : []));
const buttonLabelled = (reply: Reply, label: string): Button => {
  const found = buttons(reply).find((candidate) => candidate.label === label);
  if (!found)
    throw new Error(
      `no button "${label}" in: ${buttons(reply)
        .map((b) => b.label)
        .join(', ')}`,
    );
  return found;
};

/** Commands of one tenant on iex.commands.v1 (waits for `count`). */
const commandsOf = (tenantId: string, count: number) =>
  readJson<Command>(testKafka(), naming.topic('commands'), tenantId, count);

async function heldTransfer(
  tenantId: string,
  transferId: string,
  connectionId: string,
  reason: 'integration_off' | 'module_off' | 'connection_off',
) {
  const entity = ({ orders: 'order', products: 'product', stock: 'stock' } as const)[connectionId as 'orders'];
  await storeTransfers(store.models, [
    {
      tenantId,
      transferId,
      connectionId,
      entity,
      operation: 'create',
      status: 'held',
      hold: { reason, message: `held: ${reason}` },
    },
  ]);
}

// ------------------------------------------------------------------ systems

describe('/iex systems', () => {
  test('lists the systems and opens one with its settings, never its secrets, and its latest transfers', async () => {
    const { tenantId, viewer } = await linkedTenant();
    const { System } = store.models;
    await System.updateOne(
      { tenantId, systemId: 'e-conomic' },
      {
        $set: {
          settings: { agreementNumber: 123456, vatZone: 'domestic', apiToken: 'tok-visible-nowhere' },
          secrets: { grantToken: 'grant-secret' },
        },
      },
    );
    const base = Date.now() - 60 * 60 * 1000;
    await storeTransfers(
      store.models,
      Array.from({ length: 7 }, (_, index) => ({
        tenantId,
        transferId: `tr-${index}`,
        reference: `#10${index}`,
        connectionId: 'orders',
        entity: 'order' as const,
        operation: 'create' as const,
        status: index === 6 ? ('failed' as const) : ('succeeded' as const),
        ...(index === 6 ? { error: { code: 'vat_zone_unknown', message: 'Unknown VAT zone', retryable: false } } : {}),
        attempts: 1,
        startedAt: new Date(base + index * 60_000),
        updatedAt: new Date(base + index * 60_000),
      })),
    );

    const list = await core.handleCommand(viewer, 'systems');
    expect(list.visibility).toBe('ephemeral');
    const listed = allText(list);
    expect(listed).toContain('*Shopify* · shopify · source (data comes from it) · connected');
    expect(listed).toContain('*e-conomic* · e-conomic · target (data goes to it) · connected');
    // Sources first.
    expect(buttons(list).map((b) => b.action)).toEqual(['systems.open?id=shopify', 'systems.open?id=e-conomic']);

    const detail = await core.handleAction(viewer, 'systems.open?id=e-conomic');
    const shown = allText(detail);
    expect(shown).toContain('`agreementNumber`: 123456');
    expect(shown).toContain('`vatZone`: domestic');
    expect(shown).toContain('`apiToken`: _hidden_');
    expect(shown).not.toContain('tok-visible-nowhere');
    expect(shown).not.toContain('grant-secret');
    // The five newest, newest first; the failure with its reason.
    const references = [...shown.matchAll(/order (#10\d)/g)].map((match) => match[1]);
    expect(references).toEqual(['#106', '#105', '#104', '#103', '#102']);
    expect(shown).toContain('*failed* — vat_zone_unknown: Unknown VAT zone');
    const disconnect = buttonLabelled(detail, 'Disconnect e-conomic');
    expect(disconnect.action).toBe('systems.connect?id=e-conomic&on=0');
    // Only what Shopify sends is held by the service; for e-conomic the engines are told, and watched.
    expect(disconnect.confirm?.text).toBe(
      'The engines are told to stop exchanging data with e-conomic, and its scheduled runs are skipped, until you reconnect it. An engine that keeps transferring from it raises a warning.',
    );
    expect(buttonLabelled(detail, 'Remove e-conomic').confirm?.text).toContain('cannot be undone');
    expect(buttonLabelled(detail, 'Open its log').action).toBe('log.page?system=e-conomic&page=1');

    // By name too, ignoring case; an unknown name lists the known ones.
    expect(allText(await core.handleCommand(viewer, 'systems SHOPIFY'))).toContain('Role: source (data comes from it)');
    const unknown = await core.handleCommand(viewer, 'systems dinero');
    expect(unknown.fallback).toBe(
      'There is no system "dinero". The systems are: Shopify (`shopify`), e-conomic (`e-conomic`).',
    );
  });

  test('a viewer cannot disconnect, remove or edit a system, and nothing changes', async () => {
    const { tenantId, viewer } = await linkedTenant();
    const { System, AuditEntry } = store.models;
    await System.updateOne({ tenantId, systemId: 'e-conomic' }, { $set: { settings: { vatZone: 'domestic' } } });

    expect((await core.handleAction(viewer, 'systems.connect?id=shopify&on=0')).fallback).toBe(
      'Only admins can do this; you are a viewer.',
    );
    expect((await core.handleAction(viewer, 'systems.remove?id=shopify')).fallback).toBe(
      'Only admins can do this; you are a viewer.',
    );
    expect((await core.handleCommand(viewer, 'systems e-conomic --set vatZone=eu')).fallback).toBe(
      "Only admins can change a system's settings; you are a viewer.",
    );

    const systems = await System.find({ tenantId }).sort({ systemId: 1 }).lean();
    expect(systems.map((system) => [system.systemId, system.connected, system.settings])).toEqual([
      ['e-conomic', true, { vatZone: 'domestic' }],
      ['shopify', true, undefined],
    ]);
    expect(await AuditEntry.countDocuments({ tenantId })).toBe(0);
  });

  test('disconnecting holds, reconnecting sends the held transfers again; both recorded and announced', async () => {
    const { tenantId, admin } = await linkedTenant();
    const { System, AuditEntry } = store.models;

    const off = await core.handleAction(admin, 'systems.connect?id=shopify&on=0');
    expect(off.visibility).toBe('in_channel');
    expect(off.fallback).toBe(
      '<@UADMIN1> disconnected *Shopify*: the engines are told to leave it alone until it is reconnected, and what Shopify sends meanwhile is held.',
    );
    expect(buttonLabelled(off, 'Reconnect Shopify').action).toBe('systems.connect?id=shopify&on=1');
    expect((await System.findOne({ tenantId, systemId: 'shopify' }).lean())?.connected).toBe(false);
    expect((await core.handleAction(admin, 'systems.connect?id=shopify&on=0')).fallback).toBe(
      'Shopify is already disconnected.',
    );

    await heldTransfer(tenantId, 'held-while-disconnected', 'orders', 'connection_off');
    const on = await core.handleAction(admin, 'systems.connect?id=shopify&on=1');
    expect(on.fallback).toBe('<@UADMIN1> reconnected *Shopify*. 1 held transfer was sent again.');
    expect((await System.findOne({ tenantId, systemId: 'shopify' }).lean())?.connected).toBe(true);

    const audit = await AuditEntry.find({ tenantId }).sort({ at: 1 }).lean();
    expect(audit.map((entry) => [entry.action, entry.target, entry.actor?.userId])).toEqual([
      ['system.disconnect', 'shopify', 'UADMIN1'],
      ['system.connect', 'shopify', 'UADMIN1'],
    ]);
    const commands = await commandsOf(tenantId, 3);
    expect(
      commands.map((command) =>
        command.type === 'settings.changed'
          ? command.action
          : `${command.type}:${'transferId' in command ? command.transferId : ''}`,
      ),
    ).toEqual(['system.disconnect', 'system.connect', 'transfer.retry:held-while-disconnected']);
  });

  test('remove is refused while active connections use the system, then removes it for good', async () => {
    const { tenantId, admin } = await linkedTenant();
    const { System, DataConnection, AuditEntry } = store.models;

    const refused = await core.handleAction(admin, 'systems.remove?id=e-conomic');
    expect(refused.visibility).toBe('ephemeral');
    expect(refused.fallback).toContain('*e-conomic* is still used by 3 active connections. Switch them off first');
    expect(buttons(refused).map((b) => b.action)).toEqual([
      'connection.toggle?id=orders&on=0',
      'connection.toggle?id=products&on=0',
      'connection.toggle?id=stock&on=0',
    ]);
    expect(buttons(refused).every((b) => b.confirm)).toBe(true);
    expect(await System.exists({ tenantId, systemId: 'e-conomic' })).toBeTruthy();

    // The offered buttons switch the connections off; then the system can go.
    for (const button of buttons(refused)) await core.handleAction(admin, button.action!);
    const removed = await core.handleAction(admin, 'systems.remove?id=e-conomic');
    expect(removed.visibility).toBe('in_channel');
    expect(removed.fallback).toBe(
      '<@UADMIN1> removed *e-conomic* (e-conomic) with its settings and credentials. Its connections stay, switched off, with their log.',
    );
    expect(await System.exists({ tenantId, systemId: 'e-conomic' })).toBeNull();
    expect(await DataConnection.countDocuments({ tenantId, active: false })).toBe(3);
    // A second click finds nothing to remove, and is not recorded twice.
    expect((await core.handleAction(admin, 'systems.remove?id=e-conomic')).fallback).toBe(
      'That system no longer exists. Run `/iex systems` again.',
    );
    const removals = await AuditEntry.find({ tenantId, action: 'system.remove' }).lean();
    expect(removals).toHaveLength(1);
    expect(removals[0]?.details).toMatchObject({
      name: 'e-conomic',
      kind: 'e-conomic',
      role: 'target',
      connections: ['orders', 'products', 'stock'],
    });
  });

  test('an admin changes a setting, keeping its type; secrets and unknown keys are refused', async () => {
    const { tenantId, admin } = await linkedTenant();
    const { System, AuditEntry } = store.models;
    await System.updateOne(
      { tenantId, systemId: 'e-conomic' },
      { $set: { settings: { agreementNumber: 123456, vatZone: 'domestic' } } },
    );

    const changed = await core.handleCommand(admin, 'systems e-conomic --set agreementNumber=654321');
    expect(changed.visibility).toBe('in_channel');
    expect(changed.fallback).toBe('<@UADMIN1> set `agreementNumber` of *e-conomic* to `654321` (was `123456`).');
    expect((await System.findOne({ tenantId, systemId: 'e-conomic' }).lean())?.settings).toEqual({
      agreementNumber: 654321,
      vatZone: 'domestic',
    });
    expect(await AuditEntry.findOne({ tenantId, action: 'system.setting' }).lean()).toMatchObject({
      target: 'e-conomic',
      details: { key: 'agreementNumber', from: 123456, to: 654321 },
    });

    expect((await core.handleCommand(admin, 'systems e-conomic --set agreementNumber=abc')).fallback).toBe(
      '`agreementNumber` is a number; `abc` is not.',
    );
    expect((await core.handleCommand(admin, 'systems e-conomic --set apiKey=xyz')).fallback).toContain(
      'looks like a secret',
    );
    expect((await core.handleCommand(admin, 'systems e-conomic --set layout=19')).fallback).toBe(
      'e-conomic has no setting `layout`. Its settings: `agreementNumber`, `vatZone`.',
    );
    expect(await AuditEntry.countDocuments({ tenantId })).toBe(1);
  });
});

// ------------------------------------------------------------------ jobs

describe('/iex jobs', () => {
  test('shows each scheduled run with its last and next run, flags a missed one, lists webhooks as event-driven', async () => {
    const { tenantId, viewer } = await linkedTenant();
    const { DataConnection, Job } = store.models;
    await DataConnection.updateOne(
      { tenantId, connectionId: 'products' },
      { $set: { mode: 'schedule', cron: '*/15 * * * *', timezone: 'Europe/Copenhagen' } },
    );
    await DataConnection.updateOne(
      { tenantId, connectionId: 'stock' },
      { $set: { mode: 'schedule', cron: '0 * * * *', timezone: 'UTC' } },
    );
    const now = Date.now();
    await Job.create([
      // No nextRunAt stored: worked out from the schedule.
      {
        tenantId,
        jobId: 'products-sync',
        connectionId: 'products',
        cron: '*/15 * * * *',
        timezone: 'Europe/Copenhagen',
        lastRunAt: new Date(now - 5 * 60_000),
        lastStatus: 'succeeded',
      },
      // Due three hours ago and not run since.
      {
        tenantId,
        jobId: 'stock-sync',
        connectionId: 'stock',
        cron: '0 * * * *',
        timezone: 'UTC',
        lastRunAt: new Date(now - 4 * 3600_000),
        lastStatus: 'failed',
        nextRunAt: new Date(now - 3 * 3600_000),
      },
    ]);

    const jobs = await core.handleCommand(viewer, 'jobs');
    const shown = allText(jobs);
    expect(shown).toContain('*Shopify > e-conomic* · product · every 15 minutes (Europe/Copenhagen)');
    expect(shown).toMatch(/Last run: [^\n]*, succeeded · Next run: (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}:\d{2}/);
    expect(shown).toContain('*Shopify > e-conomic* · stock · every hour, on the hour (UTC)');
    expect(shown).toMatch(/Last run: [^\n]*, \*failed\* · Next run:/);
    expect(shown).toContain('*1 job missed its run.*');
    expect(shown).toMatch(/⚠ \*Missed its run due [^\n]*\d{2}:\d{2}\.\*/);
    expect(shown).toContain('• Shopify > e-conomic · order · event-driven, no schedule');
    // The plain-text fallback (what a notification shows) in each job's zone, as the blocks: no UTC ISO stamp.
    expect(jobs.fallback).toMatch(/stock: MISSED, next (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}:\d{2} \(UTC\)/);
    expect(jobs.fallback).toMatch(/product: next (?:\d{1,2} [A-Z][a-z]{2} )?\d{2}:\d{2} \(Europe\/Copenhagen\)/);
    expect(jobs.fallback).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(jobs.fallback).not.toMatch(/product: MISSED/);
  });

  test('a job paused by a switched-off module is not flagged as missed', async () => {
    const { tenantId, viewer } = await linkedTenant();
    const { DataConnection, Job, Tenant } = store.models;
    await DataConnection.updateOne(
      { tenantId, connectionId: 'stock' },
      { $set: { mode: 'schedule', cron: '0 * * * *' } },
    );
    await Job.create({
      tenantId,
      jobId: 'stock-sync',
      connectionId: 'stock',
      cron: '0 * * * *',
      nextRunAt: new Date(Date.now() - 3 * 3600_000),
    });
    await Tenant.updateOne({ tenantId }, { $set: { 'modules.stock': false } });

    const shown = allText(await core.handleCommand(viewer, 'jobs'));
    expect(shown).toContain('Next run: paused');
    expect(shown).toContain('_Paused: The stock module is deactivated (Settings)._');
    expect(shown).not.toContain('Missed');
  });
});

// ------------------------------------------------------------------ settings

describe('/iex settings', () => {
  test('shows the integration, modules and members, with buttons', async () => {
    const { viewer } = await linkedTenant();
    const view = await core.handleCommand(viewer, 'settings');
    const shown = allText(view);
    expect(shown).toContain('*Integration:* active');
    expect(shown).toContain('*Modules:* orders on · products on · stock on');
    expect(shown).toContain('• <@UOWNER1> — owner\n• <@UADMIN1> — admin\n• <@UVIEWER1> — viewer');
    const deactivate = buttonLabelled(view, 'Deactivate the integration');
    expect(deactivate.action).toBe('settings.integration?on=0');
    // It says what is true: the engines are told (and watched); only what Shopify sends is held here.
    expect(deactivate.confirm?.text).toBe(
      'The engines are told to stop transferring, and scheduled runs are skipped, until you activate it again. What Shopify sends meanwhile is held — kept, not lost — and sent then. An engine that keeps transferring raises a warning.',
    );
    expect(buttonLabelled(view, 'Switch orders off').action).toBe('settings.module?module=orders&on=0');
    expect(shown).toContain('*Language:* English');
  });

  test('a viewer is refused a change with the reason, and nothing changes', async () => {
    const { tenantId, viewer } = await linkedTenant();
    const refused = await core.handleAction(viewer, 'settings.module?module=orders&on=0');
    expect(refused.visibility).toBe('ephemeral');
    expect(refused.fallback).toBe('Only admins can do this; you are a viewer.');
    expect((await core.handleAction(viewer, 'settings.integration?on=0')).fallback).toBe(
      'Only admins can do this; you are a viewer.',
    );
    const tenant = await store.models.Tenant.findOne({ tenantId }).lean();
    expect([tenant?.active, tenant?.modules?.orders]).toEqual([true, true]);
    expect(await store.models.AuditEntry.countDocuments({ tenantId })).toBe(0);
  });

  test("an admin's module switch changes the store, is audited and announced; switching back on releases what it held", async () => {
    const { tenantId, admin } = await linkedTenant();
    const { Tenant, AuditEntry } = store.models;

    const off = await core.handleAction(admin, 'settings.module?module=orders&on=0');
    expect(off.visibility).toBe('in_channel');
    expect(off.fallback).toBe(
      '<@UADMIN1> switched the orders module off: the engines are told to stop transferring orders, and what Shopify sends of them is held until it is back on.',
    );
    expect((await Tenant.findOne({ tenantId }).lean())?.modules?.orders).toBe(false);
    expect(await AuditEntry.findOne({ tenantId }).lean()).toMatchObject({
      action: 'module.deactivate',
      target: 'orders',
      actor: { platform: 'slack', userId: 'UADMIN1' },
    });

    await heldTransfer(tenantId, 'held-order-1', 'orders', 'module_off');
    // A product held by its own switch stays held: only what nothing holds any more is released.
    await store.models.DataConnection.updateOne({ tenantId, connectionId: 'products' }, { $set: { active: false } });
    await heldTransfer(tenantId, 'held-product-1', 'products', 'module_off');

    const on = await core.handleAction(admin, 'settings.module?module=orders&on=1');
    expect(on.fallback).toBe('<@UADMIN1> switched the orders module on. 1 held transfer was sent again.');
    expect((await Tenant.findOne({ tenantId }).lean())?.modules?.orders).toBe(true);

    const commands = await commandsOf(tenantId, 3);
    expect(commands[0]).toMatchObject({
      type: 'settings.changed',
      action: 'module.deactivate',
      target: 'orders',
      actor: { platform: 'slack', userId: 'UADMIN1' },
    });
    expect(commands[1]).toMatchObject({ type: 'settings.changed', action: 'module.activate', target: 'orders' });
    expect(commands[2]).toMatchObject({
      type: 'transfer.retry',
      transferId: 'held-order-1',
      connectionId: 'orders',
      reason: 'release',
    });
  });

  test('the Home button activates the integration and releases what it held; deactivating asks first', async () => {
    const { tenantId, admin } = await linkedTenant();
    const { Tenant } = store.models;

    const off = await core.handleAction(admin, 'settings.integration?on=0');
    expect(off.fallback).toBe(
      '<@UADMIN1> deactivated the integration: the engines are told to transfer nothing until it is activated again, and what Shopify sends meanwhile is held.',
    );
    expect((await Tenant.findOne({ tenantId }).lean())?.active).toBe(false);
    await heldTransfer(tenantId, 'held-int-1', 'orders', 'integration_off');
    await heldTransfer(tenantId, 'held-int-2', 'stock', 'integration_off');

    const settings = allText(await core.handleCommand(admin, 'settings'));
    expect(settings).toContain(
      '*Integration: deactivated* — the engines are told to transfer nothing. 2 transfers are held until it is active again.',
    );

    // The same action id the Home view's "Activate the integration" button carries.
    const on = await core.handleAction(admin, 'settings.integration?on=1');
    expect(on.visibility).toBe('in_channel');
    expect(on.fallback).toBe('<@UADMIN1> activated the integration. 2 held transfers were sent again.');
    expect((await Tenant.findOne({ tenantId }).lean())?.active).toBe(true);
    const retries = (await commandsOf(tenantId, 4)).filter((command) => command.type === 'transfer.retry');
    expect(retries.map((command) => command.type === 'transfer.retry' && command.transferId).sort()).toEqual([
      'held-int-1',
      'held-int-2',
    ]);
    expect((await core.handleAction(admin, 'settings.integration?on=1')).fallback).toBe(
      'The integration is already active.',
    );
  });

  test('the owner invites and removes members; an admin cannot; the last owner stays', async () => {
    const { tenantId, owner, admin } = await linkedTenant();
    const { Member, AuditEntry } = store.models;

    const invited = await core.handleCommand(owner, 'settings invite <@UNEW123|new.person> admin');
    expect(invited.visibility).toBe('in_channel');
    expect(invited.fallback).toBe('<@UOWNER1> invited <@UNEW123> as an admin: they can change settings.');
    expect(await Member.findOne({ tenantId, platformUserId: 'UNEW123' }).lean()).toMatchObject({
      platform: 'slack',
      role: 'admin',
    });
    // The new admin may now change things.
    expect(
      (await core.handleAction({ ...owner, userId: 'UNEW123' }, 'settings.module?module=stock&on=0')).visibility,
    ).toBe('in_channel');

    const demoted = await core.handleCommand(owner, 'settings invite UNEW123 viewer');
    expect(demoted.fallback).toBe('<@UOWNER1> made <@UNEW123> a viewer: they can read everything (was admin).');

    const refused = await core.handleCommand(admin, 'settings invite <@UOTHER99> admin');
    expect(refused.fallback).toBe('Only the owner can invite members; you are an admin.');
    expect(await Member.exists({ tenantId, platformUserId: 'UOTHER99' })).toBeNull();

    expect((await core.handleCommand(owner, 'settings invite @someone admin')).fallback).toContain(
      'Mention the person',
    );
    expect((await core.handleCommand(owner, 'settings invite <@UOTHER99> owner')).fallback).toContain(
      'Give the role: admin',
    );

    expect((await core.handleCommand(owner, 'settings remove <@UOWNER1>')).fallback).toContain('is the only owner');
    expect(await Member.exists({ tenantId, platformUserId: 'UOWNER1' })).toBeTruthy();

    const removed = await core.handleCommand(owner, 'settings remove <@UNEW123>');
    expect(removed.fallback).toBe(
      '<@UOWNER1> removed <@UNEW123> from the members. They can still read, as everyone here can.',
    );
    expect(await Member.exists({ tenantId, platformUserId: 'UNEW123' })).toBeNull();

    const audit = await AuditEntry.find({ tenantId, action: /^member\./ })
      .sort({ at: 1 })
      .lean();
    expect(audit.map((entry) => [entry.action, entry.target])).toEqual([
      ['member.invite', 'slack:UNEW123'],
      ['member.role', 'slack:UNEW123'],
      ['member.remove', 'slack:UNEW123'],
    ]);
  });
});

// ------------------------------------------------------------------ tenancy

test('a workspace bound to another tenant sees only its own systems, transfers and members', async () => {
  const a = await linkedTenant();
  const b = await linkedTenant();
  const { System } = store.models;
  await System.updateOne({ tenantId: b.tenantId, systemId: 'e-conomic' }, { $set: { name: 'Dinero', kind: 'dinero' } });
  await storeTransfers(store.models, [
    {
      tenantId: a.tenantId,
      transferId: 'a-only',
      reference: '#A-1',
      connectionId: 'orders',
      entity: 'order',
      operation: 'create',
      status: 'succeeded',
    },
  ]);
  await store.models.Member.create({
    tenantId: a.tenantId,
    platform: 'slack',
    platformUserId: 'UAONLY1',
    role: 'viewer',
  });

  const listB = allText(await core.handleCommand(b.viewer, 'systems'));
  expect(listB).toContain('*Dinero*');
  expect(listB).not.toContain('*e-conomic*');
  const listA = allText(await core.handleCommand(a.viewer, 'systems'));
  expect(listA).toContain('*e-conomic*');
  expect(listA).not.toContain('Dinero');

  expect(allText(await core.handleCommand(a.viewer, 'systems shopify'))).toContain('#A-1');
  expect(allText(await core.handleCommand(b.viewer, 'systems shopify'))).not.toContain('#A-1');
  expect((await core.handleCommand(a.viewer, 'systems dinero')).fallback).toContain('There is no system "dinero"');
  expect(allText(await core.handleCommand(b.viewer, 'settings'))).not.toContain('UAONLY1');

  // B's admin switching a module touches only B.
  await core.handleAction(b.admin, 'settings.module?module=orders&on=0');
  expect((await store.models.Tenant.findOne({ tenantId: a.tenantId }).lean())?.modules?.orders).toBe(true);
  expect((await store.models.Tenant.findOne({ tenantId: b.tenantId }).lean())?.modules?.orders).toBe(false);
});
