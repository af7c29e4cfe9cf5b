// A fake of Slack on 127.0.0.1, both sides of the protocol:
//  - FakeSlackApi: the Web API the adapter calls (`${url}/api/<method>`, form-encoded or JSON bodies, bearer
//    token), answering as Slack does ({ok: true, …}, {ok: false, error}, 429 with Retry-After), recording
//    every call, and scriptable to fail the next calls of a method.
//  - SlackSender: Slack posting to our request URLs, signing each request with the signing secret exactly as
//    Slack does (v0 HMAC over "v0:timestamp:body"), as JSON (events) or forms (commands, interactivity).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SIGNATURE_HEADER = 'x-slack-signature';
export const TIMESTAMP_HEADER = 'x-slack-request-timestamp';

/** Slack's v0 request signature (https://api.slack.com/authentication/verifying-requests-from-slack). */
export function signSlackRequest(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export interface SlackCall {
  method: string;
  params: Record<string, any>;
  status: number;
  error?: string;
}

export interface PostedMessage {
  channel: string;
  text: string;
  threadTs?: string;
  blocks?: any[];
  ts: string;
}

export type SlackScript = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly posted: PostedMessage[] = [];
  url = '';
  private readonly scripts = new Map<string, SlackScript[]>();
  private server?: Server;
  private nextTs = 1_764_400_000;

  constructor(readonly token = 'xoxb-1111111111-2222222222-fakeFAKEfakeFAKEfake') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next calls of `method` get these answers, in order, before normal service resumes. */
  failNext(method: string, ...answers: SlackScript[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  postedTo(channel: string): PostedMessage[] {
    return this.posted.filter((m) => m.channel === channel);
  }

  async waitForPosted(pred: (m: PostedMessage) => boolean, ms = 20_000): Promise<PostedMessage> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const hit = this.posted.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no chat.postMessage matched within ${ms} ms; posted: ${JSON.stringify(this.posted.map((m) => [m.channel, m.threadTs, m.text.slice(0, 40)]))}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, '');
    const raw = (await readBody(req)).toString('utf8');
    const params = parseParams(raw, String(req.headers['content-type'] ?? ''));
    const auth = String(req.headers.authorization ?? '');
    if (auth !== `Bearer ${this.token}` && params.token !== this.token) return this.answer(res, method, params, 200, { ok: false, error: 'invalid_auth' });

    const scripted = this.scripts.get(method)?.shift();
    if (scripted) {
      if ('error' in scripted) return this.answer(res, method, params, 200, { ok: false, error: scripted.error });
      if (scripted.status === 429) return this.answer(res, method, params, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(scripted.retryAfter) });
      return this.answer(res, method, params, scripted.status, { ok: false, error: 'internal_error' });
    }

    switch (method) {
      case 'auth.test':
        return this.answer(res, method, params, 200, { ok: true, url: 'https://beijing-enterprises.slack.com/', team: '北京企业服务', user: '12345', team_id: 'T0J1F6H2K', user_id: 'U07BOTUSER1', bot_id: 'B07BOT12345' });
      case 'chat.postMessage':
        return this.postMessage(res, params);
      default:
        return this.answer(res, method, params, 200, { ok: false, error: 'unknown_method' });
    }
  }

  private postMessage(res: ServerResponse, params: Record<string, any>): void {
    const channel = String(params.channel ?? '');
    if (!channel) return this.answer(res, 'chat.postMessage', params, 200, { ok: false, error: 'channel_not_found' });
    const blocks = typeof params.blocks === 'string' ? JSON.parse(params.blocks) : params.blocks;
    const text = String(params.text ?? '');
    if (!text && !blocks) return this.answer(res, 'chat.postMessage', params, 200, { ok: false, error: 'no_text' });
    const ts = `${this.nextTs++}.000100`;
    this.posted.push({ channel, text, ...(params.thread_ts ? { threadTs: String(params.thread_ts) } : {}), ...(blocks ? { blocks } : {}), ts });
    this.answer(res, 'chat.postMessage', params, 200, {
      ok: true,
      channel,
      ts,
      message: { type: 'message', bot_id: 'B07BOT12345', user: 'U07BOTUSER1', text, ts, ...(blocks ? { blocks } : {}) },
    });
  }

  private answer(res: ServerResponse, method: string, params: Record<string, any>, status: number, body: { ok: boolean; error?: string; [field: string]: unknown }, headers: Record<string, string> = {}): void {
    this.calls.push({ method, params, status, ...(body.error ? { error: body.error } : {}) });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

function parseParams(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes('application/json')) return raw ? JSON.parse(raw) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface SignedResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** Slack's side of the request URLs: every request signed as Slack signs it, unless told otherwise. */
export class SlackSender {
  constructor(private readonly gatewayUrl: string, private readonly signingSecret: string) {}

  event(envelope: unknown, opts: SignOptions = {}): Promise<SignedResponse> {
    return this.post('events', JSON.stringify(envelope), 'application/json', opts);
  }

  /** An Events API post of exactly these bytes (malformed JSON, say), signed. */
  eventBytes(raw: string, opts: SignOptions = {}): Promise<SignedResponse> {
    return this.post('events', raw, 'application/json', opts);
  }

  command(fields: Record<string, string>, opts: SignOptions = {}): Promise<SignedResponse> {
    return this.post('commands', new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
  }

  interaction(payload: unknown, opts: SignOptions = {}): Promise<SignedResponse> {
    return this.post('interactivity', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts);
  }

  private async post(path: string, body: string, contentType: string, opts: SignOptions): Promise<SignedResponse> {
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = opts.signature ?? signSlackRequest(opts.secret ?? this.signingSecret, timestamp, body);
    const headers: Record<string, string> = { 'content-type': contentType, ...(opts.headers ?? {}) };
    if (!opts.omit?.includes('signature')) headers[SIGNATURE_HEADER] = signature;
    if (!opts.omit?.includes('timestamp')) headers[TIMESTAMP_HEADER] = timestamp;
    const res = await fetch(`${this.gatewayUrl}/api/channels/slack/${path}`, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

export interface SignOptions {
  /** Sign with another secret (a forgery). */
  secret?: string;
  /** Send this signature instead of computing one. */
  signature?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  omit?: ('signature' | 'timestamp')[];
  headers?: Record<string, string>;
}
