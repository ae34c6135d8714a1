import mongoose, { type Connection } from 'mongoose';
import { createModels, type Models } from './models';

/** The part of a pino logger the store uses. */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ConnectStoreOptions {
  /** Overrides the database named in the URL (tests use one random database per file). */
  dbName?: string;
  logger?: StoreLogger;
  /** How long an operation waits for a reachable server before it fails; default 5000 ms. */
  serverSelectionTimeoutMS?: number;
}

export interface Store {
  readonly connection: Connection;
  readonly models: Models;
  /** Resolves once connected and every index exists; rejects if the first connection fails. */
  ready(): Promise<void>;
  /** True when the server answers a ping within `timeoutMs`; false after `close()`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens a connection of its own (not mongoose's global default one) and registers the models on
 * it. Returns at once; `ready()` tells when it can be used.
 *
 * After the first connection the driver reconnects by itself: while the server is away each
 * operation fails after `serverSelectionTimeoutMS` (so a consumer can pause and retry), and
 * operations succeed again as soon as the server is back, with no restart.
 */
/** Another instance may drop the same stale index first; that is the outcome we want anyway. */
async function syncIndexes(model: { syncIndexes(): Promise<unknown>; modelName: string }): Promise<void> {
  try {
    await model.syncIndexes();
  } catch (error) {
    const code = (error as { code?: number }).code;
    // 27: IndexNotFound, 85/86: an index of the same name/keys is being built differently meanwhile.
    if (code !== 27 && code !== 85 && code !== 86) throw error;
  }
}

export function connectStore(url: string, opts: ConnectStoreOptions = {}): Store {
  const log = opts.logger;
  const connection = mongoose.createConnection(url, {
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
    // Notice a returning server within seconds rather than the default 10 s.
    heartbeatFrequencyMS: 2000,
    // Fail fast instead of queueing operations in memory while the server is away.
    bufferCommands: false,
    // Indexes are created once, awaited, in ready(): mongoose's background build would hide errors.
    autoIndex: false,
    autoCreate: false,
  });
  const models = createModels(connection);
  let closed = false;

  // An 'error' listener also keeps a failed first connection from becoming an unhandled rejection.
  connection.on('error', (err: unknown) => log?.error({ err }, 'MongoDB connection error'));
  connection.on('disconnected', () => {
    if (!closed) log?.warn({}, 'MongoDB disconnected; the driver keeps reconnecting');
  });
  connection.on('reconnected', () => log?.info({}, 'MongoDB reconnected'));

  let readiness: Promise<void> | undefined;

  return {
    connection,
    models,

    ready() {
      readiness ??= (async () => {
        await connection.asPromise();
        // One model at a time: FerretDB's SQLite backend serialises schema changes anyway.
        // syncIndexes also drops indexes the schema no longer has: an old unique index would
        // otherwise refuse writes the new schema allows.
        for (const model of Object.values(models)) await syncIndexes(model);
        log?.info({ db: connection.name }, 'MongoDB connected, indexes in place');
      })();
      return readiness;
    },

    async ping(timeoutMs = 2000) {
      const db = connection.db;
      if (closed || !db) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          db.command({ ping: 1 }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
          }),
        ]);
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      closed = true;
      await connection.close();
    },
  };
}
