import type { Caller } from '../../src/commands/ports/tenancy';
import type { Command } from '../../src/domain/commands';
import { renderText } from '../../src/chat/render-text';
import type { Reply } from '../../src/chat/reply';
import { linkedSlackTenant, startCommandCore, type CoreUnderTest } from '../support/command-core';
import { testKafka } from '../support/kafka';
import { readToEnd } from '../support/topic-end';
import { storeTransfers, type TransferFixture } from '../support/transfers';
import { waitFor } from '../support/wait-for';

let harness: CoreUnderTest;

beforeAll(async () => {
  harness = await startCommandCore('bulk-retry-chat');
});

afterAll(() => harness?.stop());

const FAILED = 100;

async function tenantWithFailures() {
  const { models } = harness.store;
  const tenant = await linkedSlackTenant(models);
  const at = Date.now() - 10 * 60_000;
  const fixtures: TransferFixture[] = Array.from({ length: FAILED }, (_, i) => ({
    tenantId: tenant.tenantId,
    transferId: `ord-${i}`,
    connectionId: 'orders',
    entity: 'order',
    operation: 'create',
    status: 'failed',
    error: { code: 'economic.vat_zone_unknown', message: 'Unknown VAT zone', retryable: true },
    updatedAt: new Date(at + i * 1000),
  }));
  for (let from = 0; from < fixtures.length; from += 25) await storeTransfers(models, fixtures.slice(from, from + 25));
  return tenant;
}

function click(caller: Caller, reply: Reply, label: string): Promise<Reply> {
  const button = reply.blocks
    .flatMap((block) => (block.type === 'actions' ? block.buttons : []))
    .find((candidate) => candidate.label === label);
  if (!button?.action) throw new Error(`no button "${label}" in: ${renderText(reply)}`);
  return harness.core.handleAction(caller, button.action);
}

test('a bulk retry confirmed twice is queued once: the second click says how far the first got; Check results shows what is still to send', async () => {
  const { tenantId, admin } = await tenantWithFailures();
  const ask = await harness.core.handleCommand(admin, 'retry failed');
  const queued = await click(admin, ask, `Retry ${FAILED}`);
  expect(renderText(queued)).toMatch(new RegExp(`^Queued ${FAILED} retries \\(failed`));
  expect(renderText(queued)).toContain(`They go to the engine at up to 20 a second (about 5 s).`);

  // While it is still going out (a chunk a second), "Check results" says how many are still to send.
  const results = await click(admin, queued, 'Check results');
  expect(renderText(results)).toMatch(/Still to send to the engine: \d+/);

  const again = await click(admin, ask, `Retry ${FAILED}`);
  expect(renderText(again)).toMatch(
    new RegExp(
      `^These ${FAILED} retries were queued already, \\d\\d:\\d\\d:\\d\\d: \\d+ of ${FAILED} sent to the engine so far\\. Nothing was sent again\\.`,
    ),
  );

  await waitFor(
    'the retry to be sent',
    async () => !renderText(await click(admin, queued, 'Check results')).includes('Still to send'),
    { timeoutMs: 20_000 },
  );
  const retried = (await readToEnd(testKafka(), harness.naming.topic('commands')))
    .map((message) => JSON.parse(message.value!.toString()) as Command)
    .flatMap((command) =>
      command.tenantId === tenantId && command.type === 'transfer.retry' ? [command.transferId] : [],
    );
  expect(retried).toHaveLength(FAILED);
  expect(new Set(retried).size).toBe(FAILED);
});
