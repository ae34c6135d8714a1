import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPool } from './pool';

/** One request of a load run, with wall-clock and monotonic times. */
export interface RequestRecord {
  index: number;
  status: number;
  /** Date.now() when the request was handed to the socket layer. */
  sentAtMs: number;
  /** Date.now() when the whole answer had arrived. */
  answeredAtMs: number;
  /** Monotonic duration of the request, in ms. */
  durationMs: number;
  body: string;
}

export interface LoadRun {
  requests: RequestRecord[];
  /** Monotonic ms from the first request sent to the last answer received. */
  elapsedMs: number;
  startedAtMs: number;
  finishedAtMs: number;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  path: string;
  bodies: readonly string[];
  concurrency: number;
  /** Headers of one request; called at send time (signatures carry a timestamp). */
  headersFor(body: string): OutgoingHttpHeaders;
  /** What an answer must have; anything else aborts the run with the answer in the message. */
  expectStatus: number;
  requestTimeoutMs?: number;
  /** Requests started per second at most (request i not before i / rate s); unset: as fast as answered. */
  ratePerSecond?: number;
}

function post(
  agent: http.Agent,
  target: URL,
  headers: OutgoingHttpHeaders,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () =>
      request.destroy(new Error(`no answer from ${target.href} within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Posts every body once, with `concurrency` requests in flight over keep-alive connections, and
 * records when each was sent and answered. The same client drives the service and the bare
 * baseline server, so their figures differ only by what the server does.
 */
export async function postAll(options: LoadOptions): Promise<LoadRun> {
  const target = new URL(options.path, options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const requests: RequestRecord[] = new Array(options.bodies.length);
  const startedAtMs = Date.now();
  const start = performance.now();
  try {
    await runPool(options.bodies.length, options.concurrency, async (index) => {
      const body = options.bodies[index]!;
      if (options.ratePerSecond) {
        // Pacing the offered load is the point here, not waiting for a state: each request has its slot.
        const wait = start + (index * 1000) / options.ratePerSecond - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const sentAtMs = Date.now();
      const t0 = performance.now();
      const answer = await post(agent, target, options.headersFor(body), body, options.requestTimeoutMs ?? 30_000);
      const durationMs = performance.now() - t0;
      if (answer.status !== options.expectStatus) {
        throw new Error(
          `request ${index} to ${target.href} answered ${answer.status} (expected ${options.expectStatus}): ${answer.body.slice(0, 500)}`,
        );
      }
      requests[index] = {
        index,
        status: answer.status,
        sentAtMs,
        answeredAtMs: Date.now(),
        durationMs,
        body: answer.body,
      };
    });
  } finally {
    agent.destroy();
  }
  return { requests, elapsedMs: performance.now() - start, startedAtMs, finishedAtMs: Date.now() };
}

/**
 * A bare `node:http` server that reads each request body and answers 202 with a small JSON
 * body: the ceiling for what an HTTP ingest can do on this machine with this client.
 */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const answer = JSON.stringify({ accepted: [] });
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Rounds of a bare node:http server answering `run` (the same requests the service gets): one
 * round to warm up, then repeated — at least 3 rounds and 1 s — for a stable rate.
 */
export async function measureBareRate(
  warmUp: (url: string) => Promise<LoadRun>,
  run: (url: string) => Promise<LoadRun>,
): Promise<{ runs: LoadRun[]; elapsedMs: number }> {
  const bare = await startBareServer();
  const rounds: LoadRun[] = [];
  let elapsedMs = 0;
  try {
    await warmUp(bare.url);
    await run(bare.url);
    while (rounds.length < 3 || (elapsedMs < 1_000 && rounds.length < 100)) {
      const round = await run(bare.url);
      rounds.push(round);
      elapsedMs += round.elapsedMs;
    }
  } finally {
    await bare.close();
  }
  return { runs: rounds, elapsedMs };
}
