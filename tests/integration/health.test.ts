import express from 'express';
import type { Server } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createProgressWatch } from '../../src/http/consumer-progress';
import { createHttpApp, type HttpServerDeps } from '../../src/http/server';
import { createMetrics } from '../../src/config/metrics';
import { HEALTH_COLLECTION, storeHealthCheck } from '../../src/http/store-health';
import { ensureTopics } from '../../src/kafka/admin';
import { createKafkaProbe } from '../../src/kafka/health';
import { createNaming } from '../../src/kafka/topics';
import { connectStore, type Store } from '../../src/store';
import { testKafka } from '../support/kafka';
import { captureLogger, testConfig } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** Serves an HTTP app on a free loopback port for one test; returns its base URL and a stop. */
async function serve(deps: Omit<HttpServerDeps, 'logger' | 'metrics'> & Partial<HttpServerDeps>) {
  const { logger, records } = captureLogger();
  const metrics = deps.metrics ?? createMetrics();
  const server: Server = createHttpApp({ logger, metrics, ...deps }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    metrics,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A "store" that accepts connections and never answers a byte: the driver connects, and its
 * handshake and every operation wait for ever. This is what a wedged store looks like from here.
 */
async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('/healthz on the real broker and store', () => {
  const config = testConfig();
  const naming = createNaming(config.KAFKA_NAMESPACE);
  const group = naming.group('iex.transfer-recorder');
  const topic = naming.topic('transfers');
  let store: Store;
  let probe: ReturnType<typeof createKafkaProbe>;

  beforeAll(async () => {
    store = connectStore(config.MONGO_URL);
    await store.ready();
    await ensureTopics(testKafka(), naming, { partitions: 3, replicationFactor: 1 });
    probe = createKafkaProbe(config.KAFKA_BROKERS, 'health-test');
  });

  afterAll(async () => {
    await probe?.close();
    await store?.connection.dropDatabase().catch(() => undefined);
    await store?.close();
  });

  it('answers 200 when the store takes a write and a read, the broker answers and the recorder is idle', async () => {
    const metrics = createMetrics();
    const recorder = createProgressWatch({
      name: 'recorder',
      readLag: () => probe.groupLag(group, topic),
      stuckAfterMs: 120_000,
      onReading: (lag) => metrics.consumerLag.set({ group }, lag),
    });
    const http = await serve({
      metrics,
      checks: [{ name: 'kafka', check: () => probe.check() }, storeHealthCheck(store.connection), recorder],
      beforeScrape: [() => recorder.check()],
    });
    try {
      // A broker that has just created the topics answers "not the leader" for a moment: a
      // readiness probe asks again, and so does this test.
      const response = await waitFor('a healthy answer', async () => {
        const answer = await fetch(`${http.url}/healthz`);
        return answer.status === 200 ? answer : undefined;
      });
      expect(await response.json()).toEqual({
        status: 'ok',
        checks: { kafka: 'ok', mongodb: 'ok', recorder: 'ok' },
      });
      expect(response.status).toBe(200);
      // The check leaves nothing behind.
      expect(await store.connection.db!.collection(HEALTH_COLLECTION).countDocuments({})).toBe(0);
      const scraped = await (await fetch(`${http.url}/metrics`)).text();
      expect(scraped).toContain(`iex_consumer_lag{group="${group}"} 0`);
      expect(scraped).toContain('iex_dependency_up{dependency="recorder"} 1');
    } finally {
      await http.stop();
    }
  });

  it('answers 503 "timeout after N ms" for a store that accepts connections and never answers', async () => {
    const hole = await blackHole();
    const silent = connectStore(`mongodb://127.0.0.1:${hole.port}/iex_black_hole`);
    const http = await serve({
      checks: [{ name: 'kafka', check: () => probe.check() }, storeHealthCheck(silent.connection)],
      healthTimeoutMs: 500,
    });
    try {
      const started = Date.now();
      const response = await fetch(`${http.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'unavailable',
        checks: { kafka: 'ok', mongodb: 'timeout after 500 ms' },
      });
      // Answered at the health deadline, well inside the request deadline.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await (await fetch(`${http.url}/metrics`)).text()).toContain('iex_dependency_up{dependency="mongodb"} 0');
    } finally {
      await http.stop();
      await hole.close();
      await silent.close().catch(() => undefined);
    }
  });

  it('reports the recorder stuck while its group is behind on the real topic and commits nothing', async () => {
    const stuckGroup = naming.group(`stuck-${randomBytes(3).toString('hex')}`);
    const producer = testKafka().producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [0, 1, 2].map((n) => ({ key: `k${n}`, value: JSON.stringify({ n }) })),
      });
    } finally {
      await producer.disconnect();
    }
    const metrics = createMetrics();
    const recorder = createProgressWatch({
      name: 'recorder',
      // A group that never consumes: behind by everything on the topic, for ever.
      readLag: () => probe.groupLag(stuckGroup, topic),
      stuckAfterMs: 300,
      sampleEveryMs: 50,
      onReading: (lag) => metrics.consumerLag.set({ group: stuckGroup }, lag),
    });
    const http = await serve({ metrics, checks: [recorder] });
    try {
      const first = await fetch(`${http.url}/healthz`);
      expect(first.status).toBe(200);
      const body = await waitFor('the recorder to be reported stuck', async () => {
        const response = await fetch(`${http.url}/healthz`);
        const json = (await response.json()) as { checks: { recorder: string } };
        return response.status === 503 && json;
      });
      expect(body).toEqual({
        status: 'unavailable',
        checks: { recorder: expect.stringMatching(/^stuck: lag 3, no progress for \d+s$/) },
      });
      expect(await (await fetch(`${http.url}/metrics`)).text()).toContain(`iex_consumer_lag{group="${stuckGroup}"} 3`);
    } finally {
      await http.stop();
    }
  });
});

describe('the request deadline', () => {
  /** A test-only router whose requests wait until the test lets them go, then answer or fail. */
  function hangingRoutes() {
    const waiting: Array<() => void> = [];
    const released = () => new Promise<void>((resolve) => waiting.push(resolve));
    const router = express.Router();
    router.get('/hang', async (_req, res) => {
      await released();
      res.status(200).json({ late: true });
    });
    router.get('/hang-then-fail', async () => {
      await released();
      throw new Error('the store answered too late, and with an error');
    });
    router.get('/stream', (_req, res) => {
      // Started before the deadline, finished after it: left alone.
      res.status(200).type('text').write('first ');
      void released().then(() => res.end('last'));
    });
    router.get('/quick', (_req, res) => {
      res.json({ ok: true });
    });
    return { router, waiting, releaseAll: () => waiting.splice(0).forEach((release) => release()) };
  }

  it('answers 503 {"error":"timeout"} with Retry-After when a route does not answer in time', async () => {
    const routes = hangingRoutes();
    const http = await serve({
      checks: [],
      requestTimeoutMs: 300,
      routers: [{ path: '/test', router: routes.router }],
    });
    try {
      const response = await fetch(`${http.url}/test/hang`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ error: 'timeout' });
      expect(http.records).toContainEqual(
        expect.objectContaining({ msg: 'request not answered in time; answered 503', path: '/test/hang' }),
      );

      // The handler answers late: nothing reaches the client, nothing crashes, one line says so.
      expect(routes.waiting).toHaveLength(1);
      routes.releaseAll();
      await waitFor('the late answer to be dropped', () =>
        http.records.some((record) => record.msg === 'dropped the answer of a request that had timed out'),
      );

      // A route that is quick is not touched, and the server still answers.
      const quick = await fetch(`${http.url}/test/quick`);
      expect(quick.status).toBe(200);
      expect(await quick.json()).toEqual({ ok: true });
    } finally {
      routes.releaseAll();
      await http.stop();
    }
  });

  it('keeps a handler that fails after its deadline from answering twice or ending the process', async () => {
    const routes = hangingRoutes();
    const http = await serve({
      checks: [],
      requestTimeoutMs: 300,
      routers: [{ path: '/test', router: routes.router }],
    });
    try {
      const response = await fetch(`${http.url}/test/hang-then-fail`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      routes.releaseAll();
      const logged = await waitFor('the late failure to be logged', () =>
        http.records.find((record) => record.msg === 'a request failed after it had timed out'),
      );
      expect(logged).toMatchObject({ level: 40, path: '/test/hang-then-fail' });
      expect(http.records.some((record) => record.msg === 'request failed')).toBe(false);
      expect((await fetch(`${http.url}/test/quick`)).status).toBe(200);
    } finally {
      routes.releaseAll();
      await http.stop();
    }
  });

  it('leaves a response that started in time to finish', async () => {
    const routes = hangingRoutes();
    const http = await serve({
      checks: [],
      requestTimeoutMs: 300,
      routers: [{ path: '/test', router: routes.router }],
    });
    try {
      const response = await fetch(`${http.url}/test/stream`);
      expect(response.status).toBe(200);
      // A request started after it with the same deadline timing out means the stream's deadline passed too.
      expect((await fetch(`${http.url}/test/hang`)).status).toBe(503);
      const body = response.text();
      routes.releaseAll();
      expect(await body).toBe('first last');
      const timeouts = http.records.filter((record) => record.msg === 'request not answered in time; answered 503');
      expect(timeouts.map((record) => record.path)).toEqual(['/test/hang']);
    } finally {
      routes.releaseAll();
      await http.stop();
    }
  });
});
