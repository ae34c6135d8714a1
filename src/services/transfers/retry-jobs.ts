import type { Logger } from '../../config/logger';
import { SYSTEM_ACTOR, type Actor, type Command } from '../../domain/commands';
import type { EventProducer } from '../../kafka/producer';
import {
  claimLease,
  endLease,
  extendLease,
  isDuplicateKeyError,
  readLease,
  retryJobId,
  type Models,
  type RetryJobState,
} from '../../store';

/** One transfer a bulk retry runs again: `retry` for a failed one, `release` for a held one. */
export interface RetryJobTarget {
  transferId: string;
  connectionId: string;
  reason: 'retry' | 'release';
}

export interface NewRetryJob {
  tenantId: string;
  /** Deterministic per confirmation: the job's `_id` and every command id derive from it. */
  batch: string;
  actor: Actor;
  issuedAt: Date;
  /** Oldest first. */
  targets: RetryJobTarget[];
}

export interface RetryJobProgress {
  total: number;
  /** Commands on the broker so far. */
  sent: number;
  perSecond: number;
  state: RetryJobState;
  /** When the job was queued. */
  queuedAt: Date;
}

/** What `stop` left for other instances. */
export interface RetryHandOver {
  /** Jobs this instance was sending: their claims now expire at once (or, stuck, within the lease). */
  jobs: number;
  /** Commands of those jobs not on the broker yet. */
  unsent: number;
  /** Of those jobs, the ones still waiting for the broker or the store when the wait ended: their claims expire by themselves. */
  stuck: number;
}

export interface RetryJobs {
  /**
   * Queues a bulk retry. The first chunk is on the broker when this resolves (so a broker outage
   * is reported to the person, and nothing is queued); the rest follows a chunk a second. A batch
   * of one chunk is only sent. A batch queued before (the same confirmation clicked again) is not
   * sent again: its progress comes back with `already`.
   */
  enqueue(job: NewRetryJob): Promise<RetryJobProgress & { already: boolean }>;
  /** How far a queued bulk retry got; undefined for one that was never queued (or pruned). */
  progress(tenantId: string, batch: string): Promise<RetryJobProgress | undefined>;
  /** Looks for jobs whose instance stopped (now and every `pollMs`) and carries them on. */
  start(): void;
  /**
   * Takes no new chunk, waits for the chunk in flight to be acknowledged and recorded, and hands
   * every job it was sending over: its claim expires now, so another instance carries on at once.
   * Waits at most `timeoutMs`; a job still stuck then (a broker or store that does not answer) is
   * left to its claim's expiry, and its chunk in flight may be sent again by the next owner.
   */
  stop(timeoutMs?: number): Promise<RetryHandOver>;
}

export interface RetryJobsOptions {
  models: Pick<Models, 'RetryJob' | 'Lease'>;
  producer: Pick<EventProducer, 'sendJson'>;
  logger: Logger;
  /** Names this instance in the claims it takes. */
  instanceId: string;
  /** Commands per chunk, one chunk a second: a Black-Friday backlog must not reach the engine as one burst. Default 20. */
  perSecond?: number;
  /** A claim not renewed for this long belongs to an instance that stopped; default 60 s (JOB_LEASE_SECONDS). */
  leaseMs?: number;
  /** How often to look for jobs to carry on; default 15 s (JOB_RELOAD_SECONDS). */
  pollMs?: number;
  /** Finished jobs (and their claims) are deleted this long after they end; default a day. */
  keepDoneMs?: number;
  clock?: () => Date;
}

/** Claims of bulk retries are grouped under this job name; without a tick, the scheduler never takes them over. */
export const RETRY_LEASE_JOB = 'bulk-retry';
export const DEFAULT_RETRIES_PER_SECOND = 20;
const CHUNK_INTERVAL_MS = 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The claim of one attempt at a job. */
export const retryLeaseName = (jobId: string, attempt: number) => `${jobId}#${attempt}`;

/**
 * The commands of a job, the same every time they are built: ids from the batch and the
 * transfer, `issuedAt` from the confirmation. A chunk sent again after a crash (sent, not yet
 * recorded) is byte for byte the one the engine has, and an engine drops a command id it has
 * handled (the demo engine answers from the id, so its second answer carries event ids the
 * recorder already has).
 */
