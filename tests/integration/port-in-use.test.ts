import { createServer, type Server } from 'node:net';
import { createApp } from '../../src/app';
import { ListenError } from '../../src/http/listen';
import { connectStore } from '../../src/store';
import { captureLogger, testConfig } from '../support/test-env';

describe('starting on a port that is in use', () => {
  let holder: Server;
  let port: number;

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('stops at once, naming the port and the cause, before it seeds anything or joins a consumer group', async () => {
    const config = testConfig({ PORT: String(port), DEMO_SEED: 'true' });
    const { logger, records } = captureLogger();
    const app = createApp(config, logger);
    const failure = await app.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await app.stop();

    expect(failure).toBeInstanceOf(ListenError);
    expect((failure as Error).message).toBe(
      `port ${port} on 127.0.0.1 is already in use by another process (another IEX ChatOps?): stop it, or start this one with PORT=<another port>`,
    );
    expect(records.map((record) => record.msg)).not.toContain('seeded the demo tenant');
    expect(records.map((record) => record.msg)).not.toContain('consumer started');

    const store = connectStore(config.MONGO_URL);
    await store.ready();
    try {
      expect(await store.models.Tenant.countDocuments({})).toBe(0);
    } finally {
      await store.connection.dropDatabase();
      await store.close();
    }
  });
});
