// A fake Weibo Open API v2 on 127.0.0.1, speaking the real protocol under `${url}` (ends in /2/):
// access_token on every call, GET mentions timelines paged newest first with since_id (exclusive) and max_id
// (inclusive), form-encoded POSTs, errors as {"error","error_code","request"} with the code as a number or a
// string. Comments identical to one the account posted within the repeat window are refused (20019), a
// comment without rip or over 140 characters is refused, and scripted answers (rate limits as HTTP 403/429
// with 10022/10023/10024, 5xx, dropped connections) can be queued per endpoint. It records every call.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WeiboCall {
  method: string;
  endpoint: string;
  params: Record<string, string>;
  status: number;
  at: number;
  /** Which client called, when its API base is viaBase(via): tells gateway instances apart. */
  via?: string;
}

export interface PostedComment {
  id: string;
  statusId: string;
  /** The comment replied to (comments/reply.json). */
  cid?: string;
  text: string;
  at: number;
}

export interface SentMessage {
  receiverId: string;
  type: string;
  text: string;
  at: number;
}

export type WeiboScript = { status: number; code?: number | string; error?: string } | { network: true };

interface User {
  id: number;
  idstr: string;
  screen_name: string;
  name: string;
}

interface StatusRec {
  id: bigint;
  status: Record<string, unknown>;
  /** Whether it mentions the account (appears in statuses/mentions.json). */
  mention: boolean;
  addedAt: number;
}

interface CommentRec {
  id: bigint;
  comment: Record<string, unknown>;
  addedAt: number;
}

const ENDPOINTS = ['statuses/mentions.json', 'comments/mentions.json', 'comments/create.json', 'comments/reply.json', 'messages/reply.json'] as const;
export type WeiboEndpoint = (typeof ENDPOINTS)[number];

function weiboLength(s: string): number {
  let half = 0;
  for (const ch of s) half += ch.codePointAt(0)! <= 0xff ? 1 : 2;
  return Math.ceil(half / 2);
}

function weiboDate(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.getUTCMonth()];
  return `${day} ${mon} ${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0800 ${t.getUTCFullYear()}`;
}

export class FakeWeiboApi {
  readonly calls: WeiboCall[] = [];
  readonly comments: PostedComment[] = [];
  readonly messages: SentMessage[] = [];
  /** Base URL for WEIBO_API_BASE. */
  url = '';
  /** How long an identical comment is refused after the account posted it. */
  repeatWindowMs = 10 * 60_000;
  readonly account: User;
  private readonly statuses: StatusRec[] = [];
  private readonly mentionComments: CommentRec[] = [];
  private readonly scripts = new Map<string, WeiboScript[]>();
  /** Statuses whose comments Weibo keeps refusing with a 5xx (an outage for one post). */
  readonly brokenStatuses = new Set<string>();
  private nextId = 5_103_400_000_000_000n;
  private server?: Server;
  private readonly viaOf = new WeakMap<ServerResponse, string>();

