import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What users.info says of a user's locale unless a test set another (setUserLocale). */
export const DEFAULT_USER_LOCALE = 'en-US';

/** One call the bot made to the (fake) Slack Web API or to a response_url. */
export interface RecordedCall {
  /** Web API method (e.g. 'chat.postMessage'), or 'response_url:<path>' for a response URL. */
  method: string;
  /** Form fields or JSON body, with JSON-looking form fields (blocks, view) parsed. */
  body: Record<string, unknown>;
  token?: string;
  at: number;
}

/**
 * A file uploaded with Slack's upload flow and completed: what files.getUploadURLExternal declared,
 * the bytes posted to its upload URL, and where files.completeUploadExternal shared it.
 */
export interface FakeUpload {
  fileId: string;
  filename: string;
  /** The length declared to files.getUploadURLExternal (the bytes are checked against it). */
  length: number;
  altText?: string;
  title?: string;
  bytes: Buffer;
  /** Where it was shared; undefined for a file completed without a channel (private to the app). */
  channelId?: string;
  initialComment?: string;
  threadTs?: string;
  token?: string;
  at: number;
}

/** A workspace the fake lets install the app: what oauth.v2.access answers for its code. */
export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  scopes: string[];
  installerUserId: string;
  enterpriseId?: string;
}

