// A fake Telegram Bot API on 127.0.0.1, speaking the real protocol at `${url}/bot<token>/<method>`: JSON in,
// `{ok, result}` or `{ok: false, error_code, description, parameters}` out, long-polled getUpdates that
// honours offset and timeout. It records every call, keeps what was delivered, and can be scripted to fail
// the next calls of a method (429 with retry_after, 5xx) the way Telegram does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TelegramCall {
  method: string;
  body: any;
  /** HTTP status the fake answered with. */
  status: number;
  /** Which client called, when its API root ends in `/<via>/` (see viaRoot): tells gateway instances apart. */
  via?: string;
}

export interface SentMessage {
  chatId: string;
  text: string;
  replyMarkup?: any;
  messageId: number;
}

export type TelegramScript = { status: 429; retryAfter: number } | { status: 400 | 403 | 500 | 502 | 503; description?: string };

export class FakeTelegramApi {
  readonly calls: TelegramCall[] = [];
  readonly sent: SentMessage[] = [];
  webhook?: { url: string; secret_token?: string };
  url = '';
  private readonly scripts = new Map<string, TelegramScript[]>();
  private readonly updates: { update_id: number }[] = [];
  private readonly waiters = new Set<() => void>();
  private nextUpdateId = 900_000_001;
  private nextMessageId = 50_001;
  private server?: Server;
  private readonly viaOf = new WeakMap<ServerResponse, string>();

  constructor(readonly token = '7000000001:AAHfakeFAKEfakeFAKEfakeFAKEfake01') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** An API root for TELEGRAM_API_ROOT whose calls are recorded with `via` (one per gateway instance). */
  viaRoot(via: string): string {
    return `${this.url}/${via}/`;
  }

