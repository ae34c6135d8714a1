import { encodeAction } from '../../src/chat/actions';
import { ACTIONS, COMMANDS } from '../../src/commands/catalog';
import { createCommandCore } from '../../src/commands/core';
import { renderText } from '../../src/chat/render-text';
import type { Command } from '../../src/domain/commands';
import { createStorePorts } from '../../src/services/ports';
import { RUN_NOW_WINDOW_MS } from '../../src/services/ports/jobs';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { testKafka } from '../support/kafka';
import { captureLogger } from '../support/test-env';
import { readToEnd } from '../support/topic-end';

let harness: CoreUnderTest;
let now = new Date();
const clock = () => now;

beforeAll(async () => {
  harness = await startCommandCore('run-now-once', { clock });
});

afterAll(() => harness?.stop());

/** A second instance of the service: its own command core and ports over the same store and broker. */
function secondInstance() {
  const { logger } = captureLogger();
  return createCommandCore({
    ports: createStorePorts(
      { models: harness.store.models, producer: harness.producer, logger },
      { jobs: { instanceId: 'instance-b' } },
    ),
    logger,
    commands: COMMANDS,
    actions: ACTIONS,
    clock,
  });
}

async function syncCommandsOf(tenantId: string): Promise<Command[]> {
  const messages = await readToEnd(testKafka(), harness.naming.topic('commands'));
  return messages
    .map((message) => JSON.parse(message.value!.toString()) as Command)
    .filter((command) => command.tenantId === tenantId && command.type === 'connection.sync');
}

test('Run now clicked twice, on two instances, starts one run; the second click says when and by whom', async () => {
  const { models } = harness.store;
  const { tenantId, admin, owner } = await linkedSlackTenant(models);
  await models.DataConnection.updateOne(
    { tenantId, connectionId: 'products' },
    { $set: { mode: 'schedule', cron: '0 6 * * *' } },
  );
  now = new Date('2026-12-01T12:00:00Z');

  const first = await harness.core.handleAction(admin, encodeAction('jobs.run', { id: 'products' }));
  expect(renderText(first)).toContain('@UADMIN1 started a run of Shopify > e-conomic (product)');

  now = new Date('2026-12-01T12:00:07Z');
  const other = secondInstance();
  const second = await other.handleAction(owner, encodeAction('jobs.run', { id: 'products' }));
  expect(renderText(second)).toBe(
    '@UADMIN1 started a run of Shopify > e-conomic (product) at 13:00:00, 7 s ago: it is running, so it was not started again. `/iex jobs` shows its result when the engine answers.',
  );
  const mine = await harness.core.handleCommand(admin, 'jobs run products');
  expect(renderText(mine)).toMatch(/^You started a run of Shopify > e-conomic \(product\) at 13:00:00, 7 s ago/);

  expect(await syncCommandsOf(tenantId)).toEqual([
    expect.objectContaining({ id: `sync:${tenantId}:products@2026-12-01T12:00:00.000Z:manual` }),
  ]);
  // Only the run that started is audited.
  expect(await models.AuditEntry.countDocuments({ tenantId, action: 'job.run' })).toBe(1);

  // After the window, Run now starts a new run.
  now = new Date(Date.parse('2026-12-01T12:00:00Z') + RUN_NOW_WINDOW_MS + 1000);
  const later = await other.handleAction(owner, encodeAction('jobs.run', { id: 'products' }));
  expect(renderText(later)).toContain('@UOWNER1 started a run of Shopify > e-conomic (product)');
  expect((await syncCommandsOf(tenantId)).map((command) => command.id)).toEqual([
    `sync:${tenantId}:products@2026-12-01T12:00:00.000Z:manual`,
    `sync:${tenantId}:products@${now.toISOString()}:manual`,
  ]);
});

test('a Run now that started nothing does not hold the next one back', async () => {
  const { models } = harness.store;
  const { tenantId, admin } = await linkedSlackTenant(models);
  await models.DataConnection.updateOne(
    { tenantId, connectionId: 'products' },
    { $set: { mode: 'schedule', cron: '0 6 * * *', active: false } },
  );
  now = new Date('2026-12-01T14:00:00Z');
  const skipped = await harness.core.handleAction(admin, encodeAction('jobs.run', { id: 'products' }));
  expect(renderText(skipped)).toContain('did not run');

  await models.DataConnection.updateOne({ tenantId, connectionId: 'products' }, { $set: { active: true } });
  now = new Date('2026-12-01T14:00:05Z');
  const ran = await harness.core.handleAction(admin, encodeAction('jobs.run', { id: 'products' }));
  expect(renderText(ran)).toContain('@UADMIN1 started a run');
});
