import { randomBytes } from 'node:crypto';
import { connectStore, type Store } from '../../src/store';

/**
 * A store connection on a database of the test file's own, on the real store the test command
 * started, dropped after the file. Call at the top level of a test file; use the returned getter
 * inside tests.
 */
export function useTestStore(prefix: string): () => Store {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set: run the tests through `npm test`');
  const dbName = `${prefix}_${randomBytes(4).toString('hex')}`;
  let store: Store | undefined;
  beforeAll(async () => {
    store = connectStore(url, { dbName });
    await store.ready();
  });
  afterAll(async () => {
    await store?.connection.dropDatabase();
    await store?.close();
  });
  return () => {
    if (!store) throw new Error('the test store is used before beforeAll ran');
    return store;
  };
}
