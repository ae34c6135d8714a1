import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { DependencyCheck } from './health';

/** A tiny collection of its own: each check leaves nothing behind in it. */
export const HEALTH_COLLECTION = 'healthChecks';

/** mongoose's readyState for "disconnected": the driver has lost the server and is reconnecting. */
const DISCONNECTED = 0;

/** The driver's errors that mean "no server to talk to", as opposed to a server that refused. */
const CONNECTION_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

function isConnectionError(error: unknown): boolean {
  return error instanceof Error && CONNECTION_ERRORS.has(error.name);
}

/**
 * The store's health as the service uses it: a real write and a real read, not a ping. A wedged
 * store (every query timing out) still answers ping, so ping alone said "ok" while webhooks hung.
 *
 * Every operation filters on exactly `{ _id }`: on FerretDB that is the one cheap filter, so the
 * check costs the same however the collection grows (and it stays empty).
 */
export function storeHealthCheck(connection: Connection, name = 'mongodb'): DependencyCheck {
  return {
    name,
    async check() {
      if (connection.readyState === DISCONNECTED) return false;
      // Before its first connection mongoose has no `db` yet; the client's operations wait for the
      // server all the same, so a server that accepts connections and never answers shows as a timeout.
      const db = connection.db ?? connection.getClient()?.db();
      if (!db) return false;
      const collection = db.collection<{ _id: string; at: Date }>(HEALTH_COLLECTION);
      const _id = `health-${Date.now()}-${randomBytes(6).toString('hex')}`;
      try {
        await collection.insertOne({ _id, at: new Date() });
        try {
          const found = await collection.findOne({ _id });
          if (!found) return { problem: 'a document just written could not be read back' };
        } finally {
          await collection.deleteOne({ _id });
        }
        return true;
      } catch (error) {
        if (isConnectionError(error)) return false;
        throw error;
      }
    },
    // Lost (the driver noticed it is gone) and silent (connected, but no answer) call for different fixes.
    onTimeout: (ms) => (connection.readyState === DISCONNECTED ? 'unreachable' : `timeout after ${ms} ms`),
  };
}
