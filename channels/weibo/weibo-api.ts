// The few Weibo Open API v2 calls the adapter makes, over fetch. `access_token` goes on every call; POSTs are
// form-encoded as Weibo expects. Any failure becomes a WeiboApiError carrying the HTTP status and Weibo's
// error_code; this class neither retries nor budgets (the poller and send() decide that).
import { WeiboApiError, msToNextHour, parseErrorBody } from './weibo-error.js';
import { CommentMentionsSchema, StatusMentionsSchema } from './payload-schema.js';

export interface PageQuery {
  sinceId?: string;
  maxId?: string;
  count: number;
}

/** Largest page each endpoint returns. */
export const PAGE_SIZE = { status: 200, comment: 50 } as const;

const TIMEOUT_MS = 15_000;

export class WeiboApi {
  constructor(
    private readonly accessToken: string,
    private readonly apiBase: string,
  ) {}

  /** Statuses that @-mention the account, newest first. */
  async statusMentions(q: PageQuery, signal?: AbortSignal): Promise<unknown[]> {
    const body = await this.get('statuses/mentions.json', pageParams(q), signal);
    return StatusMentionsSchema.parse(body ?? {}).statuses;
  }

  /** Comments that @-mention the account, newest first. */
  async commentMentions(q: PageQuery, signal?: AbortSignal): Promise<unknown[]> {
    const body = await this.get('comments/mentions.json', pageParams(q), signal);
    return CommentMentionsSchema.parse(body ?? {}).comments;
  }

  /** Comments on a status. `rip` is the real IP of whoever comments (required by Weibo). */
  async createComment(statusId: string, comment: string, rip: string): Promise<unknown> {
    return this.post('comments/create.json', { id: statusId, comment, rip });
  }

  /** Replies to a comment `cid` on status `statusId`. */
  async replyComment(statusId: string, cid: string, comment: string, rip: string): Promise<unknown> {
    return this.post('comments/reply.json', { id: statusId, cid, comment, rip });
  }

  /** A private message to a user who wrote to the account (fan service); `data` is URL-encoded JSON. */
  async replyMessage(receiverId: string, text: string): Promise<unknown> {
    return this.post('messages/reply.json', { type: 'text', data: JSON.stringify({ text }), receiver_id: receiverId, save_sender_box: '1' });
  }

  private async get(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.apiBase);
    url.searchParams.set('access_token', this.accessToken);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return this.call(path, url, { method: 'GET', signal: withTimeout(signal) });
  }

  private async post(path: string, params: Record<string, string>): Promise<unknown> {
    const url = new URL(path, this.apiBase);
    const body = new URLSearchParams({ access_token: this.accessToken, ...params });
    return this.call(path, url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: body.toString(),
      signal: withTimeout(),
    });
  }

  private async call(path: string, url: URL, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new WeiboApiError(`weibo ${path}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`, undefined, undefined);
    }
    const raw = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const err = parseErrorBody(body);
    if (res.ok && !err) return body;
    const retryAfter = Number(res.headers.get('retry-after'));
    const error = new WeiboApiError(
      `weibo ${path}: ${err ? `${err.code} ${err.error}` : `HTTP ${res.status}`}`,
      res.ok ? 400 : res.status,
      err?.code,
    );
    if (!error.rateLimited) return Promise.reject(error);
    // Hourly limits reset on the hour; a Retry-After header, when sent, is more precise.
    const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.max(60_000, msToNextHour());
    throw new WeiboApiError(error.message, error.status, error.weiboCode, waitMs);
  }
}

function pageParams(q: PageQuery): Record<string, string> {
  return {
    count: String(q.count),
    ...(q.sinceId && q.sinceId !== '0' ? { since_id: q.sinceId } : {}),
    ...(q.maxId ? { max_id: q.maxId } : {}),
  };
}

function withTimeout(signal?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, t]) : t;
}
