// A fake of WeChat on 127.0.0.1, both sides of the protocol:
//  - FakeWechatApi: the HTTP API the adapter calls (cgi-bin/token, cgi-bin/message/custom/send), answering
//    as WeChat does (HTTP 200 with errcode), recording every call, and scriptable (busy, 5xx, expired token).
//  - WechatPusher: the WeChat server pushing to our server URL, signing (and in safe mode encrypting) each
//    push exactly as WeChat does, and reading (decrypting) the passive reply.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import { WechatMessageCrypto } from '../../channels/wechat/message-crypto.js';
import { wechatSignature } from '../../channels/wechat/signature.js';
import { buildWechatXml, cdata, field, parseWechatXml } from '../../channels/wechat/wechat-xml.js';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any;
  /** What the fake answered: HTTP status and errcode. */
  status: number;
  errcode?: number;
}

/** One scripted answer for the next message/custom/send call. */
export type ScriptedAnswer = { http: number } | { errcode: number; errmsg?: string };

export class FakeWechatApi {
  readonly calls: RecordedCall[] = [];
  /** Texts WeChat accepted, in order. */
  readonly delivered: { touser: string; content: string }[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private readonly valid = new Set<string>();
  private readonly expired = new Set<string>();
  private server?: Server;
  url = '';

  constructor(readonly appId = 'wx5f8a1b2c3d4e5f60', readonly appSecret = 'c0ffee00c0ffee00c0ffee00c0ffee00') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next send calls get these answers, in order, before normal service resumes. */
  failNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** Every token issued so far now answers 42001 (access_token expired). */
  expireTokens(): void {
    for (const t of this.valid) this.expired.add(t);
    this.valid.clear();
  }

  tokenCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.path === '/cgi-bin/token');
  }

  sendCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.path === '/cgi-bin/message/custom/send');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(u.searchParams);
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const call: RecordedCall = { method: req.method ?? 'GET', path: u.pathname, query, body, status: 200 };
    this.calls.push(call);
    const answer = (json: object, status = 200) => {
      call.status = status;
      call.errcode = (json as { errcode?: number }).errcode;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
    };

    if (u.pathname === '/cgi-bin/token' && req.method === 'GET') {
      if (query.grant_type !== 'client_credential') return answer({ errcode: 40002, errmsg: 'invalid grant_type' });
      if (query.appid !== this.appId) return answer({ errcode: 40013, errmsg: 'invalid appid' });
      if (query.secret !== this.appSecret) return answer({ errcode: 40125, errmsg: 'invalid appsecret' });
      const token = randomBytes(24).toString('base64url');
      this.valid.add(token);
      return answer({ access_token: token, expires_in: 7200 });
    }
    if (u.pathname === '/cgi-bin/message/custom/send' && req.method === 'POST') {
      const token = query.access_token ?? '';
      if (this.expired.has(token)) return answer({ errcode: 42001, errmsg: 'access_token expired' });
      if (!this.valid.has(token)) return answer({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      const scripted = this.script.shift();
      if (scripted && 'http' in scripted) {
        call.status = scripted.http;
        res.writeHead(scripted.http, { 'content-type': 'text/html' }).end('<html><body>upstream error</body></html>');
        return;
      }
      if (scripted) return answer({ errcode: scripted.errcode, errmsg: scripted.errmsg ?? 'scripted error' });
      if (!body || body.msgtype !== 'text' || typeof body.text?.content !== 'string' || typeof body.touser !== 'string')
        return answer({ errcode: 44002, errmsg: 'empty post data' });
      this.delivered.push({ touser: body.touser, content: body.text.content });
      return answer({ errcode: 0, errmsg: 'ok' });
    }
    answer({ errcode: 40066, errmsg: 'invalid url' }, 404);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface PushResult {
  status: number;
  /** The raw response body. */
  body: string;
  /** The passive reply's fields (decrypted in safe mode), when the answer was XML. */
  reply?: Record<string, unknown>;
}

export interface WechatPusherOptions {
  /** Our server URL, e.g. `${gateway}/api/channels/wechat`. */
  url: string;
  token: string;
  appId: string;
  encodingAesKey?: string;
  /** The official account's own id (ToUserName of pushes). */
  account?: string;
}

/** A fresh 17-digit MsgId, the size WeChat's are. */
export function newMsgId(): string {
  return `245${randomInt(1e13, 9e13)}`;
}

/** Pushes like the WeChat server does. */
export class WechatPusher {
  readonly account: string;
  private readonly crypto?: WechatMessageCrypto;

  constructor(private readonly o: WechatPusherOptions) {
    this.account = o.account ?? 'gh_4a2c6f1e8b3d';
    if (o.encodingAesKey) this.crypto = new WechatMessageCrypto(o.encodingAesKey, o.appId);
  }

  /** A text message push as WeChat writes it (MsgId bare: a 64-bit number); returns the XML. */
  textXml(openId: string, content: string, msgId: string = newMsgId()): string {
    return (
      `<xml><ToUserName>${cdata(this.account)}</ToUserName><FromUserName>${cdata(openId)}</FromUserName>` +
      `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
      `<Content>${cdata(content)}</Content><MsgId>${msgId}</MsgId></xml>`
    );
  }

  signedQuery(extra: Record<string, string> = {}, now = new Date()): URLSearchParams {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const nonce = String(randomInt(1e8, 1e10));
    return new URLSearchParams({ signature: wechatSignature([this.o.token, timestamp, nonce]), timestamp, nonce, ...extra });
  }

  /** GET server URL verification. */
  async verify(echostr: string, opts: { forge?: boolean; now?: Date } = {}): Promise<{ status: number; body: string }> {
    const q = this.signedQuery({ echostr }, opts.now);
    if (opts.forge) q.set('signature', wechatSignature(['not-the-token', q.get('timestamp')!, q.get('nonce')!]));
    const res = await fetch(`${this.o.url}?${q}`);
    return { status: res.status, body: await res.text() };
  }

  /** POSTs a push: signed, and in safe mode encrypted with msg_signature, exactly like WeChat. */
  async push(plainXml: string, opts: { forge?: boolean; now?: Date; openId?: string } = {}): Promise<PushResult> {
    const now = opts.now ?? new Date();
    let body = plainXml;
    const q = this.signedQuery({ openid: opts.openId ?? 'oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG' }, now);
    if (this.crypto) {
      const encrypted = this.crypto.encrypt(plainXml);
      body = buildWechatXml({ ToUserName: this.account, Encrypt: encrypted });
      q.set('encrypt_type', 'aes');
      q.set('msg_signature', wechatSignature([opts.forge ? 'not-the-token' : this.o.token, q.get('timestamp')!, q.get('nonce')!, encrypted]));
    }
    if (opts.forge) q.set('signature', wechatSignature(['not-the-token', q.get('timestamp')!, q.get('nonce')!]));
    const res = await fetch(`${this.o.url}?${q}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const text = await res.text();
    return { status: res.status, body: text, reply: text.startsWith('<xml>') ? this.readReply(text) : undefined };
  }

  /** Reads a passive reply; in safe mode checks its MsgSignature and decrypts it, as the WeChat server does. */
  readReply(xml: string): Record<string, unknown> {
    const fields = parseWechatXml(xml);
    if (!this.crypto) return fields;
    const encrypted = field(fields, 'Encrypt')!;
    const expected = wechatSignature([this.o.token, field(fields, 'TimeStamp')!, field(fields, 'Nonce')!, encrypted]);
    if (expected !== field(fields, 'MsgSignature')) throw new Error('passive reply has a bad MsgSignature');
    return parseWechatXml(this.crypto.decrypt(encrypted));
  }
}
