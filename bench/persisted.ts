import type { TransferEvent } from '../src/domain/events';
import type { RequestRecord } from './http-load';
import { summarize, type Summary } from './stats';

/** What the recorder wrote for the run, as read back from the store. */
export interface ReadBack {
  /** `transfers`: one per transfer, `updatedAt` = when the recorder wrote it. */
  transfers: Array<{ transferId: string; updatedAt: Date }>;
  /** `transferEvents`: one per event, `receivedAt` = when the recorder took its batch. */
  storedEvents: Array<{ eventId: string; receivedAt: Date; partition?: number | null }>;
}

export interface PersistedFigures {
  persisted: number;
  storedEvents: number;
  /** First request sent → last transfer written (complete run) or → `stoppedWaitingAtMs`. */
  endToEndMs: number;
  latencyMs: { acceptedToPersisted: Summary; acceptedToPickedUp: Summary; pickedUpToPersisted: Summary };
  recorderBatches: { count: number; meanSize: number; maxSize: number };
  timeline: { bucketSeconds: number; persisted: number[] };
}

/** Picks an interval that splits `ms` into at most 12 buckets. */
function bucketSeconds(ms: number): number {
  return [1, 2, 5, 10, 15, 30, 60, 120, 300].find((seconds) => ms / (seconds * 1000) <= 12) ?? 600;
}

/**
 * Joins the sent events with what the store holds: per event, when its request got 202, when the
 * recorder took it and when its transfer was written. Events of one recorder batch share a
 * `receivedAt` (the recorder stamps a batch once), which tells the batches apart.
 *
 * When the run is incomplete, `stoppedWaitingAtMs` ends the measured span, so the rate is what the
 * pipeline did in the time it had, not what its first batches did.
 */
export function persistedFigures(input: {
  events: readonly TransferEvent[];
  batch: number;
  requests: readonly RequestRecord[];
  startedAtMs: number;
  readBack: ReadBack;
  stoppedWaitingAtMs?: number;
}): PersistedFigures {
  const { events, batch, requests, startedAtMs, readBack } = input;
  const writtenAt = new Map(readBack.transfers.map((doc) => [doc.transferId, doc.updatedAt.getTime()]));
  const pickedAt = new Map(readBack.storedEvents.map((doc) => [doc.eventId, doc.receivedAt.getTime()]));
  const batchSizes = new Map<string, number>();
  for (const doc of readBack.storedEvents) {
    const key = `${doc.partition ?? '?'}@${doc.receivedAt.getTime()}`;
    batchSizes.set(key, (batchSizes.get(key) ?? 0) + 1);
  }

  const acceptedToPersisted: number[] = [];
  const acceptedToPickedUp: number[] = [];
  const pickedUpToPersisted: number[] = [];
  const persistedAt: number[] = [];
  let lastWritten = startedAtMs;
  events.forEach((event, index) => {
    const answeredAt = requests[Math.floor(index / batch)]!.answeredAtMs;
    const written = writtenAt.get(event.transferId);
    const picked = pickedAt.get(event.id);
    if (written === undefined || picked === undefined) return;
    acceptedToPersisted.push(written - answeredAt);
    acceptedToPickedUp.push(picked - answeredAt);
    pickedUpToPersisted.push(written - picked);
    persistedAt.push(written);
    lastWritten = Math.max(lastWritten, written);
  });

  const endToEndMs = (input.stoppedWaitingAtMs ?? lastWritten) - startedAtMs;
  const bucket = bucketSeconds(endToEndMs);
  const timeline = new Array<number>(Math.max(1, Math.ceil(endToEndMs / (bucket * 1000)))).fill(0);
  for (const at of persistedAt) {
    const slot = Math.floor((at - startedAtMs) / (bucket * 1000));
    timeline[Math.max(0, Math.min(timeline.length - 1, slot))]! += 1;
  }
  const sizes = [...batchSizes.values()];
  return {
    persisted: persistedAt.length,
    storedEvents: readBack.storedEvents.length,
    endToEndMs,
    latencyMs: {
      acceptedToPersisted: summarize(acceptedToPersisted),
      acceptedToPickedUp: summarize(acceptedToPickedUp),
      pickedUpToPersisted: summarize(pickedUpToPersisted),
    },
    recorderBatches: {
      count: sizes.length,
      meanSize: readBack.storedEvents.length / Math.max(1, sizes.length),
      maxSize: sizes.reduce((max, size) => Math.max(max, size), 0),
    },
    timeline: { bucketSeconds: bucket, persisted: timeline },
  };
}