  /** The next calls of `method` get these answers, in order, before normal service resumes. */
  failNext(method: string, ...answers: TelegramScript[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
  }

  /** Queues an update for getUpdates (polling mode); its update_id is assigned here unless given. */
  pushUpdate(update: Record<string, unknown>): number {
    const update_id = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId++;
    this.updates.push({ ...update, update_id });
    for (const wake of this.waiters) wake();
    return update_id;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): number {
    return this.updates.length;
  }

  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  sentTo(chatId: string | number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  async waitForSent(pred: (m: SentMessage) => boolean, ms = 20_000): Promise<SentMessage> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const hit = this.sent.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no sendMessage matched within ${ms} ms; sent: ${JSON.stringify(this.sent.map((m) => [m.chatId, m.text.slice(0, 40)]))}`);
  }

  /** Files the bot can download (getFile, then GET /file/bot<token>/<file_path>), by file_id. */
  readonly files = new Map<string, Buffer>();

  addFile(fileId: string, bytes: Buffer): void {
    this.files.set(fileId, bytes);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = /^(?:\/[\w-]+)?\/file\/bot([^/]+)\/files\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (file) {
      const bytes = file[1] === this.token ? this.files.get(decodeURIComponent(file[2]!)) : undefined;
      this.calls.push({ method: '(file)', body: { path: file[2] }, status: bytes ? 200 : 404 });
      res.writeHead(bytes ? 200 : 404, { 'content-type': bytes ? 'application/octet-stream' : 'text/plain' });
      return void res.end(bytes ?? 'Not Found');
    }
    const match = /^(?:\/([\w-]+))?\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const raw = await readBody(req);
    let body: any = {};
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
    } catch {
      return this.answer(res, '(unparsed)', body, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    if (!match) return this.answer(res, '(none)', body, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, via, token, method] = match;
    if (via) this.viaOf.set(res, via);
    if (token !== this.token) return this.answer(res, method, body, 401, { ok: false, error_code: 401, description: 'Unauthorized' });

    const scripted = this.scripts.get(method)?.shift();
    if (scripted) {
      if (scripted.status === 429)
        return this.answer(res, method, body, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${scripted.retryAfter}`,
          parameters: { retry_after: scripted.retryAfter },
        });
      return this.answer(res, method, body, scripted.status, { ok: false, error_code: scripted.status, description: scripted.description ?? 'Internal Server Error' });
    }

    switch (method) {
      case 'getMe':
        return this.ok(res, method, body, { id: Number(this.token.split(':')[0]), is_bot: true, first_name: '12345', username: 'Beijing12345Bot' });
      case 'setWebhook':
        this.webhook = { url: body.url, secret_token: body.secret_token };
        return this.ok(res, method, body, true);
      case 'deleteWebhook':
        this.webhook = undefined;
        return this.ok(res, method, body, true);
      case 'getUpdates':
        return this.getUpdates(res, body);
      case 'sendMessage':
        return this.sendMessage(res, body);
      case 'answerCallbackQuery':
        return this.ok(res, method, body, true);
      case 'getFile': {
        const bytes = this.files.get(String(body.file_id));
        if (!bytes) return this.answer(res, method, body, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return this.ok(res, method, body, { file_id: body.file_id, file_unique_id: `u${body.file_id}`, file_size: bytes.length, file_path: `files/${encodeURIComponent(body.file_id)}` });
      }
      default:
        return this.answer(res, method, body, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private async getUpdates(res: ServerResponse, body: any): Promise<void> {
    if (this.webhook) return this.answer(res, 'getUpdates', body, 409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active" });
    const offset = Number(body.offset ?? 0);
    // An offset confirms every update before it: Telegram forgets them.
    if (offset > 0) for (let i = this.updates.length - 1; i >= 0; i--) if (this.updates[i].update_id < offset) this.updates.splice(i, 1);
    const deadline = Date.now() + Math.min(Number(body.timeout ?? 0), 50) * 1000;
    // The client may give up on the long poll (an adapter stopping): then there is nobody to answer.
    let gone = false;
    res.on('close', () => {
      gone = true;
      for (const wake of this.waiters) wake();
    });
    while (this.updates.length === 0 && Date.now() < deadline && !gone) {
      await new Promise<void>((wake) => {
        const done = () => {
          this.waiters.delete(done);
          clearTimeout(timer);
          wake();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        this.waiters.add(done);
      });
    }
    if (gone) return;
    this.ok(res, 'getUpdates', body, this.updates.slice(0, Number(body.limit ?? 100)));
  }

  private sendMessage(res: ServerResponse, body: any): void {
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text.trim()) return this.answer(res, 'sendMessage', body, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if (text.length > 4096) return this.answer(res, 'sendMessage', body, 400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    const buttons: any[] = body.reply_markup?.inline_keyboard?.flat() ?? [];
    if (buttons.some((b) => Buffer.byteLength(String(b.callback_data ?? '')) > 64 || !b.callback_data))
      return this.answer(res, 'sendMessage', body, 400, { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    const messageId = this.nextMessageId++;
    this.sent.push({ chatId: String(body.chat_id), text, ...(body.reply_markup ? { replyMarkup: body.reply_markup } : {}), messageId });
    this.ok(res, 'sendMessage', body, {
      message_id: messageId,
      from: { id: Number(this.token.split(':')[0]), is_bot: true, first_name: '12345', username: 'Beijing12345Bot' },
      chat: { id: Number(body.chat_id), type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}),
    });
  }

  private ok(res: ServerResponse, method: string, body: any, result: unknown): void {
    this.answer(res, method, body, 200, { ok: true, result });
  }

  private answer(res: ServerResponse, method: string, body: any, status: number, payload: unknown): void {
    const via = this.viaOf.get(res);
    this.calls.push({ method, body, status, ...(via ? { via } : {}) });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Posts an update to the gateway's webhook as Telegram does, with the secret header (or a given one). A string is sent as is. */
export async function postUpdate(gatewayUrl: string, update: unknown, secret: string | undefined): Promise<{ status: number; body: string }> {
  const res = await fetch(`${gatewayUrl}/api/channels/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: typeof update === 'string' ? update : JSON.stringify(update),
  });
  return { status: res.status, body: await res.text() };
}
