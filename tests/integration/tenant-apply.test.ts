import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { parse } from 'yaml';
import { renderText } from '../../src/chat/render-text';
import type { Command } from '../../src/domain/commands';
import { periodStartsAt } from '../../src/domain/period-bounds';
import { dayAndPeriod } from '../../src/domain/periods';
import { parseTenantSpec, type TenantSpec } from '../../src/domain/tenant-spec';
import { applyTenantSpec, type ApplyDeps } from '../../src/services/tenants/apply';
import { withTenantClaim } from '../../src/services/tenants/claim';
import { TenantBusy, TenantSpecRefused, type ApplyResult } from '../../src/services/tenants/contract';
import { listTenants, readTenantSpec } from '../../src/services/tenants/show';
import { startCommandCore, type CoreUnderTest } from '../support/command-core';
import { testKafka } from '../support/kafka';
import { captureLogger } from '../support/test-env';
import { readToEnd } from '../support/topic-end';

const operator = { platform: 'console', userId: 'ops-karen' };
const env = {
  ACME_SHOPIFY_WEBHOOK_SECRET: 'shopify-hook-secret-1',
  ACME_ECONOMIC_GRANT_TOKEN: 'economic-grant-token-1',
};

let under: CoreUnderTest;
let kafka: Kafka;
let deps: ApplyDeps;

beforeAll(async () => {
  under = await startCommandCore('tenant-apply-test');
  kafka = testKafka();
  deps = { models: under.store.models, producer: under.producer, logger: captureLogger().logger, env };
});

afterAll(async () => {
  await under?.stop();
});

