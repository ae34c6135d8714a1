import { randomUUID } from 'node:crypto';
import type { Models } from '../../store';
import { claimLease, dropExpiredLease, extendLease, readLease, releaseLease } from '../../store/leases';
import { TenantBusy } from './contract';

/** The claim every change of a whole tenant holds: apply, webhook secret rotation, erasure. */
export const tenantClaimName = (tenantId: string) => `tenant-change:${tenantId}`;

/** How long a claim outlives an instance that died holding it. */
const CLAIM_MS = 60_000;
/** Renewed well before it runs out, so a long erasure keeps it. */
const RENEW_MS = 20_000;

export interface TenantClaimOptions {
  claimMs?: number;
  renewMs?: number;
}

/**
 * Runs `work` holding the tenant's change claim, so that two applies, a rotation and an apply, or
 * an erasure and anything else never interleave their writes (FerretDB has no transactions). The
 * claim is a lease named `tenant-change:<tenantId>`: the unique `_id` lets one of several
 * concurrent claimants win, exactly. It is renewed while `work` runs and removed after it;
 * one left by an instance that died is taken over once it has run out.
 *
 * @throws TenantBusy when another change of the tenant holds the claim.
 */
export async function withTenantClaim<T>(
  models: Pick<Models, 'Lease'>,
  tenantId: string,
  work: () => Promise<T>,
  options: TenantClaimOptions = {},
): Promise<T> {
  const claimMs = options.claimMs ?? CLAIM_MS;
  const renewMs = options.renewMs ?? RENEW_MS;
  const name = tenantClaimName(tenantId);
  const owner = randomUUID();
  const claim = () => claimLease(models.Lease, { name, owner, until: new Date(Date.now() + claimMs) });
  if (!(await claim())) {
    const held = await readLease(models.Lease, name);
    const expired = held && held.until.getTime() <= Date.now();
    if (!(expired && (await dropExpiredLease(models.Lease, name, held.until)) && (await claim()))) {
      throw new TenantBusy(tenantId);
    }
  }

  let renewal: Promise<void> | undefined;
  const timer = setInterval(() => {
    renewal ??= extendLease(models.Lease, name, new Date(Date.now() + claimMs))
      .catch(() => {
        // The next renewal tries again; the claim lasts claimMs from the last one that landed.
      })
      .finally(() => {
        renewal = undefined;
      });
  }, renewMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    // A renewal landing after the release would re-create nothing (it updates by _id), but wait for
    // it so the claim is really gone when this returns.
    await renewal;
    await releaseLease(models.Lease, name, owner);
  }
}
