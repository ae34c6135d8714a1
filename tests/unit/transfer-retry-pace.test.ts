import type { RetryTarget } from '../../src/commands/ports/transfers';
import type { Command } from '../../src/domain/commands';
import type { EventProducer } from '../../src/kafka/producer';
import type { Models } from '../../src/store';
import { createTransfersPort } from '../../src/store/adapters/transfers';
import { captureLogger } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** A producer that records what is sent and when; sending retries needs no store. */
function recordingProducer() {
  const sent: Array<{ at: number; commands: Command[] }> = [];
  const producer: EventProducer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async () => undefined,
    sendJson: async (_topic, messages) => {
      sent.push({ at: Date.now(), commands: messages.map((message) => message.value as Command) });
    },
  };
  return { producer, sent };
}

const targets = (count: number): RetryTarget[] =>
  Array.from({ length: count }, (_, i) => ({
    transferId: `t-${i}`,
    connectionId: 'orders',
    status: i === 0 ? 'held' : 'failed',
  }));

test('retries go out paced, a chunk a second, and the reply does not wait for the backlog', async () => {
  const { producer, sent } = recordingProducer();
  const port = createTransfersPort(
    { models: {} as Models, producer, logger: captureLogger().logger },
    { retriesPerSecond: 5 },
  );
  const now = new Date('2026-11-28T13:30:00Z');

  const dispatch = await port.sendRetries('acme', targets(12), {
    actor: { platform: 'slack', userId: 'U1' },
    batch: 'abc123abc123',
    now,
  });
  expect(dispatch).toEqual({ queued: 12, perSecond: 5 });
  // Answered after the first chunk; the rest follows.
  expect(sent.map(({ commands }) => commands.length)).toEqual([5]);

  await waitFor('all chunks', () => sent.length === 3, { timeoutMs: 10_000 });
  expect(sent.map(({ commands }) => commands.length)).toEqual([5, 5, 2]);
  expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(950);
  expect(sent[2]!.at - sent[1]!.at).toBeGreaterThanOrEqual(950);

  const all = sent.flatMap(({ commands }) => commands);
  expect(all[0]).toEqual({
    type: 'transfer.retry',
    id: 'retry:abc123abc123:t-0',
    tenantId: 'acme',
    issuedAt: now.toISOString(),
    actor: { platform: 'slack', userId: 'U1' },
    transferId: 't-0',
    connectionId: 'orders',
    reason: 'release',
  });
  expect(new Set(all.map((command) => command.id)).size).toBe(12);
  expect(all.slice(1).every((command) => command.type === 'transfer.retry' && command.reason === 'retry')).toBe(true);
});