/** examples/tenant.yaml under another id, so each test has a tenant of its own. */
function exampleSpec(id: string, change: (spec: TenantSpec) => TenantSpec = (spec) => spec): TenantSpec {
  const parsed = parseTenantSpec(parse(readFileSync(join(__dirname, '../../examples/tenant.yaml'), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  // The example gives its secrets inline so it applies as it is; these tests read them from the
  // environment, as a committed spec would.
  const fromEnv: Record<string, Record<string, { env: string }>> = {
    shopify: { webhookSecret: { env: 'ACME_SHOPIFY_WEBHOOK_SECRET' } },
    'e-conomic': { grantToken: { env: 'ACME_ECONOMIC_GRANT_TOKEN' } },
  };
  const systems = parsed.spec.systems.map((system) => ({ ...system, secrets: fromEnv[system.id] ?? system.secrets }));
  return change({ ...parsed.spec, id, systems });
}

const apply = (spec: TenantSpec, options: { dryRun?: boolean; env?: NodeJS.ProcessEnv } = {}) =>
  applyTenantSpec({ ...deps, env: options.env ?? env }, spec, { actor: operator, dryRun: options.dryRun });

async function commandsOf(tenantId: string): Promise<Command[]> {
  const messages = await readToEnd(kafka, under.naming.topic('commands'));
  return messages
    .map((message) => JSON.parse(message.value!.toString()) as Command)
    .filter((command) => command.tenantId === tenantId);
}

const auditOf = (tenantId: string) => under.store.models.AuditEntry.find({ tenantId }).lean();

/** Everything apply may write for a tenant, secrets included, to tell "nothing changed" exactly. */
async function snapshot(tenantId: string) {
  const { models } = under.store;
  const strip = <T extends object>(docs: T[]) =>
    docs.map((doc) => Object.fromEntries(Object.entries(doc).filter(([key]) => key !== '_id' && key !== '__v')));
  return {
    tenant: strip(await models.Tenant.find({ tenantId }).select('+webhookSecret').lean()),
    subscription: strip(await models.Subscription.find({ tenantId }).lean()),
    systems: strip(await models.System.find({ tenantId }).select('+secrets').sort({ systemId: 1 }).lean()),
    connections: strip(await models.DataConnection.find({ tenantId }).sort({ connectionId: 1 }).lean()),
    rules: strip(await models.NotificationRule.find({ tenantId }).sort({ trigger: 1 }).lean()),
    jobs: strip(await models.Job.find({ tenantId }).sort({ jobId: 1 }).lean()),
    audit: (await auditOf(tenantId)).length,
  };
}

async function refusal(work: Promise<unknown>): Promise<TenantSpecRefused> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TenantSpecRefused);
  return error as TenantSpecRefused;
}

test('the example creates acme: its systems, three connections with their jobs, plan, rules; announced and audited; a second apply changes nothing', async () => {
  const { models } = under.store;
  const result = await apply(exampleSpec('acme'));
  expect(result).toMatchObject({ tenantId: 'acme', created: true, applied: true });
  expect(result.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
  expect(result.changes).toEqual(
    expect.arrayContaining([
      { path: 'systems[shopify]', change: 'added' },
      { path: 'systems[e-conomic]', change: 'added' },
      { path: 'connections[shopify-economic-orders]', change: 'added' },
      { path: 'connections[shopify-economic-products]', change: 'added' },
      { path: 'connections[economic-shopify-stock]', change: 'added' },
    ]),
  );

  const tenant = await models.Tenant.findOne({ tenantId: 'acme' }).select('+webhookSecret').lean();
  expect(tenant).toMatchObject({
    name: 'Acme Webshop ApS',
    language: 'da',
    timezone: 'Europe/Copenhagen',
    active: true,
    owner: { name: 'Karen Jensen', email: 'karen@acme-webshop.dk' },
    webhookSecret: result.webhookSecret,
  });
  const systems = await models.System.find({ tenantId: 'acme' }).select('+secrets').sort({ systemId: 1 }).lean();
  expect(
    systems.map(({ systemId, kind, role, settings, secrets }) => ({ systemId, kind, role, settings, secrets })),
  ).toEqual([
    {
      systemId: 'e-conomic',
      kind: 'e-conomic',
      role: 'target',
      settings: { agreementNumber: 654321 },
      secrets: { grantToken: 'economic-grant-token-1' },
    },
    {
      systemId: 'shopify',
      kind: 'shopify',
      role: 'source',
      settings: { shopDomain: 'acme-webshop.myshopify.com', currency: 'DKK' },
      secrets: { webhookSecret: 'shopify-hook-secret-1' },
    },
  ]);
  expect(await models.DataConnection.countDocuments({ tenantId: 'acme' })).toBe(3);
  const jobs = await models.Job.find({ tenantId: 'acme' }).sort({ jobId: 1 }).lean();
  expect(jobs.map(({ jobId, cron, timezone, paused }) => ({ jobId, cron, timezone, paused }))).toEqual([
    { jobId: 'economic-shopify-stock', cron: '0 * * * *', timezone: 'Europe/Copenhagen', paused: false },
    { jobId: 'shopify-economic-products', cron: '*/30 * * * *', timezone: 'Europe/Copenhagen', paused: false },
  ]);
  const subscription = await models.Subscription.findOne({ tenantId: 'acme' }).lean();
  const { period } = dayAndPeriod(new Date(), 'Europe/Copenhagen');
  expect(subscription).toMatchObject({
    plan: 'standard',
    includedOrders: 500,
    periodStart: periodStartsAt(period, 'Europe/Copenhagen'),
    autoTopUp: { enabled: true, packOrders: 100, maxPerPeriod: 5 },
    billing: { company: 'Acme Webshop ApS', vatNumber: 'DK12345678', email: 'billing@acme-webshop.dk' },
  });
  const rules = await models.NotificationRule.find({ tenantId: 'acme' }).sort({ trigger: 1 }).lean();
  expect(rules.map(({ trigger, recipient }) => [trigger, recipient?.kind, recipient?.target])).toEqual([
    ['quota.threshold', 'email', 'ops@acme-webshop.dk'],
    ['transfer.failed', 'email', 'ops@acme-webshop.dk'],
  ]);

  // Audited under the operator, paths only; announced for the engines.
  const audit = await auditOf('acme');
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ action: 'tenant.created', target: 'acme', actor: operator });
  expect(JSON.stringify(audit)).not.toMatch(/shopify-hook-secret|economic-grant-token/);
  const commands = await commandsOf('acme');
  expect(commands).toHaveLength(1);
  expect(commands[0]).toMatchObject({
    type: 'settings.changed',
    action: 'tenant.applied',
    target: 'acme',
    actor: operator,
    details: { created: true, changes: result.changes },
  });
  expect(JSON.stringify(commands)).not.toMatch(/shopify-hook-secret|economic-grant-token/);

  // `/iex jobs` shows the schedules at once, without waiting for the scheduler's reconciliation.
  await models.Binding.create({ platform: 'slack', workspaceId: 'TACME', channelId: '', tenantId: 'acme' });
  await models.Member.create({ tenantId: 'acme', platform: 'slack', platformUserId: 'UKAREN', role: 'owner' });
  const jobsText = renderText(
    await under.core.handleCommand(
      {
        platform: 'slack',
        userId: 'UKAREN',
        workspaceId: 'TACME',
        channelId: 'C1',
        displayName: 'karen',
        locale: 'en-US',
      },
      'jobs',
    ),
  );
  expect(jobsText).toContain('product · every 30 minutes (Europe/Copenhagen)');
  expect(jobsText).toContain('stock · every hour, on the hour (Europe/Copenhagen)');

  const before = await snapshot('acme');
  const again = await apply(exampleSpec('acme'));
  expect(again).toEqual({ tenantId: 'acme', created: false, changes: [], applied: false });
  expect(await snapshot('acme')).toEqual(before);
  expect(await commandsOf('acme')).toHaveLength(1);
});

