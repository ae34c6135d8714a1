import type { Actor, Command } from '../../domain/commands';
import type { Hold } from '../../domain/events';
import type { EventProducer } from '../../kafka/producer';
import { chunked, readTransferViews, type Models } from '../../store';

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
  deps: { models: Pick<Models, 'TransferView'>; producer: EventProducer },
  filter: ReleaseFilter,
  actor: Actor,
  now = new Date(),
): Promise<number> {
  // The held list of the tenant's views (read by _id), oldest first: never a search of transfers.
  const { held } = await readTransferViews(deps.models, filter.tenantId);
  const matching = held
    .filter(
      (transfer) =>
        (!filter.connectionId || transfer.connectionId === filter.connectionId) &&
        (!filter.reasons || (transfer.hold !== undefined && filter.reasons.includes(transfer.hold.reason))),
    )
    .reverse();
  let released = 0;
  for (const page of chunked(matching, 500)) {
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
  }
  return released;
}
