import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the (fake) Discord REST API. */
export interface RecordedDiscordCall {
  method: string;
  /** The path below the API base, without the version, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  body: unknown;
  /** The file parts of a multipart request (`files[n]`), with their bytes; the body is its payload_json. */
  files?: RecordedDiscordFile[];
  authorization?: string;
  at: number;
}

export interface RecordedDiscordFile {
  /** The form field, e.g. `files[0]`: Discord matches it to the attachment whose id is n. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

type Responder = (
  call: RecordedDiscordCall,
) => { status?: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A local HTTP server that plays Discord's REST API at `url` (point DISCORD_API_URL there; the
 * client adds `/v10`). It records every call in order, answers like Discord (a message object with
 * an id for message creates and edits, 204 where Discord has no body), and lets a test script
 * other answers — e.g. a 429 with `retry_after` — with `respondWith`, or add the bot to a server
 * and remove it again (`addServer`, `removeServer`).
 */
export class FakeDiscordApi {
  readonly calls: RecordedDiscordCall[] = [];
  private server: Server | undefined;
  private responders: Responder[] = [];
  private counter = 0;
  /** Servers the bot was added to, with their channels: server id → channel ids. */
  private readonly servers = new Map<string, Set<string>>();
  /** Servers the bot was removed from. */
  private readonly removed = new Set<string>();

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

  /**
   * Adds the bot to a server with these channels: GET /channels/{id} then names the server
   * (`guild_id`) and GET /guilds/{id} answers the server, as Discord does for a member.
   */
  addServer(guildId: string, channelIds: string[]): void {
    this.servers.set(guildId, new Set([...(this.servers.get(guildId) ?? []), ...channelIds]));
    this.removed.delete(guildId);
  }

  /**
   * Removes the bot from a server: as Discord answers a bot that is no longer a member, every call
   * about the server or one of its channels is refused with 403 Missing Access (50001).
   */
  removeServer(guildId: string): void {
    this.removed.add(guildId);
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
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const path = (req.url ?? '').split('?')[0]!.replace(/^\/api(\/v\d+)?/, '');
    const { body, files } = await parseBody(raw, req.headers['content-type']);
    if (files) {
      // Like Discord: every attachment the payload names as new must come as its files[n] part.
      const problem = attachmentProblem(body, files);
      if (problem) return { status: 400, body: { message: problem, code: 50035 } };
    }
    const call: RecordedDiscordCall = {
      method: req.method ?? 'GET',
      path,
      body,
      ...(files ? { files } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: Date.now(),
    };
    this.calls.push(call);
    for (const responder of this.responders) {
      const answer = responder(call);
      if (answer) return { status: answer.status ?? 200, headers: answer.headers, body: answer.body };
    }
    const server = this.serverAnswer(call);
    if (server) return server;
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

  /** Answers about the servers added with `addServer`: undefined for anything else. */
  private serverAnswer(call: RecordedDiscordCall): { status: number; body?: unknown } | undefined {
    const guildId = /^\/guilds\/(\d+)$/.exec(call.path)?.[1];
    if (guildId && call.method === 'GET' && this.servers.has(guildId)) {
      return this.removed.has(guildId)
        ? MISSING_ACCESS
        : { status: 200, body: { id: guildId, name: `Server ${guildId}` } };
    }
    const channelId = /^\/channels\/(\d+)/.exec(call.path)?.[1];
    const holder = channelId && [...this.servers].find(([, channels]) => channels.has(channelId))?.[0];
    if (!channelId || !holder) return undefined;
    if (this.removed.has(holder)) return MISSING_ACCESS;
    if (call.method === 'GET' && call.path === `/channels/${channelId}`)
      return { status: 200, body: { id: channelId, type: 0, guild_id: holder, name: `channel-${channelId}` } };
    return undefined;
  }
}

const MISSING_ACCESS = { status: 403, body: { message: 'Missing Access', code: 50001 } };

/**
 * JSON as it is; multipart/form-data (what discord.js sends with files) parsed by the platform's
 * own parser (undici's Response.formData): the message from `payload_json`, the files with their bytes.
 */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files?: RecordedDiscordFile[] }> {
  if (raw.length === 0) return { body: undefined };
  if (contentType?.includes('application/json')) return { body: JSON.parse(raw.toString('utf8')) as unknown };
  if (contentType?.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const payload = form.get('payload_json');
    const files: RecordedDiscordFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') continue;
      const file = value as unknown as Blob & { name?: string };
      files.push({
        field,
        filename: file.name ?? '',
        contentType: file.type,
        bytes: Buffer.from(await file.arrayBuffer()),
      });
    }
    return { body: typeof payload === 'string' ? (JSON.parse(payload) as unknown) : undefined, files };
  }
  return { body: raw.toString('utf8') };
}

/** What Discord refuses in a multipart message: an attachment without its file part, or a file none names. */
function attachmentProblem(body: unknown, files: RecordedDiscordFile[]): string | undefined {
  const attachments = (body as { attachments?: Array<{ id: number | string; filename?: string }> } | undefined)
    ?.attachments;
  for (const file of files) {
    const id = /^files\[(\d+)\]$/.exec(file.field)?.[1];
    const named = attachments?.find((attachment) => String(attachment.id) === id);
    if (!named) return `the file part ${file.field} is named by no attachment`;
    if (named.filename && named.filename !== file.filename)
      return `attachment ${id} is named ${named.filename}, its file ${file.filename}`;
  }
  return undefined;
}