test('a changed spec changes exactly what differs; a changed Shopify secret stays accepted for 24 hours', async () => {
  const { models } = under.store;
  await apply(exampleSpec('acme-change'));
  const before = await snapshot('acme-change');
  const appliedAt = Date.now();
  const changed = exampleSpec('acme-change', (spec) => ({
    ...spec,
    systems: spec.systems.map((system) =>
      system.id === 'shopify'
        ? { ...system, settings: { ...system.settings, shopDomain: 'acme-new.myshopify.com' } }
        : system,
    ),
    connections: spec.connections.map((connection) =>
      connection.id === 'shopify-economic-products' ? { ...connection, cron: '0 6 * * *' } : connection,
    ),
    notifications: [...spec.notifications, { trigger: 'job.missed', platform: 'slack', channel: 'C0ACME' }],
  }));
  const result = await apply(changed, { env: { ...env, ACME_SHOPIFY_WEBHOOK_SECRET: 'shopify-hook-secret-2' } });

  expect(result).toEqual<ApplyResult>({
    tenantId: 'acme-change',
    created: false,
    applied: true,
    changes: [
      {
        path: 'systems[shopify].settings.shopDomain',
        change: 'changed',
        from: 'acme-webshop.myshopify.com',
        to: 'acme-new.myshopify.com',
      },
      { path: 'systems[shopify].secrets.webhookSecret', change: 'changed', from: '(secret)', to: '(secret)' },
      { path: 'connections[shopify-economic-products].cron', change: 'changed', from: '*/30 * * * *', to: '0 6 * * *' },
      { path: 'notifications[job.missed slack:C0ACME]', change: 'added' },
    ],
  });

  const after = await snapshot('acme-change');
  // Untouched: the tenant, its subscription, the other system, the other connections and rules, the other job.
  expect(after.tenant).toEqual(before.tenant);
  expect(after.subscription).toEqual(before.subscription);
  expect(after.systems[0]).toEqual(before.systems[0]);
  expect(after.connections.filter((c) => c.connectionId !== 'shopify-economic-products')).toEqual(
    before.connections.filter((c) => c.connectionId !== 'shopify-economic-products'),
  );
  expect(after.jobs[0]).toEqual(before.jobs[0]);
  expect(after.rules).toHaveLength(3);
  expect(after.jobs[1]).toMatchObject({ jobId: 'shopify-economic-products', cron: '0 6 * * *' });

  const shopify = await models.System.findOne({ tenantId: 'acme-change', systemId: 'shopify' })
    .select('+secrets')
    .lean();
  expect(shopify?.settings).toEqual({ shopDomain: 'acme-new.myshopify.com', currency: 'DKK' });
  const secrets = shopify?.secrets as { webhookSecret: string; previousWebhookSecret: { secret: string; until: Date } };
  expect(secrets.webhookSecret).toBe('shopify-hook-secret-2');
  expect(secrets.previousWebhookSecret.secret).toBe('shopify-hook-secret-1');
  const until = new Date(secrets.previousWebhookSecret.until).getTime();
  expect(until).toBeGreaterThanOrEqual(appliedAt + 24 * 3600_000);
  expect(until).toBeLessThan(Date.now() + 24 * 3600_000 + 1000);

  const audit = await auditOf('acme-change');
  expect(audit).toHaveLength(2);
  expect(audit.map((entry) => entry.action).sort()).toEqual(['tenant.applied', 'tenant.created']);
  expect(JSON.stringify(audit)).not.toMatch(/shopify-hook-secret/);
  const commands = await commandsOf('acme-change');
  expect(commands).toHaveLength(2);
  expect(commands[1]).toMatchObject({ action: 'tenant.applied', details: { created: false, changes: result.changes } });
  expect(JSON.stringify(commands)).not.toMatch(/shopify-hook-secret/);

  // The same changed spec again: nothing, and the previous secret is left as it was.
  const again = await apply(changed, { env: { ...env, ACME_SHOPIFY_WEBHOOK_SECRET: 'shopify-hook-secret-2' } });
  expect(again.changes).toEqual([]);
  expect(await snapshot('acme-change')).toEqual(after);
});

