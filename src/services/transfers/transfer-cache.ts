import type { TransferEvent } from '../../domain/events';
import type { ListName, RingState } from '../../store/transfer-views';

/** An event of a transfer with where it was first delivered. */
export interface StoredEvent {
  event: TransferEvent;
  partition?: number | null;
  offset?: number | null;
}

export interface CachedTransfer {
  events: StoredEvent[];
  /** Whether the store has a document for it (rewrite it, rather than insert). */
  stored: boolean;
  createdAt?: Date;
}

/**
 * What the owner of a partition remembers of it between batches: recent transfers' events and
 * each tenant's view rings. Valid only while nobody else wrote for the partition. Kafka hands a
 * partition's messages on in offset order, so a batch that does not start right after the last
 * one this instance recorded means another member recorded the messages in between (a rebalance),
 * or the batch is a redelivery: then everything remembered of the partition is dropped and read
 * from the store again. A failed batch drops it too.
 */
export interface TransferCache {
  begin(partition: number, firstOffset: number): void;
  end(partition: number, lastOffset: number): void;
  forget(partition: number): void;
  get(partition: number, key: string): CachedTransfer | undefined;
  set(partition: number, key: string, entry: CachedTransfer): void;
  ring(partition: number, tenantId: string, list: ListName): RingState | undefined;
  setRing(partition: number, tenantId: string, list: ListName, state: RingState): void;
}

export function createTransferCache(maxTransfers: number): TransferCache {
  const lastOffsets = new Map<number, number>();
  // A Map iterates in insertion order: re-inserting on use makes the first entry the least recent.
  const transfers = new Map<string, CachedTransfer & { partition: number }>();
  const rings = new Map<string, RingState>();
  const slot = (partition: number, key: string) => `${partition}\u0000${key}`;

  const forget = (partition: number) => {
    lastOffsets.delete(partition);
    for (const [key, entry] of transfers) if (entry.partition === partition) transfers.delete(key);
    for (const key of rings.keys()) if (key.startsWith(`${partition}\u0000`)) rings.delete(key);
  };

  return {
    begin(partition, firstOffset) {
      if (lastOffsets.get(partition) !== firstOffset - 1) forget(partition);
    },
    end(partition, lastOffset) {
      lastOffsets.set(partition, lastOffset);
    },
    forget,
    get(partition, key) {
      const entry = transfers.get(slot(partition, key));
      if (!entry) return undefined;
      transfers.delete(slot(partition, key));
      transfers.set(slot(partition, key), entry);
      return entry;
    },
    set(partition, key, entry) {
      transfers.delete(slot(partition, key));
      transfers.set(slot(partition, key), { ...entry, partition });
      while (transfers.size > maxTransfers) {
        const oldest = transfers.keys().next().value;
        if (oldest === undefined) break;
        transfers.delete(oldest);
      }
    },
    ring: (partition, tenantId, list) => rings.get(slot(partition, `${tenantId}\u0000${list}`)),
    setRing: (partition, tenantId, list, state) => void rings.set(slot(partition, `${tenantId}\u0000${list}`), state),
  };
}
