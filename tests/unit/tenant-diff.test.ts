import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseTenantSpec, type TenantSpec, type TenantSpecInput } from '../../src/domain/tenant-spec';
import { describeChange, diffTenantState } from '../../src/services/tenants/diff';
import { unsafeChanges } from '../../src/services/tenants/refusals';
import { resolveSecrets } from '../../src/services/tenants/resolve-secrets';
import { desiredState, type TenantState } from '../../src/services/tenants/tenant-state';

function specOf(input: TenantSpecInput): TenantSpec {
  const parsed = parseTenantSpec(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.spec;
}

const base: TenantSpecInput = {
  id: 'acme',
  name: 'Acme Webshop ApS',
  plan: 'standard',
  systems: [
    {
      id: 'shopify',
      kind: 'shopify',
      name: 'Shopify',
      role: 'source',
      settings: { shopDomain: 'acme.myshopify.com', currency: 'DKK' },
      secrets: { webhookSecret: 'old-secret-value' },
    },
    { id: 'e-conomic', kind: 'e-conomic', name: 'e-conomic', role: 'target', settings: { agreementNumber: 123 } },
  ],
  connections: [
    { id: 'orders', from: 'shopify', to: 'e-conomic', entity: 'order', mode: 'webhook' },
    { id: 'products', from: 'shopify', to: 'e-conomic', entity: 'product', mode: 'schedule', cron: '*/30 * * * *' },
  ],
  notifications: [{ trigger: 'transfer.failed', email: 'ops@acme.dk' }],
  owner: { name: 'Karen', email: 'karen@acme.dk' },
};

function stateOf(input: TenantSpecInput, env: NodeJS.ProcessEnv = {}): TenantState {
  const spec = specOf(input);
  const { secrets, problems } = resolveSecrets(spec, env);
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  return desiredState(spec, secrets);
}

const nothing = (tenantId: string): TenantState => ({ tenantId, systems: [], connections: [], notifications: [] });

describe('the diff of a tenant spec', () => {
  it('finds nothing to change between a state and itself, in whatever order the items are listed', () => {
    const reordered = {
      ...base,
      systems: [...base.systems!].reverse(),
      connections: [...base.connections!].reverse(),
    };
    expect(diffTenantState(stateOf(base), stateOf(reordered))).toEqual([]);
  });

  it('names exactly what differs by spec path, and a secret only as (secret)', () => {
    const changed: TenantSpecInput = {
      ...base,
      systems: [
        {
          ...base.systems![0]!,
          settings: { shopDomain: 'acme-new.myshopify.com', currency: 'DKK' },
          secrets: { webhookSecret: 'new-secret-value' },
        },
        base.systems![1]!,
      ],
      connections: [base.connections![0]!, { ...base.connections![1]!, cron: '0 6 * * *' }],
      notifications: [...base.notifications!, { trigger: 'quota.threshold', platform: 'slack', channel: 'C1' }],
    };
    const changes = diffTenantState(stateOf(base), stateOf(changed));
    expect(changes).toEqual([
      {
        path: 'systems[shopify].settings.shopDomain',
        change: 'changed',
        from: 'acme.myshopify.com',
        to: 'acme-new.myshopify.com',
      },
      { path: 'systems[shopify].secrets.webhookSecret', change: 'changed', from: '(secret)', to: '(secret)' },
      { path: 'connections[products].cron', change: 'changed', from: '*/30 * * * *', to: '0 6 * * *' },
      { path: 'notifications[quota.threshold slack:C1]', change: 'added' },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/secret-value/);
    expect(changes.map(describeChange)).toEqual([
      '~ systems[shopify].settings.shopDomain: acme.myshopify.com → acme-new.myshopify.com',
      '~ systems[shopify].secrets.webhookSecret: (secret) → (secret)',
      '~ connections[products].cron: */30 * * * * → 0 6 * * *',
      '+ notifications[quota.threshold slack:C1]',
    ]);
  });

  it('lists removed items and whole added ones, and fields that appear or disappear', () => {
    const smaller: TenantSpecInput = {
      ...base,
      plan: 'business',
      connections: [base.connections![0]!],
      notifications: [],
      owner: { ...base.owner, phone: '+45 1234' },
      systems: [{ ...base.systems![0]!, settings: { shopDomain: 'acme.myshopify.com' } }, base.systems![1]!],
    };
    expect(diffTenantState(stateOf(base), stateOf(smaller))).toEqual([
      { path: 'owner.phone', change: 'added', to: '+45 1234' },
      { path: 'plan', change: 'changed', from: 'standard', to: 'business' },
      { path: 'systems[shopify].settings.currency', change: 'removed', from: 'DKK' },
      { path: 'connections[products]', change: 'removed' },
      { path: 'notifications[transfer.failed email:ops@acme.dk]', change: 'removed' },
    ]);
  });

  it('tells a number from the same digits as text', () => {
    const asText = {
      ...base,
      systems: [base.systems![0]!, { ...base.systems![1]!, settings: { agreementNumber: '123' } }],
    };
    expect(diffTenantState(stateOf(base), stateOf(asText))).toEqual([
      { path: 'systems[e-conomic].settings.agreementNumber', change: 'changed', from: '123', to: '"123"' },
    ]);
  });

  it('describes a new tenant field by field, with its systems, connections and rules as added items', () => {
    const paths = diffTenantState(nothing('acme'), stateOf(base)).map(({ path, change }) => `${change} ${path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'added name',
        'added plan',
        'added billing.company',
        'added systems[shopify]',
        'added systems[e-conomic]',
        'added connections[orders]',
        'added connections[products]',
        'added notifications[transfer.failed email:ops@acme.dk]',
      ]),
    );
  });
});

describe('changes that cannot be made in place', () => {
  it("refuses a system's kind and a connection's entity changed under the same id, by spec position", () => {
    const changed: TenantSpecInput = {
      ...base,
      systems: [base.systems![0]!, { ...base.systems![1]!, kind: 'dinero' }],
      connections: [base.connections![0]!, { ...base.connections![1]!, entity: 'stock' }],
    };
    expect(unsafeChanges(stateOf(base), stateOf(changed))).toEqual([
      { path: 'systems[1].kind', message: expect.stringContaining('remove it and add') },
      { path: 'connections[1].entity', message: expect.stringContaining('under a new id') },
    ]);
    expect(unsafeChanges(stateOf(base), stateOf(base))).toEqual([]);
  });
});

describe('secrets of a spec', () => {
  const withEnv: TenantSpecInput = {
    ...base,
    systems: [
      { ...base.systems![0]!, secrets: { webhookSecret: { env: 'ACME_HOOK' }, apiToken: { value: 'inline' } } },
      { ...base.systems![1]!, secrets: { grantToken: { env: 'ACME_GRANT' } } },
    ],
  };

  it('are read from the environment given', () => {
    const { secrets, problems } = resolveSecrets(specOf(withEnv), { ACME_HOOK: 'h', ACME_GRANT: 'g' });
    expect(problems).toEqual([]);
    expect(secrets).toEqual([{ webhookSecret: 'h', apiToken: 'inline' }, { grantToken: 'g' }]);
  });

  it('name the path of every variable that is not set, and refuse the "(set)" that show prints', () => {
    const shown = {
      ...withEnv,
      systems: [{ ...withEnv.systems![0]!, secrets: { apiToken: '(set)' } }, withEnv.systems![1]!],
    };
    expect(resolveSecrets(specOf(withEnv), { ACME_HOOK: '' }).problems).toEqual([
      { path: 'systems[0].secrets.webhookSecret', message: 'environment variable ACME_HOOK is empty' },
      { path: 'systems[1].secrets.grantToken', message: 'environment variable ACME_GRANT is not set' },
    ]);
    expect(resolveSecrets(specOf(shown), { ACME_GRANT: 'g' }).problems).toEqual([
      { path: 'systems[0].secrets.apiToken', message: expect.stringContaining('how show hides a secret') },
    ]);
  });
});

describe('the spec checks what apply relies on', () => {
  it('refuses a second Shopify system: its webhooks arrive at one address, verified with one secret', () => {
    const parsed = parseTenantSpec({
      ...base,
      systems: [...base.systems!, { id: 'shop2', kind: 'shopify', name: 'Other shop', role: 'source' }],
    });
    expect(!parsed.ok && parsed.problems).toEqual([
      { path: 'systems[2].kind', message: expect.stringContaining('one Shopify system') },
    ]);
  });

  it('refuses a setting name that would nest in the store', () => {
    const parsed = parseTenantSpec({
      ...base,
      systems: [base.systems![0]!, { ...base.systems![1]!, settings: { 'a.b': 1 } }],
    });
    expect(!parsed.ok && parsed.problems.map((problem) => problem.path)).toEqual(['systems[1].settings.a.b']);
  });
});

describe('examples/tenant.yaml', () => {
  it('is a valid spec: acme with two systems, three connections and two notification rules', () => {
    const text = readFileSync(join(__dirname, '../../examples/tenant.yaml'), 'utf8');
    const parsed = parseTenantSpec(parse(text));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.spec).toMatchObject({ id: 'acme', name: 'Acme Webshop ApS', language: 'da', plan: 'standard' });
    expect(parsed.spec.systems.map((system) => system.id)).toEqual(['shopify', 'e-conomic']);
    expect(parsed.spec.systems[0]!.secrets).toEqual({ webhookSecret: { value: expect.any(String) } });
    expect(parsed.spec.connections.map((connection) => [connection.id, connection.mode, connection.cron])).toEqual([
      ['shopify-economic-orders', 'webhook', undefined],
      ['shopify-economic-products', 'schedule', '*/30 * * * *'],
      ['economic-shopify-stock', 'schedule', '0 * * * *'],
    ]);
    expect(parsed.spec.notifications).toHaveLength(2);
  });
});