test('a plan, the owner and a notification rule changed: the subscription moves at once, without an invoice', async () => {
  const { models } = under.store;
  await apply(exampleSpec('acme-plan'));
  const result = await apply(
    exampleSpec('acme-plan', (spec) => ({
      ...spec,
      plan: 'business',
      owner: { name: 'Ole Hansen', email: 'ole@acme-webshop.dk' },
      notifications: spec.notifications.filter((rule) => rule.trigger !== 'quota.threshold'),
    })),
  );
  expect(result.changes).toEqual([
    { path: 'owner.name', change: 'changed', from: 'Karen Jensen', to: 'Ole Hansen' },
    { path: 'owner.email', change: 'changed', from: 'karen@acme-webshop.dk', to: 'ole@acme-webshop.dk' },
    { path: 'owner.phone', change: 'removed', from: '+45 12 34 56 78' },
    { path: 'plan', change: 'changed', from: 'standard', to: 'business' },
    { path: 'notifications[quota.threshold email:ops@acme-webshop.dk]', change: 'removed' },
  ]);
  expect(await models.Subscription.findOne({ tenantId: 'acme-plan' }).lean()).toMatchObject({
    plan: 'business',
    includedOrders: 2000,
  });
  expect(await models.Invoice.countDocuments({ tenantId: 'acme-plan' })).toBe(0);
  const tenant = await models.Tenant.findOne({ tenantId: 'acme-plan' }).lean();
  expect(tenant?.owner).toEqual({ name: 'Ole Hansen', email: 'ole@acme-webshop.dk' });
  const rules = await models.NotificationRule.find({ tenantId: 'acme-plan' }).lean();
  expect(rules.map((rule) => rule.trigger)).toEqual(['transfer.failed']);
});

test('removing a system that a connection still uses is refused by path, and nothing changes', async () => {
  await apply(exampleSpec('acme-remove'));
  const before = await snapshot('acme-remove');
  const withoutEconomic = exampleSpec('acme-remove', (spec) => ({
    ...spec,
    systems: spec.systems.filter((system) => system.id !== 'e-conomic'),
  }));
  const refused = await refusal(apply(withoutEconomic));
  expect(refused.problems).toEqual(
    expect.arrayContaining([
      { path: 'connections[0].to', message: expect.stringContaining('there is no system "e-conomic"') },
      { path: 'connections[2].from', message: expect.stringContaining('there is no system "e-conomic"') },
    ]),
  );
  expect(await snapshot('acme-remove')).toEqual(before);
  expect(await commandsOf('acme-remove')).toHaveLength(1);

  // A system's kind cannot change in place either.
  const renamedKind = exampleSpec('acme-remove', (spec) => ({
    ...spec,
    systems: spec.systems.map((system) =>
      system.id === 'e-conomic' ? { ...system, kind: 'dinero' as const } : system,
    ),
  }));
  expect((await refusal(apply(renamedKind))).problems).toEqual([
    { path: 'systems[1].kind', message: expect.stringContaining('cannot change in place') },
  ]);
  expect(await snapshot('acme-remove')).toEqual(before);

  // Removed together with its connections, it goes, and so do their jobs.
  const shopOnly = exampleSpec('acme-remove', (spec) => ({
    ...spec,
    systems: spec.systems.filter((system) => system.id !== 'e-conomic'),
    connections: [],
  }));
  const result = await apply(shopOnly);
  expect(result.changes.map(({ path, change }) => `${change} ${path}`)).toEqual([
    'removed systems[e-conomic]',
    'removed connections[economic-shopify-stock]',
    'removed connections[shopify-economic-orders]',
    'removed connections[shopify-economic-products]',
  ]);
  const after = await snapshot('acme-remove');
  expect(after.systems.map((system) => system.systemId)).toEqual(['shopify']);
  expect(after.connections).toEqual([]);
  expect(after.jobs).toEqual([]);
});

