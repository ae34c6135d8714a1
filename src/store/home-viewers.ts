import type { mongo } from 'mongoose';
import { isDuplicateKeyError } from './errors';
import type { Models } from './models';

/**
 * Who opened a chat platform's Home view of a tenant, shared by every instance: an instance that
 * learns of a change (an alert, a button clicked through it) refreshes the views opened through
 * the others too.
 *
 * One document per platform and tenant (`homeViewers`, `_id` `<platform>:<tenant>`), read and
 * written by `_id` only. An opening sets its own field, `viewers.<workspace>:<user>`, in one
 * update that returns the document: on MongoDB two openings at once both land; FerretDB v1 applies
 * an update as read-modify-write, so there two openings in the same instant can lose one — that
 * viewer's tab is refreshed again from their next opening. The writer then removes, in one more
 * update by `_id`, whoever was last seen longer ago than `keepMs` and the oldest beyond
 * `maxPerTenant`, so the document stays bounded without any sweep.
 */

export interface HomeViewer {
  workspaceId: string;
  userId: string;
  displayName?: string;
}

interface StoredViewer extends HomeViewer {
  seenAt: Date;
}

export interface HomeViewers {
  /** Someone opened the Home view: remember them (again), newest last. */
  remember(platform: string, tenantId: string, viewer: HomeViewer, now?: Date): Promise<void>;
  /** The viewers seen within `keepMs`, newest first. */
  list(platform: string, tenantId: string, now?: Date): Promise<HomeViewer[]>;
}

export interface HomeViewersOptions {
  models: Pick<Models, 'HomeViewers'>;
  /** The most viewers kept per tenant; the longest unseen go first. Default 1000. */
  maxPerTenant?: number;
  /** A viewer not seen for this long is no longer refreshed (nor kept). Default 24 h. */
  keepMs?: number;
  clock?: () => Date;
}

export const homeViewersId = (platform: string, tenantId: string) => `${platform}:${tenantId}`;

/** A field name that cannot be read as a path or an operator (no `.`, no leading `$`). */
const fieldOf = ({ workspaceId, userId }: HomeViewer) =>
  encodeURIComponent(`${workspaceId}:${userId}`).replace(/\./g, '%2E');

export function createHomeViewers(options: HomeViewersOptions): HomeViewers {
  const { maxPerTenant = 1000, keepMs = 24 * 60 * 60 * 1000 } = options;
  const clock = options.clock ?? (() => new Date());
  const docs = options.models.HomeViewers.collection as unknown as mongo.Collection<{
    _id: string;
    viewers?: Record<string, StoredViewer>;
  }>;

  const byNewest = (viewers: Record<string, StoredViewer>) =>
    Object.entries(viewers).sort(([, a], [, b]) => new Date(b.seenAt).getTime() - new Date(a.seenAt).getTime());

  return {
    async remember(platform, tenantId, viewer, now = clock()) {
      const _id = homeViewersId(platform, tenantId);
      const stored: StoredViewer = {
        workspaceId: viewer.workspaceId,
        userId: viewer.userId,
        ...(viewer.displayName ? { displayName: viewer.displayName } : {}),
        seenAt: now,
      };
      const update = () =>
        docs.findOneAndUpdate(
          { _id },
          { $set: { [`viewers.${fieldOf(viewer)}`]: stored } },
          { upsert: true, returnDocument: 'after' },
        );
      // The first two openings of a tenant's view at once both insert; the loser's retry updates.
      const doc = await update().catch((error: unknown) => {
        if (isDuplicateKeyError(error)) return update();
        throw error;
      });
      const oldest = now.getTime() - keepMs;
      const gone = byNewest(doc?.viewers ?? {})
        .filter(([, seen], index) => index >= maxPerTenant || new Date(seen.seenAt).getTime() < oldest)
        .map(([field]) => field);
      if (gone.length > 0) {
        await docs.updateOne({ _id }, { $unset: Object.fromEntries(gone.map((field) => [`viewers.${field}`, ''])) });
      }
    },

    async list(platform, tenantId, now = clock()) {
      const doc = await docs.findOne({ _id: homeViewersId(platform, tenantId) });
      const oldest = now.getTime() - keepMs;
      return byNewest(doc?.viewers ?? {})
        .filter(([, seen]) => new Date(seen.seenAt).getTime() >= oldest)
        .slice(0, maxPerTenant)
        .map(([, { workspaceId, userId, displayName }]) => ({
          workspaceId,
          userId,
          ...(displayName ? { displayName } : {}),
        }));
    },
  };
}
