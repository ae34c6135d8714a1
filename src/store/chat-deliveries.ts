import type { mongo } from 'mongoose';
import { chunked } from './bounded';
import { isDuplicateKeyError } from './errors';
import type { Models } from './models';

/**
 * Which chat deliveries were handled, shared by every instance behind one load balancer, so that a
 * delivery the platform repeats (Slack retries an event up to three times over about six minutes,
 * to whichever instance the balancer picks) acts once.
 *
 * The first instance to see a delivery inserts its claim (`chatDeliveries`, `_id` = the key): the
 * unique `_id` decides, exactly, even on FerretDB. The claim holds a short lease that its owner
 * renews while it works, and is marked done when the work ends. A repeat then finds:
 * - done: acknowledge it and do nothing;
 * - a live lease: someone is still at it (or died a moment ago) — the caller decides; Slack's
 *   events are answered with an error so that Slack asks again later;
 * - a lease that passed without done: the owner died before it finished, so the repeat takes the
 *   delivery over by inserting the next attempt (`<key>#2`), decided again by the unique `_id`.
 *
 * Nothing here searches (on FerretDB v1 any filter but `{_id}` reads the whole collection). There
 * is no TTL index on FerretDB v1 either ("expireAfterSeconds is not implemented yet"), so each
 * claim's `_id` is also inserted into the list of the ten minutes it was made in, a collection of
 * its own (`chatDeliveryKeys_<YYYYMMDDHHmm>`); `prune` deletes an expired list's claims by `_id`,
 * STORE_BULK_MAX at a time, and then drops the list. It never reads more than the claims it
 * deletes, however many deliveries are kept.
 */

export type DeliveryClaim = { readonly id: string; readonly attempt: number };

export type DeliveryBegin =
  /** This instance handles it: run the work through `hold`. */
  | { kind: 'first'; claim: DeliveryClaim }
  /** Handled already (or given up on after too many attempts). */
  | { kind: 'done' }
  /** Another claim's lease is live: its owner is at it, or died less than a lease ago. */
  | { kind: 'busy'; leaseUntil: Date };

export interface ChatDeliveries {
  /** Claims `key` for this instance, or says why not. */
  begin(key: string, now?: Date): Promise<DeliveryBegin>;
  /** Reads whether `key` is done or still busy, without claiming it (a repeat waiting for the owner). */
  peek(key: string, now?: Date): Promise<DeliveryBegin['kind'] | 'free'>;
  /** Runs `work` under `claim`, renewing its lease meanwhile, and marks it done however it ends. */
  hold<T>(claim: DeliveryClaim, work: () => Promise<T>): Promise<T>;
  /** Deletes the claims of every expired ten minutes; returns how many claims went. */
  prune(now?: Date): Promise<number>;
}

export interface ChatDeliveriesOptions {
  models: Pick<Models, 'ChatDelivery'>;
  /** Names this instance in its claims. */
  owner: string;
  /** How long a claim stays live without renewal; default 30 s (under Slack's one-minute retry). */
  leaseMs?: number;
  /** How long claims are kept; default 30 min (Slack's retries end after about six). */
  keepMs?: number;
  /** Attempts at one delivery before it is given up on, the first included; default 4 (Slack's 1 + 3). */
  maxAttempts?: number;
  clock?: () => Date;
  /** Told when renewing a lease or marking done failed (the work itself goes on). */
  onError?: (err: unknown, what: string) => void;
}

const LIST_PREFIX = 'chatDeliveryKeys_';
/** Claims are listed by the ten minutes they were made in; a list goes whole once all of it expired. */
export const DELIVERY_LIST_MS = 10 * 60 * 1000;

