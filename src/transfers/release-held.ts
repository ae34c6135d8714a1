import type { Actor, Command } from '../domain/commands';
import type { Hold } from '../domain/events';
import type { EventProducer } from '../kafka/producer';
import type { Models } from '../store';

export interface ReleaseFilter {
  tenantId: string;
  /** Only transfers of this connection (a connection switched back on). */
  connectionId?: string;
  /** Only transfers held for these reasons (e.g. the module that was switched back on). */
  reasons?: Hold['reason'][];
}

/**
 * Releases held transfers: one retry command per transfer on iex.commands.v1, so the engine runs
 * it again and its outcome arrives as ordinary transfer events. Commands are sent in pages, so a
 * long backlog does not make one huge Kafka request.
 *
 * @returns how many transfers were released.
 */
export async function releaseHeld(
  deps: { models: Pick<Models, 'Transfer'>; producer: EventProducer },
  filter: ReleaseFilter,
  actor: Actor,
  now = new Date(),
): Promise<number> {
  const query = {
    tenantId: filter.tenantId,
    status: 'held' as const,
    ...(filter.connectionId ? { connectionId: filter.connectionId } : {}),
    ...(filter.reasons ? { 'hold.reason': { $in: filter.reasons } } : {}),
  };
  let released = 0;
  const pageSize = 500;
  let after: string | undefined;
  for (;;) {
    const page = await deps.models.Transfer.find(after ? { ...query, transferId: { $gt: after } } : query, {
      transferId: 1,
      connectionId: 1,
    })
      .sort({ transferId: 1 })
      .limit(pageSize)
      .lean();
    if (page.length === 0) return released;
    const commands: Command[] = page.map(({ transferId, connectionId }) => ({
      type: 'transfer.retry',
      id: `release:${filter.tenantId}:${transferId}:${now.getTime()}`,
      tenantId: filter.tenantId,
      issuedAt: now.toISOString(),
      actor,
      transferId,
      connectionId,
      reason: 'release',
    }));
    await deps.producer.sendJson(
      'commands',
      commands.map((command) => ({ key: filter.tenantId, value: command })),
    );
    released += page.length;
    after = page[page.length - 1]!.transferId;
  }
}