export function retryCommands(
  job: Pick<NewRetryJob, 'tenantId' | 'batch' | 'actor' | 'issuedAt'>,
  targets: readonly RetryJobTarget[],
): Command[] {
  return targets.map((target) => ({
    type: 'transfer.retry',
    id: `retry:${job.batch}:${target.transferId}`,
    tenantId: job.tenantId,
    issuedAt: job.issuedAt.toISOString(),
    actor: { platform: job.actor.platform, userId: job.actor.userId },
    transferId: target.transferId,
    connectionId: target.connectionId,
    reason: target.reason,
  }));
}

/** A job this instance holds the claim of. */
interface Owned {
  id: string;
  tenantId: string;
  batch: string;
  actor: Actor;
  issuedAt: Date;
  targets: RetryJobTarget[];
  sent: number;
  attempt: number;
  lastChunkAt: number;
}

/**
 * Bulk retries as jobs in the store (`retryJobs`), sent a chunk a second by the instance holding
 * the job's claim (a Lease, renewed while it sends). Progress is recorded after each chunk the
 * broker acknowledged; an instance that stops hands its jobs over, one that dies leaves a claim
 * that expires, and any instance then claims the next attempt and sends from the recorded
 * progress. What a crash between a chunk and its record sends twice carries the same command ids.
 */