/** `chatDeliveryKeys_YYYYMMDDHHmm`, the start of the ten minutes (UTC) holding `at`. */
export function deliveryListName(at: Date): string {
  const start = new Date(Math.floor(at.getTime() / DELIVERY_LIST_MS) * DELIVERY_LIST_MS);
  return LIST_PREFIX + start.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

function listStart(name: string): Date | undefined {
  const match = /^chatDeliveryKeys_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(name);
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:00.000Z`);
}

const attemptId = (key: string, attempt: number) => (attempt === 1 ? key : `${key}#${attempt}`);

export function createChatDeliveries(options: ChatDeliveriesOptions): ChatDeliveries {
  const { owner, leaseMs = 30_000, keepMs = 30 * 60_000, maxAttempts = 4 } = options;
  const clock = options.clock ?? (() => new Date());
  const claims = options.models.ChatDelivery.collection as unknown as mongo.Collection<{
    _id: string;
    owner: string;
    leaseUntil: Date;
    done: boolean;
    at: Date;
  }>;
  // The lists are collections made and dropped as time passes, not models: the native database.
  const db = (): mongo.Db => {
    const native = options.models.ChatDelivery.db.db;
    if (!native) throw new Error('the store is not connected');
    return native;
  };
  const list = (name: string) => db().collection<{ _id: string }>(name);

  /** Lists then inserts; a duplicate means another instance holds this attempt. */
  async function tryClaim(id: string, attempt: number, now: Date): Promise<DeliveryClaim | undefined> {
    // Listed first: a crash between the two leaves a listed id without a claim, never a claim
    // that no prune would find.
    try {
      await list(deliveryListName(now)).insertOne({ _id: id });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    try {
      await claims.insertOne({ _id: id, owner, leaseUntil: new Date(now.getTime() + leaseMs), done: false, at: now });
      return { id, attempt };
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  /** Follows the attempts of `key` to the one that decides, claiming a free one if `claim`. */
  async function resolve(key: string, now: Date, claim: boolean): Promise<DeliveryBegin | { kind: 'free' }> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const id = attemptId(key, attempt);
      if (claim) {
        const claimed = await tryClaim(id, attempt, now);
        if (claimed) return { kind: 'first', claim: claimed };
      }
      const found = await claims.findOne({ _id: id });
      // Deleted between our insert and read (pruned): long expired, so handled long ago.
      if (!found) return claim ? { kind: 'done' } : { kind: 'free' };
      if (found.done) return { kind: 'done' };
      if (found.leaseUntil.getTime() > now.getTime()) return { kind: 'busy', leaseUntil: found.leaseUntil };
      // Its owner stopped renewing before it finished: the next attempt decides.
    }
    return { kind: 'done' };
  }

  const report = (err: unknown, what: string) => options.onError?.(err, what);

  return {
    async begin(key, now = clock()) {
      const outcome = await resolve(key, now, true);
      return outcome.kind === 'free' ? { kind: 'done' } : outcome;
    },

    async peek(key, now = clock()) {
      return (await resolve(key, now, false)).kind;
    },

    async hold(claim, work) {
      const renew = setInterval(
        () => {
          const leaseUntil = new Date(clock().getTime() + leaseMs);
          claims
            .updateOne({ _id: claim.id }, { $set: { leaseUntil } })
            .catch((error: unknown) => report(error, 'renewing a delivery claim'));
        },
        Math.max(1000, Math.floor(leaseMs / 3)),
      );
      renew.unref();
      try {
        return await work();
      } finally {
        clearInterval(renew);
        await claims
          .updateOne({ _id: claim.id }, { $set: { done: true } })
          .catch((error: unknown) => report(error, 'marking a delivery done'));
      }
    },

    async prune(now = clock()) {
      const names = await db()
        .listCollections({ name: { $regex: `^${LIST_PREFIX}` } }, { nameOnly: true })
        .toArray();
      let deleted = 0;
      for (const { name } of names) {
        const start = listStart(name);
        // Every claim in the list was made before its end; kept until `keepMs` after that.
        if (!start || start.getTime() + DELIVERY_LIST_MS + keepMs > now.getTime()) continue;
        const ids = (
          await list(name)
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map(({ _id }) => _id);
        for (const slice of chunked(ids)) {
          const result = await claims.bulkWrite(
            slice.map((id) => ({ deleteOne: { filter: { _id: id } } })),
            { ordered: false },
          );
          deleted += result.deletedCount;
        }
        // Dropped last: a prune stopped halfway finds the list again next time.
        await list(name)
          .drop()
          .catch((error: unknown) => {
            if ((error as { codeName?: string }).codeName !== 'NamespaceNotFound') throw error;
          });
      }
      return deleted;
    },
  };
}