test('a secret whose environment variable is not set is refused by path, and nothing is created', async () => {
  const refused = await refusal(
    apply(exampleSpec('acme-env'), { env: { ACME_SHOPIFY_WEBHOOK_SECRET: 'shopify-hook-secret-1' } }),
  );
  expect(refused.message).toBe(
    'systems[1].secrets.grantToken: environment variable ACME_ECONOMIC_GRANT_TOKEN is not set',
  );
  const nothing = await snapshot('acme-env');
  expect(nothing).toEqual({
    tenant: [],
    subscription: [],
    systems: [],
    connections: [],
    rules: [],
    jobs: [],
    audit: 0,
  });
});

test('a dry run shows the changes and writes nothing', async () => {
  const result = await apply(exampleSpec('acme-dry'), { dryRun: true });
  expect(result).toMatchObject({ tenantId: 'acme-dry', created: true, applied: false });
  expect(result.changes.length).toBeGreaterThan(10);
  expect(result.webhookSecret).toBeUndefined();
  expect(await snapshot('acme-dry')).toEqual({
    tenant: [],
    subscription: [],
    systems: [],
    connections: [],
    rules: [],
    jobs: [],
    audit: 0,
  });
  expect(await commandsOf('acme-dry')).toEqual([]);
});

test('two applies of one tenant at once: one applies, the other is told the tenant is busy', async () => {
  const [first, second] = await Promise.allSettled([apply(exampleSpec('acme-race')), apply(exampleSpec('acme-race'))]);
  const outcomes = [first, second].map((outcome) =>
    outcome.status === 'fulfilled' ? 'applied' : outcome.reason instanceof TenantBusy ? 'busy' : String(outcome.reason),
  );
  expect(outcomes.sort()).toEqual(['applied', 'busy']);
  expect(await under.store.models.System.countDocuments({ tenantId: 'acme-race' })).toBe(2);
  expect(await auditOf('acme-race')).toHaveLength(1);

  // A rotation or an erasure holds the same claim: an apply meanwhile is busy; after it, it runs.
  const changed = exampleSpec('acme-race', (spec) => ({ ...spec, language: 'en' as const }));
  await withTenantClaim(under.store.models, 'acme-race', async () => {
    await expect(apply(changed)).rejects.toBeInstanceOf(TenantBusy);
  });
  expect((await apply(changed)).changes).toEqual([{ path: 'language', change: 'changed', from: 'da', to: 'en' }]);
});

test('show gives the tenant as a spec without secret values; list counts systems, connections and workspaces', async () => {
  await apply(exampleSpec('acme-show'));
  const shown = await readTenantSpec(under.store.models, 'acme-show');
  expect(shown).toMatchObject({ id: 'acme-show', name: 'Acme Webshop ApS', plan: 'standard', language: 'da' });
  expect(shown.systems.map((system) => system.secrets)).toEqual([{ grantToken: '(set)' }, { webhookSecret: '(set)' }]);
  expect(JSON.stringify(shown)).not.toMatch(/shopify-hook-secret|economic-grant-token/);
  // What show prints is a spec: with the secrets given again, applying it changes nothing.
  const reparsed = parseTenantSpec({
    ...shown,
    systems: shown.systems.map((system) => ({
      ...system,
      secrets:
        system.id === 'shopify' ? { webhookSecret: 'shopify-hook-secret-1' } : { grantToken: 'economic-grant-token-1' },
    })),
  });
  if (!reparsed.ok) throw new Error(JSON.stringify(reparsed.problems));
  expect((await apply(reparsed.spec)).changes).toEqual([]);

  // One workspace bound as a whole and in one channel, and a Discord server the bot was removed from.
  await under.store.models.Binding.create([
    { platform: 'slack', workspaceId: 'TSHOW', channelId: '', tenantId: 'acme-show' },
    { platform: 'slack', workspaceId: 'TSHOW', channelId: 'C0SHOW', tenantId: 'acme-show' },
    { platform: 'discord', workspaceId: '1234', channelId: '', tenantId: 'acme-show', goneAt: new Date() },
  ]);
  const listed = await listTenants(under.store.models);
  expect(listed.find((tenant) => tenant.tenantId === 'acme-show')).toEqual({
    tenantId: 'acme-show',
    name: 'Acme Webshop ApS',
    plan: 'standard',
    active: true,
    language: 'da',
    systems: 2,
    connections: 3,
    workspaces: 1,
  });
});
