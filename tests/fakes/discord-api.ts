import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the (fake) Discord REST API. */
export interface RecordedDiscordCall {
  method: string;
  /** The path below the API base, without the version, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  body: unknown;
  authorization?: string;
  at: number;
}

type Responder = (
  call: RecordedDiscordCall,
) => { status?: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A local HTTP server that plays Discord's REST API at `url` (point DISCORD_API_URL there; the
 * client adds `/v10`). It records every call in order, answers like Discord (a message object with
 * an id for message creates and edits, 204 where Discord has no body), and lets a test script
 * other answers — e.g. a 429 with `retry_after` — with `respondWith`.
 */
export class FakeDiscordApi {
  readonly calls: RecordedDiscordCall[] = [];
  private server: Server | undefined;
  private responders: Responder[] = [];
  private counter = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => {
        // Like Discord, an answer without a body (204) has no content type: clients parse by it.
        res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The API base without a version, as discord.js's `rest.api` option takes it. */
  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  respondWith(responder: Responder): void {
    this.responders.push(responder);
  }

  callsTo(method: string, pathPattern: RegExp): RecordedDiscordCall[] {
    return this.calls.filter((call) => call.method === method && pathPattern.test(call.path));
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body?: unknown }> {
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (data += chunk));
      req.on('end', () => resolve(data));
    });
    const path = (req.url ?? '').split('?')[0]!.replace(/^\/api(\/v\d+)?/, '');
    const call: RecordedDiscordCall = {
      method: req.method ?? 'GET',
      path,
      body: parseBody(raw, req.headers['content-type']),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: Date.now(),
    };
    this.calls.push(call);
    for (const responder of this.responders) {
      const answer = responder(call);
      if (answer) return { status: answer.status ?? 200, headers: answer.headers, body: answer.body };
    }
    if (call.method === 'DELETE') return { status: 204 };
    if (/\/messages(\/[^/]+)?$/.test(path) && (call.method === 'POST' || call.method === 'PATCH')) {
      this.counter += 1;
      const id = path.match(/\/messages\/([^/@]+)$/)?.[1] ?? String(1_300_000_000_000_000_000n + BigInt(this.counter));
      const channelId = path.match(/^\/channels\/([^/]+)/)?.[1] ?? '0';
      return { status: 200, body: { id, channel_id: channelId, ...(call.body as object) } };
    }
    if (/^\/applications\/[^/]+(\/guilds\/[^/]+)?\/commands$/.test(path) && call.method === 'PUT') {
      return {
        status: 200,
        body: (call.body as unknown[]).map((command, index) => ({ id: String(index + 1), ...(command as object) })),
      };
    }
    if (/\/callback$/.test(path)) return { status: 204 };
    return { status: 200, body: {} };
  }
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/json')) return JSON.parse(raw) as unknown;
  if (contentType?.includes('multipart/form-data')) {
    // discord.js sends JSON in a `payload_json` part when files are attached; we send none, but keep it readable.
    const json = /name="payload_json"\r\n(?:[^\r\n]*\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
    return json ? (JSON.parse(json) as unknown) : raw;
  }
  return raw;
}