  constructor(
    readonly token = '2.00FakeWeiboAccessToken0123456789',
    accountUid = '2000000001',
  ) {
    this.account = { id: Number(accountUid), idstr: accountUid, screen_name: '北京12345', name: '北京12345' };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/2/`;
    return this;
  }

  /** A WEIBO_API_BASE whose calls are recorded with `via` (one per gateway instance). */
  viaBase(via: string): string {
    return this.url.replace(/\/2\/$/, `/${via}/2/`);
  }

  /** A gateway's environment pointed at this fake, with no hourly budget to run out of; the rest is the test's. */
  gatewayEnv(extra: Record<string, string> = {}): Record<string, string> {
    return { WEIBO_ACCESS_TOKEN: this.token, WEIBO_API_BASE: this.url, WEIBO_ACCOUNT_UID: this.account.idstr, WEIBO_HOURLY_LIMIT: '1000000', ...extra };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next calls of `endpoint` get these answers, in order, before normal service resumes. */
  failNext(endpoint: WeiboEndpoint, ...answers: WeiboScript[]): void {
    this.scripts.set(endpoint, [...(this.scripts.get(endpoint) ?? []), ...answers]);
  }

  private id(): bigint {
    // Weibo ids grow with time but are not consecutive.
    this.nextId += BigInt(1 + Math.floor(Math.random() * 40));
    return this.nextId;
  }

  user(uid: string, name = `网友${uid.slice(-4)}`): User {
    return { id: Number(uid), idstr: uid, screen_name: name, name };
  }

  /** A status that @-mentions the account (or, with retweetOf, a repost of one). */
  addStatusMention(opts: { text: string; uid?: string; name?: string; repostOf?: string; createdAt?: Date; geo?: [number, number] }): Record<string, unknown> {
    const id = this.id();
    const uid = opts.uid ?? String(6_000_000_000 + Number(id % 1_000_000n));
    const at = opts.createdAt ?? new Date();
    const retweeted = opts.repostOf ? this.statuses.find((s) => String(s.id) === opts.repostOf)?.status : undefined;
    const status: Record<string, unknown> = {
      created_at: weiboDate(at),
      id: Number(id),
      idstr: String(id),
      mid: String(id),
      text: opts.text,
      source: '<a href="http://weibo.com/" rel="nofollow">微博 weibo.com</a>',
      favorited: false,
      truncated: false,
      in_reply_to_status_id: '',
      in_reply_to_user_id: '',
      in_reply_to_screen_name: '',
      pic_urls: [],
      geo: opts.geo ? { type: 'Point', coordinates: opts.geo } : null,
      user: this.user(uid, opts.name),
      reposts_count: 0,
      comments_count: 0,
      attitudes_count: 0,
      visible: { type: 0, list_id: 0 },
      ...(retweeted ? { retweeted_status: retweeted } : {}),
    };
    this.statuses.push({ id, status, mention: true, addedAt: Date.now() });
    return status;
  }

  /** A status by the account itself (comments on it can mention the account). */
  addOwnStatus(text: string): Record<string, unknown> {
    const id = this.id();
    const status = { created_at: weiboDate(new Date()), id: Number(id), idstr: String(id), mid: String(id), text, user: this.account, pic_urls: [], geo: null };
    this.statuses.push({ id, status, mention: false, addedAt: Date.now() });
    return status;
  }

  /** A comment that @-mentions the account, on `statusId` (default: a new post of the account's). */
  addCommentMention(opts: { text: string; statusId?: string; uid?: string; name?: string; createdAt?: Date }): Record<string, unknown> {
    const status = opts.statusId ? this.statuses.find((s) => String(s.id) === opts.statusId)?.status : this.addOwnStatus('【提醒】本周社保卡集中换发。');
    if (!status) throw new Error(`no status ${opts.statusId}`);
    const id = this.id();
    const uid = opts.uid ?? String(3_000_000_000 + Number(id % 1_000_000n));
    const comment = {
      created_at: weiboDate(opts.createdAt ?? new Date()),
      id: Number(id),
      idstr: String(id),
      mid: String(id),
      rootid: Number(id),
      text: opts.text,
      source: '<a href="http://weibo.com/" rel="nofollow">微博 weibo.com</a>',
      user: this.user(uid, opts.name),
      status,
      reply_comment: null,
    };
    this.mentionComments.push({ id, comment, addedAt: Date.now() });
    return comment;
  }

  /** When a status or comment mention was added (ms), for latency figures. */
  addedAt(platformId: string): number | undefined {
    return (this.statuses.find((s) => String(s.id) === platformId) ?? this.mentionComments.find((c) => String(c.id) === platformId))?.addedAt;
  }

  commentsOn(statusId: string): PostedComment[] {
    return this.comments.filter((c) => c.statusId === statusId && !c.cid);
  }

  repliesTo(cid: string): PostedComment[] {
    return this.comments.filter((c) => c.cid === cid);
  }

  callsOf(endpoint: WeiboEndpoint): WeiboCall[] {
    return this.calls.filter((c) => c.endpoint === endpoint);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, via] = /^\/([\w-]+)\/2\//.exec(url.pathname) ?? [];
    if (via) this.viaOf.set(res, via);
    const endpoint = url.pathname.replace(/^(?:\/[\w-]+)?\/2\//, '');
    const raw = (await readBody(req)).toString('utf8');
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST') Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
    const method = req.method ?? 'GET';
    const fail = (status: number, code: number | string, error: string) => this.answer(res, method, endpoint, params, status, { error, error_code: code, request: `/2/${endpoint}` });

    if (!(ENDPOINTS as readonly string[]).includes(endpoint)) return fail(404, 10020, 'Request api not found!');
    const scripted = this.scripts.get(endpoint)?.shift();
    if (scripted) {
      if ('network' in scripted) {
        this.calls.push({ method, endpoint, params, status: 0, at: Date.now() });
        req.socket.destroy();
        return;
      }
      return fail(scripted.status, scripted.code ?? 10001, scripted.error ?? 'system error!');
    }
    if (params.access_token !== this.token) return fail(401, 21332, 'invalid_access_token');
    const wantMethod = endpoint.endsWith('mentions.json') ? 'GET' : 'POST';
    if (method !== wantMethod) return fail(405, 10021, 'HTTP method is not suported for this request!');

    switch (endpoint as WeiboEndpoint) {
      case 'statuses/mentions.json':
        return this.page(res, method, endpoint, params, 'statuses', this.statuses.filter((s) => s.mention), 200);
      case 'comments/mentions.json':
        return this.page(res, method, endpoint, params, 'comments', this.mentionComments, 50);
      case 'comments/create.json':
      case 'comments/reply.json':
        return this.comment(res, method, endpoint as WeiboEndpoint, params, fail);
      case 'messages/reply.json': {
        if (!params.receiver_id || !params.type || !params.data) return fail(400, 10016, `Miss required parameter (${!params.receiver_id ? 'receiver_id' : !params.type ? 'type' : 'data'}) , see doc for more info.`);
        let data: { text?: unknown };
        try {
          data = JSON.parse(params.data) as { text?: unknown };
        } catch {
          return fail(400, 10017, 'Parameter (data)\'s value invalid, expect (json) , but get (invalid) , see doc for more info.');
        }
        const text = typeof data.text === 'string' ? data.text : '';
        if (params.type === 'text' && (!text || weiboLength(text) >= 300)) return fail(400, 10017, "Parameter (data)'s value invalid, expect (text under 300 characters)");
        this.messages.push({ receiverId: params.receiver_id, type: params.type, text, at: Date.now() });
        return this.answer(res, method, endpoint, params, 200, { result: true, sender_id: this.account.idstr, receiver_id: params.receiver_id, type: params.type, data: params.data });
      }
    }
  }

  private page(res: ServerResponse, method: string, endpoint: string, params: Record<string, string>, field: string, items: { id: bigint; status?: unknown; comment?: unknown }[], maxCount: number): void {
    const since = params.since_id ? BigInt(params.since_id) : 0n;
    const max = params.max_id && params.max_id !== '0' ? BigInt(params.max_id) : undefined;
    const count = Math.min(maxCount, Math.max(1, Number(params.count ?? 20)));
    const matching = items.filter((i) => i.id > since && (max === undefined || i.id <= max)).sort((a, b) => (a.id < b.id ? 1 : -1));
    const pageItems = matching.slice(0, count).map((i) => i.status ?? i.comment);
    this.answer(res, method, endpoint, params, 200, { [field]: pageItems, hasvisible: false, previous_cursor: 0, next_cursor: 0, total_number: items.length, interval: 0 });
  }

  private comment(res: ServerResponse, method: string, endpoint: WeiboEndpoint, params: Record<string, string>, fail: (s: number, c: number | string, e: string) => void): void {
    for (const p of endpoint === 'comments/reply.json' ? ['id', 'cid', 'comment', 'rip'] : ['id', 'comment', 'rip'])
      if (!params[p]) return fail(400, 10016, `Miss required parameter (${p}) , see doc for more info.`);
    const text = params.comment;
    if (weiboLength(text) > 140) return fail(400, 20012, 'Text too long, please input text less than 140 characters!');
    const status = this.statuses.find((s) => String(s.id) === params.id);
    if (!status) return fail(400, 20101, 'target weibo does not exist!');
    if (this.brokenStatuses.has(params.id)) return fail(502, 10001, 'system error!');
    if (endpoint === 'comments/reply.json' && !this.mentionComments.some((c) => String(c.id) === params.cid) && !this.comments.some((c) => c.id === params.cid))
      return fail(400, 20206, 'target comment does not exist!');
    const now = Date.now();
    if (this.comments.some((c) => c.text === text && now - c.at < this.repeatWindowMs)) return fail(400, 20019, 'repeat content!');
    const id = String(this.id());
    this.comments.push({ id, statusId: params.id, ...(params.cid ? { cid: params.cid } : {}), text, at: now });
    this.answer(res, method, endpoint, params, 200, {
      created_at: weiboDate(new Date(now)),
      id: Number(id),
      idstr: id,
      mid: id,
      text: params.cid ? `回复@${'用户'}:${text}` : text,
      user: this.account,
      status: status.status,
    });
  }

  private answer(res: ServerResponse, method: string, endpoint: string, params: Record<string, string>, status: number, payload: unknown): void {
    const via = this.viaOf.get(res);
    this.calls.push({ method, endpoint, params, status, at: Date.now(), ...(via ? { via } : {}) });
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
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
