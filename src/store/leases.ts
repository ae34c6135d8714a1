import { isDuplicateKeyError } from './errors';
import type { Models } from './models';

type LeaseModel = Models['Lease'];

/** A claim as it is inserted (see the Lease model): its name is also its `_id`. */
export interface NewLease {
  name: string;
  owner: string;
  until: Date;
  /** Groups claims for deletion (`deleteEndedTicks`); claims without `tick` are never the scheduler's to take over. */
  job?: string;
  tick?: Date;
  attempt?: number;
  done?: boolean;
  by?: { platform: string; userId: string; displayName?: string };
}

/**
 * Takes a claim: true when this insert won it, false when it exists already (the unique index
 * refused the insert: the one write FerretDB keeps exact under concurrency). Other store errors
 * are thrown: acting without the claim could do the thing twice.
 */
export async function claimLease(Lease: LeaseModel, lease: NewLease): Promise<boolean> {
  try {
    await Lease.create({ done: false, ...lease });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** A claim by name, read by `_id`; undefined when there is none. */
export async function readLease(Lease: LeaseModel, name: string) {
  return (await Lease.findOne({ _id: name }).lean()) ?? undefined;
}

/** Moves a claim's `until` (renewal, or `now` to hand it over at once); only its owner writes it. */
export async function extendLease(Lease: LeaseModel, name: string, until: Date): Promise<void> {
  await Lease.updateOne({ _id: name }, { $set: { until } });
}

/** Marks a claim finished at `at` (kept until deleted, so a late instance still finds it taken). */
export async function endLease(Lease: LeaseModel, name: string, at: Date): Promise<void> {
  await Lease.updateOne({ _id: name }, { $set: { done: true, until: at } });
}

/**
 * Removes a claim that expired at `until`, so it can be claimed again. True for the one caller
 * whose delete removed it: a delete's count is exact, so of several instances that saw the same
 * expired claim, one wins.
 */
export async function dropExpiredLease(Lease: LeaseModel, name: string, until: Date): Promise<boolean> {
  const { deletedCount } = await Lease.deleteOne({ _id: name, until });
  return deletedCount === 1;
}

/**
 * Gives a claim up at once (it is not kept like a tick's: nothing needs to find it taken after).
 * Only its owner's delete removes it: a claim that expired and was taken over stays the new owner's.
 */
export async function releaseLease(Lease: LeaseModel, name: string, owner: string): Promise<boolean> {
  const { deletedCount } = await Lease.deleteOne({ _id: name, owner });
  return deletedCount === 1;
}