export function createRetryJobs(options: RetryJobsOptions): RetryJobs {
  const { models, producer, instanceId } = options;
  const perSecond = Math.max(1, Math.floor(options.perSecond ?? DEFAULT_RETRIES_PER_SECOND));
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 15_000;
  const keepDoneMs = options.keepDoneMs ?? 24 * HOUR_MS;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger.child({ component: 'bulk-retry' });

  const owned = new Map<string, Owned>();
  const working = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  let stopping = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  let lastPrune = 0;

  /** Waits `ms`, or less when the instance stops. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping || ms <= 0) return resolve();
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      // Never what keeps the process alive: stopping is what ends the sending.
      const timer = setTimeout(wake, ms).unref();
      sleepers.add(wake);
    });

  const progressOf = (doc: {
    total: number;
    sent: number;
    perSecond: number;
    state: RetryJobState;
    createdAt?: Date;
  }): RetryJobProgress => ({
    total: doc.total,
    sent: doc.sent,
    perSecond: doc.perSecond,
    state: doc.state,
    queuedAt: doc.createdAt ?? clock(),
  });

  async function send(job: Owned, targets: RetryJobTarget[]): Promise<void> {
    await producer.sendJson(
      'commands',
      retryCommands(job, targets).map((command) => ({ key: job.tenantId, value: command })),
    );
  }

  /**
   * Records that the commands up to `sent` are on the broker, under this attempt only. False when
   * the job is no longer this instance's (another took it over, raising the attempt).
   */
  async function record(job: Owned, sent: number): Promise<boolean> {
    const done = sent >= job.targets.length;
    const { matchedCount } = await models.RetryJob.updateOne(
      { _id: job.id, attempt: job.attempt },
      { $set: { sent, ...(done ? { state: 'done', finishedAt: clock() } : {}) } },
    );
    return matchedCount === 1;
  }

  /** Sends the next chunk and records it; false when the job is finished, lost or handed over. */
  async function step(job: Owned): Promise<'more' | 'finished' | 'lost'> {
    const chunk = job.targets.slice(job.sent, job.sent + perSecond);
    await send(job, chunk);
    job.lastChunkAt = Date.now();
    const sent = job.sent + chunk.length;
    // The chunk is on the broker: keep trying to record it while this instance runs. If it stops
    // first, the next owner sends the chunk again, with the same command ids.
    for (let attempt = 0; ; attempt += 1) {
      try {
        if (!(await record(job, sent))) return 'lost';
        break;
      } catch (err) {
        if (stopping) throw err;
        logger.warn(
          { err, tenantId: job.tenantId, batch: job.batch, attempt: attempt + 1 },
          'could not record a chunk of a bulk retry; trying again',
        );
        await pause(Math.min(5_000, 250 * 2 ** attempt));
      }
    }
    job.sent = sent;
    return sent >= job.targets.length ? 'finished' : 'more';
  }

  /** Lets another instance carry on at once: the claim expires now. */
  async function handOver(job: Owned): Promise<void> {
    await extendLease(models.Lease, retryLeaseName(job.id, job.attempt), clock()).catch((err: unknown) =>
      logger.warn(
        { err, tenantId: job.tenantId, batch: job.batch },
        'could not hand a bulk retry over; its claim expires by itself',
      ),
    );
    logger.info(
      { tenantId: job.tenantId, batch: job.batch, sent: job.sent, total: job.targets.length },
      'handed a bulk retry over to another instance',
    );
  }

  /** Sends the rest of a job this instance holds, a chunk a second, renewing its claim. */
  function work(job: Owned): void {
    owned.set(job.id, job);
    const name = retryLeaseName(job.id, job.attempt);
    const log = logger.child({ tenantId: job.tenantId, batch: job.batch, attempt: job.attempt });
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(() => {
      if (stopping) return;
      renewing = extendLease(models.Lease, name, new Date(clock().getTime() + leaseMs)).catch((err: unknown) =>
        log.warn({ err }, 'could not renew the claim of a bulk retry'),
      );
    }, leaseMs / 3).unref();
    // A renewal still on its way would land after the hand-over and hold the claim a lease longer.
    const handOverNow = async () => {
      clearInterval(renewal);
      await renewing;
      return handOver(job);
    };
    const run = (async () => {
      let failures = 0;
      while (job.sent < job.targets.length) {
        if (stopping) return handOverNow();
        await pause(job.lastChunkAt + CHUNK_INTERVAL_MS - Date.now());
        if (stopping) return handOverNow();
        let outcome: Awaited<ReturnType<typeof step>>;
        try {
          outcome = await step(job);
          failures = 0;
        } catch (err) {
          failures += 1;
          if (stopping) return handOverNow();
          log.warn({ err, sent: job.sent, total: job.targets.length }, 'a chunk of a bulk retry failed; trying again');
          await pause(Math.min(10_000, 500 * 2 ** Math.min(failures, 5)));
          continue;
        }
        if (outcome === 'lost') {
          log.warn({ sent: job.sent }, 'another instance carries on with this bulk retry; stopping here');
          return;
        }
      }
      await endLease(models.Lease, name, clock()).catch(() => undefined);
      log.info({ total: job.targets.length }, 'bulk retry sent');
    })()
      .catch((err: unknown) =>
        log.error({ err }, 'bulk retry stopped; another instance carries on when its claim expires'),
      )
      .finally(() => {
        clearInterval(renewal);
        owned.delete(job.id);
        working.delete(run);
      });
    working.add(run);
  }

  /** Claims jobs whose claim expired (their instance stopped or died) and carries them on. */
  async function scan(): Promise<void> {
    const now = clock();
    const open = await models.RetryJob.find({ state: 'sending' }, { _id: 1, attempt: 1, updatedAt: 1 }).lean();
    for (const candidate of open) {
      if (stopping) return;
      const id = String(candidate._id);
      if (owned.has(id)) continue;
      const previous = retryLeaseName(id, candidate.attempt);
      const lease = await readLease(models.Lease, previous);
      // No claim at all: its instance stopped between queuing and claiming; wait a lease for it.
      const expired = lease
        ? lease.until.getTime() < now.getTime()
        : (candidate.updatedAt?.getTime() ?? 0) < now.getTime() - leaseMs;
      if (!expired) continue;
      const attempt = candidate.attempt + 1;
      const won = await claimLease(models.Lease, {
        name: retryLeaseName(id, attempt),
        owner: instanceId,
        until: new Date(now.getTime() + leaseMs),
        job: RETRY_LEASE_JOB,
        attempt,
      });
      if (!won) continue;
      // Raising the attempt fences the previous owner: its progress no longer records.
      await models.RetryJob.updateOne({ _id: id }, { $set: { attempt } });
      if (lease) await endLease(models.Lease, previous, now);
      const doc = await models.RetryJob.findOne({ _id: id }).lean();
      if (!doc || doc.state !== 'sending' || doc.attempt !== attempt) {
        await endLease(models.Lease, retryLeaseName(id, attempt), now);
        continue;
      }
      logger.warn(
        {
          tenantId: doc.tenantId,
          batch: doc.batch,
          attempt,
          sent: doc.sent,
          total: doc.total,
          previousOwner: lease?.owner ?? null,
        },
        'carrying on with a bulk retry whose instance stopped',
      );
      work({
        id,
        tenantId: doc.tenantId,
        batch: doc.batch,
        actor: doc.actor
          ? { platform: doc.actor.platform as Actor['platform'], userId: doc.actor.userId }
          : SYSTEM_ACTOR,
        issuedAt: doc.issuedAt,
        targets: doc.targets.map(({ transferId, connectionId, reason }) => ({
          transferId,
          connectionId,
          reason: reason as RetryJobTarget['reason'],
        })),
        sent: doc.sent,
        attempt,
        lastChunkAt: 0,
      });
    }
    if (now.getTime() - lastPrune >= HOUR_MS) {
      lastPrune = now.getTime();
      const before = new Date(now.getTime() - keepDoneMs);
      await models.RetryJob.deleteMany({ state: 'done', finishedAt: { $lt: before } });
      await models.Lease.deleteMany({ job: RETRY_LEASE_JOB, until: { $lt: before } });
    }
  }

  function poll(): Promise<void> {
    if (stopping) return Promise.resolve();
    scanning ??= scan()
      .catch((err: unknown) => logger.error({ err }, 'looking for bulk retries to carry on failed; trying again later'))
      .finally(() => (scanning = undefined));
    return scanning;
  }

  return {
    async enqueue(request) {
      const job: Owned = {
        id: retryJobId(request.tenantId, request.batch),
        tenantId: request.tenantId,
        batch: request.batch,
        actor: request.actor,
        issuedAt: request.issuedAt,
        targets: request.targets,
        sent: 0,
        attempt: 1,
        lastChunkAt: 0,
      };
      const total = request.targets.length;
      if (total <= perSecond) {
        // One chunk: sent before answering, nothing left to lose.
        if (total > 0) await send(job, request.targets);
        return { total, sent: total, perSecond, state: 'done', queuedAt: clock(), already: false };
      }
      if (stopping) throw new Error('this instance is stopping; ask again');
      try {
        await models.RetryJob.create({
          _id: job.id,
          tenantId: job.tenantId,
          batch: job.batch,
          actor: { platform: job.actor.platform, userId: job.actor.userId },
          issuedAt: job.issuedAt,
          targets: job.targets,
          total,
          sent: 0,
          attempt: 1,
          perSecond,
          state: 'sending',
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await models.RetryJob.findOne({ _id: job.id }, { targets: 0 }).lean();
        if (!existing) throw error;
        return { ...progressOf(existing), already: true };
      }
      const name = retryLeaseName(job.id, 1);
      const claimed = await claimLease(models.Lease, {
        name,
        owner: instanceId,
        until: new Date(clock().getTime() + leaseMs),
        job: RETRY_LEASE_JOB,
        attempt: 1,
      });
      if (!claimed) {
        // A stale claim of that name: the next scan of any instance takes the job over.
        return { total, sent: 0, perSecond, state: 'sending', queuedAt: clock(), already: false };
      }
      let outcome: Awaited<ReturnType<typeof step>>;
      try {
        outcome = await step(job);
      } catch (error) {
        // Nothing reached the broker (or it is unknown whether it did): queue nothing, say so.
        if (job.sent === 0) {
          await models.RetryJob.deleteOne({ _id: job.id }).catch(() => undefined);
          await endLease(models.Lease, name, clock()).catch(() => undefined);
        }
        throw error;
      }
      if (outcome === 'more') work(job);
      return {
        total,
        sent: job.sent,
        perSecond,
        state: outcome === 'finished' ? 'done' : 'sending',
        queuedAt: clock(),
        already: false,
      };
    },

    async progress(tenantId, batch) {
      const doc = await models.RetryJob.findOne({ _id: retryJobId(tenantId, batch) }, { targets: 0 }).lean();
      return doc && doc.tenantId === tenantId ? progressOf(doc) : undefined;
    },

    start() {
      if (pollTimer || stopping) return;
      void poll();
      pollTimer = setInterval(() => void poll(), pollMs);
      pollTimer.unref();
    },

    async stop(timeoutMs = 10_000) {
      stopping = true;
      clearInterval(pollTimer);
      for (const wake of [...sleepers]) wake();
      const left = [...owned.values()];
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...working, ...(scanning ? [scanning] : [])]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      // Counted after the chunks in flight landed: what is really left.
      const unfinished = left.filter((job) => job.sent < job.targets.length);
      return {
        jobs: unfinished.length,
        unsent: unfinished.reduce((sum, job) => sum + job.targets.length - job.sent, 0),
        stuck: unfinished.filter((job) => owned.has(job.id)).length,
      };
    },
  };
}
