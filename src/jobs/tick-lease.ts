import { claimLease, type Models } from '../store';

type LeaseModel = Models['Lease'];

/** The claim of one attempt at one tick of a job; the first attempt keeps the plain `job@tick` name. */
export function tickLeaseName(job: string, tick: Date, attempt = 1): string {
  return `${job}@${tick.toISOString()}${attempt > 1 ? `#${attempt}` : ''}`;
}

export interface TickClaim {
  job: string;
  tick: Date;
  attempt: number;
  owner: string;
  leaseMs: number;
  now: Date;
}

/**
 * Claims an attempt at a tick. True when this instance won it; false when another instance holds
 * it (the unique index refused the insert). Other store errors are thrown: running without the
 * claim could run the tick twice.
 */
export async function claimTick(Lease: LeaseModel, claim: TickClaim): Promise<boolean> {
  return claimLease(Lease, {
    name: tickLeaseName(claim.job, claim.tick, claim.attempt),
    owner: claim.owner,
    until: new Date(claim.now.getTime() + claim.leaseMs),
    job: claim.job,
    tick: claim.tick,
    attempt: claim.attempt,
  });
}

/** Keeps a running claim alive; only its owner writes it, so FerretDB's lost updates cannot bite. */
export async function renewTick(Lease: LeaseModel, name: string, owner: string, until: Date): Promise<void> {
  await Lease.updateOne({ name, owner }, { $set: { until } });
}

/**
 * Marks a claim finished at `at`. It is kept for a while after (see `deleteEndedTicks`): a late
 * instance must still find the tick taken.
 */
export async function finishTick(Lease: LeaseModel, name: string, at: Date): Promise<void> {
  await Lease.updateOne({ name }, { $set: { done: true, until: at } });
}

/** Claims of ticks whose owner stopped renewing them before finishing. */
export async function orphanedTicks(Lease: LeaseModel, now: Date) {
  return Lease.find(
    { done: false, until: { $lt: now } },
    { name: 1, job: 1, tick: 1, attempt: 1, owner: 1, until: 1 },
  ).lean();
}

/** Deletes a job's claims that ended (or whose owner died) before `before`. */
export async function deleteEndedTicks(Lease: LeaseModel, job: string, before: Date): Promise<void> {
  await Lease.deleteMany({ job, until: { $lt: before } });
}
