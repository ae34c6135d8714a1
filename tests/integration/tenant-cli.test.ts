import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectStore, type Store } from '../../src/store';
import { runScript } from '../support/scripts';
import { testConfig } from '../support/test-env';

const root = path.resolve(__dirname, '../..');
const EXAMPLE_SECRET = 'example-shopify-webhook-secret-replace-me';

describe('npm run tenant (the operator at a terminal)', () => {
  const config = testConfig();
  const work = mkdtempSync(path.join(tmpdir(), 'iex-tenant-cli-'));
  let store: Store;

  /** `npm run tenant -- …` against this test's store and namespace, without a terminal. */
  const tenant = (args: string[]) => runScript('tenant.ts', args, config);

  beforeAll(async () => {
    store = connectStore(config.MONGO_URL);
    await store.ready();
  });

  afterAll(async () => {
    await store.connection.dropDatabase();
    await store.close();
  });

  it('applies examples/tenant.yaml: acme with two systems and three connections, then "no changes"', async () => {
    const first = await tenant(['apply', 'examples/tenant.yaml']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^acme: created \(\d+ changes\)/);
    expect(first.stdout).toMatch(/Engine webhook secret \(shown this once[^\n]*\n\s+[0-9a-f]{64}/);
    expect(first.stdout).not.toContain(EXAMPLE_SECRET);
    expect(await store.models.System.countDocuments({ tenantId: 'acme' })).toBe(2);
    expect(await store.models.DataConnection.countDocuments({ tenantId: 'acme' })).toBe(3);

    const second = await tenant(['apply', 'examples/tenant.yaml']);
    expect(second).toMatchObject({ code: 0, stdout: 'acme: no changes\n' });
  });

  it('refuses a bad file by path with exit 1, and bad arguments with exit 2', async () => {
    const file = path.join(work, 'bad.yaml');
    const example = readFileSync(path.join(root, 'examples/tenant.yaml'), 'utf8');
    writeFileSync(file, example.replace("cron: '0 * * * *'", "cron: 'hourly'").replace('plan: standard', 'plan: gold'));
    const refused = await tenant(['apply', file, '--dry-run']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('connections[2].cron: not a cron expression');
    expect(refused.stderr).toContain('plan:');

    expect((await tenant(['frobnicate'])).code).toBe(2);
    expect((await tenant(['show'])).code).toBe(2);
    const noConfirm = await tenant(['erase', 'acme']);
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.stderr).toContain('--confirm acme');
  });

  it('shows and lists without secrets, issues a link code, rotates the secret once shown', async () => {
    const shown = await tenant(['show', 'acme']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('id: acme');
    expect(shown.stdout).toContain('(set)');
    expect(shown.stdout).not.toContain(EXAMPLE_SECRET);

    const listed = await tenant(['list']);
    expect(listed.stdout).toMatch(/^ID\s+NAME/);
    expect(listed.stdout).toMatch(/\nacme\s+Acme Webshop ApS\s+standard\s+da\s+on\s+2\s+3\s+0/);

    const code = await tenant(['link-code', 'acme']);
    expect(code.stdout).toMatch(/Slack: +\/iex link IEX-[A-Z0-9]{5}-[A-Z0-9]{5}/);

    const rotated = await tenant(['rotate-secret', 'acme', '--overlap', '2h']);
    expect(rotated.code).toBe(0);
    const secret = /\n\s+([0-9a-f]{64})\n/.exec(rotated.stdout)?.[1];
    const stored = await store.models.Tenant.findOne({ tenantId: 'acme' }).select('+webhookSecret').lean();
    expect(secret).toBe(stored?.webhookSecret);
    expect(rotated.stdout).toContain('The previous secret keeps working until');
    expect((await tenant(['rotate-secret', 'acme', '--overlap', 'forever'])).code).toBe(2);
    expect((await tenant(['link-code', 'nobody'])).code).toBe(1);
  });

  it('exports to a file, then erases only with the id confirmed', async () => {
    const file = path.join(work, 'acme.json');
    const exported = await tenant(['export', 'acme', '--out', file]);
    expect(exported.code).toBe(0);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { tenant: { tenantId: string }; systems: unknown[] };
    expect(document.tenant.tenantId).toBe('acme');
    expect(readFileSync(file, 'utf8')).not.toContain(EXAMPLE_SECRET);

    const wrong = await tenant(['erase', 'acme', '--confirm', 'acne']);
    expect(wrong.code).toBe(1);
    expect(await store.models.Tenant.countDocuments({ tenantId: 'acme' })).toBe(1);

    const erased = await tenant(['erase', 'acme', '--confirm', 'acme']);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/^acme: erased \d+ document/);
    expect(await store.models.Tenant.countDocuments({ tenantId: 'acme' })).toBe(0);
    expect(await store.models.System.countDocuments({ tenantId: 'acme' })).toBe(0);
    expect((await tenant(['erase', 'acme', '--confirm', 'acme'])).stdout).toContain('nothing to erase');
  });
});