type Responder = (
  call: RecordedCall,
) => { status?: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A local HTTP server that plays the Slack Web API at `url` (point SLACK_API_URL there) and the
 * response URLs of slash commands and interactions (`responseUrl(name)`). It records every call in
 * order, answers `{ ok: true, ... }` like Slack, and lets a test script other answers (errors,
 * rate limits with Retry-After) with `respondWith`.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** Files completed through files.completeUploadExternal, in order. */
  readonly uploads: FakeUpload[] = [];
  /** Files asked for with files.getUploadURLExternal, with their bytes once posted. */
  private readonly pendingUploads = new Map<
    string,
    Omit<FakeUpload, 'bytes' | 'at' | 'channelId' | 'initialComment' | 'threadTs' | 'title'> & { bytes?: Buffer }
  >();
  private server: Server | undefined;
  private responders: Responder[] = [];
  private messageCounter = 0;
  private readonly installCodes = new Map<string, FakeWorkspace>();
  private readonly usedCodes = new Set<string>();
  private readonly userLocales = new Map<string, string>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The Web API base, with a trailing slash as @slack/web-api expects. */
  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/`;
  }

  /** A response_url the fake records calls to, as Slack gives one with each command. */
  responseUrl(name = 'default'): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/response/${name}`;
  }

  /** Answers the next matching calls differently; return undefined to fall through to the default. */
  respondWith(responder: Responder): void {
    this.responders.push(responder);
  }

  /**
   * Lets a workspace install the app: oauth.v2.access answers `code` (once, as Slack does) with the
   * workspace's bot token, and auth.test with that token names the workspace.
   */
  installCode(code: string, workspace: FakeWorkspace): void {
    this.installCodes.set(code, workspace);
  }

  /**
   * The locale users.info reports for a user (Slack's language setting, e.g. 'da-DK'); every other
   * user's is DEFAULT_USER_LOCALE.
   */
  setUserLocale(userId: string, locale: string): void {
    this.userLocales.set(userId, locale);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const raw = bytes.toString('utf8');
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/upload/')) return this.receiveUpload(path.slice('/upload/'.length), bytes, req);
    const method = path.startsWith('/api/')
      ? path.slice('/api/'.length)
      : `response_url:${path.slice('/response/'.length)}`;
    const call: RecordedCall = { method, body: parseBody(raw, req.headers['content-type']), at: Date.now() };
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) call.token = auth.slice('Bearer '.length);
    else if (typeof call.body.token === 'string') call.token = call.body.token;
    this.calls.push(call);

    for (const responder of this.responders) {
      const answer = responder(call);
      if (answer) return { status: answer.status ?? 200, headers: answer.headers, body: answer.body ?? { ok: true } };
    }
    if (method.startsWith('response_url:')) return { status: 200, body: { ok: true } };
    this.messageCounter += 1;
    const ts = `1700000000.${String(this.messageCounter).padStart(6, '0')}`;
    const channel = typeof call.body.channel === 'string' ? call.body.channel : undefined;
    switch (method) {
      case 'auth.test': {
        const workspace = [...this.installCodes.values()].find((candidate) => candidate.botToken === call.token);
        if (workspace) {
          return {
            status: 200,
            body: {
              ok: true,
              user_id: workspace.botUserId,
              bot_id: `B${workspace.teamId}`,
              team_id: workspace.teamId,
              team: workspace.teamName,
              user: 'iex',
              url: `https://${workspace.teamName.toLowerCase()}.slack.com/`,
            },
          };
        }
        return { status: 200, body: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'iex' } };
      }
      case 'oauth.v2.access': {
        const code = typeof call.body.code === 'string' ? call.body.code : '';
        const workspace = this.installCodes.get(code);
        if (!workspace || this.usedCodes.has(code)) return { status: 200, body: { ok: false, error: 'invalid_code' } };
        this.usedCodes.add(code);
        return {
          status: 200,
          body: {
            ok: true,
            app_id: 'A1',
            authed_user: { id: workspace.installerUserId },
            scope: workspace.scopes.join(','),
            token_type: 'bot',
            access_token: workspace.botToken,
            bot_user_id: workspace.botUserId,
            team: { id: workspace.teamId, name: workspace.teamName },
            enterprise: workspace.enterpriseId ? { id: workspace.enterpriseId } : null,
            is_enterprise_install: false,
          },
        };
      }
      case 'chat.postMessage':
      case 'chat.update':
        return {
          status: 200,
          body: { ok: true, channel, ts: method === 'chat.update' ? call.body.ts : ts, message: { ts } },
        };
      case 'users.info': {
        const user = typeof call.body.user === 'string' ? call.body.user : '';
        const withLocale = call.body.include_locale === true || call.body.include_locale === 'true';
        return {
          status: 200,
          body: {
            ok: true,
            user: {
              id: user,
              name: `user-${user.toLowerCase()}`,
              ...(withLocale ? { locale: this.userLocales.get(user) ?? DEFAULT_USER_LOCALE } : {}),
            },
          },
        };
      }
      case 'files.getUploadURLExternal':
        return this.uploadUrl(call);
      case 'files.completeUploadExternal':
        return this.completeUpload(call);
      case 'conversations.open': {
        const users = typeof call.body.users === 'string' ? call.body.users : '';
        if (!users) return { status: 200, body: { ok: false, error: 'users_list_not_supplied' } };
        return { status: 200, body: { ok: true, channel: { id: `D${users.split(',')[0]}` } } };
      }
      case 'chat.postEphemeral':
        return { status: 200, body: { ok: true, message_ts: ts } };
      case 'views.publish':
      case 'views.open':
      case 'views.update':
        return { status: 200, body: { ok: true, view: { id: `V${this.messageCounter}` } } };
      default:
        return { status: 200, body: { ok: true } };
    }
  }

  /** files.getUploadURLExternal: a file id and a URL on this server to post its bytes to. */
  private uploadUrl(call: RecordedCall): { status: number; body: unknown } {
    const filename = typeof call.body.filename === 'string' ? call.body.filename : '';
    const length = Number(call.body.length);
    if (!filename || !Number.isInteger(length) || length <= 0)
      return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
    const fileId = `F${String(this.pendingUploads.size + this.uploads.length + 1).padStart(8, '0')}`;
    this.pendingUploads.set(fileId, {
      fileId,
      filename,
      length,
      ...(typeof call.body.alt_text === 'string' ? { altText: call.body.alt_text } : {}),
      ...(call.token ? { token: call.token } : {}),
    });
    const { port } = this.server!.address() as AddressInfo;
    return {
      status: 200,
      body: { ok: true, file_id: fileId, upload_url: `http://127.0.0.1:${port}/upload/${fileId}` },
    };
  }

  /**
   * The upload URL: takes the bytes raw or as multipart/form-data (the file part), as Slack's does,
   * and answers 200 with a short text. The file only counts once files.completeUploadExternal names it.
   */
  private async receiveUpload(
    fileId: string,
    bytes: Buffer,
    req: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
    const pending = this.pendingUploads.get(fileId);
    if (!pending) return { status: 404, body: { ok: false, error: 'file_not_found' } };
    const contentType = req.headers['content-type'] ?? '';
    let data = bytes;
    if (contentType.includes('multipart/form-data')) {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((value) => (value as unknown) instanceof Blob) as unknown as
        Blob | undefined;
      if (!file) return { status: 400, body: { ok: false, error: 'no_file_data' } };
      data = Buffer.from(await file.arrayBuffer());
    }
    pending.bytes = data;
    return { status: 200, body: `OK - ${data.length}` };
  }

  /** files.completeUploadExternal: every named file must have its declared bytes; then it is shared. */
  private completeUpload(call: RecordedCall): { status: number; body: unknown } {
    const files = Array.isArray(call.body.files) ? (call.body.files as Array<{ id?: string; title?: string }>) : [];
    if (files.length === 0) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
    for (const file of files) {
      const pending = file.id ? this.pendingUploads.get(file.id) : undefined;
      if (!pending?.bytes || pending.bytes.length !== pending.length)
        return { status: 200, body: { ok: false, error: 'file_not_found' } };
    }
    const completed = files.map((file) => {
      const pending = this.pendingUploads.get(file.id!)!;
      this.pendingUploads.delete(file.id!);
      const upload: FakeUpload = {
        ...pending,
        bytes: pending.bytes!,
        ...(file.title ? { title: file.title } : {}),
        ...(typeof call.body.channel_id === 'string' ? { channelId: call.body.channel_id } : {}),
        ...(typeof call.body.initial_comment === 'string' ? { initialComment: call.body.initial_comment } : {}),
        ...(typeof call.body.thread_ts === 'string' ? { threadTs: call.body.thread_ts } : {}),
        at: Date.now(),
      };
      this.uploads.push(upload);
      return { id: upload.fileId, name: upload.filename, title: upload.title ?? upload.filename };
    });
    return { status: 200, body: { ok: true, files: completed } };
  }
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return body;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
