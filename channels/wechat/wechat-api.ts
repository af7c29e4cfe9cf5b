// The two WeChat API calls the channel needs: cgi-bin/token (the access token) and message/custom/send
// (a customer-service text to a follower who wrote within the last 48 hours). Every failure becomes a
// ChannelApiError the outbound worker knows how to retry (or not).
import { ChannelApiError } from '../../src/core/errors.js';
import { AccessTokenProvider, type IssuedToken } from './access-token.js';
import { TOKEN_ERRCODES, wechatError } from './wechat-errors.js';
import type { Redis } from 'ioredis';

export interface WechatApiOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  /** Shares the access token between processes. */
  redis?: Redis;
  redisKey?: string;
  /** Per-request deadline. Default 10 s. */
  timeoutMs?: number;
}

interface WechatResponse {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

export class WechatApi {
  readonly tokens: AccessTokenProvider;
  private readonly timeoutMs: number;

  constructor(private readonly opts: WechatApiOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.tokens = new AccessTokenProvider({ fetchToken: () => this.fetchToken(), redis: opts.redis, redisKey: opts.redisKey });
  }

  /** Sends one text. A token the API calls invalid or expired is replaced and the call made once more. */
  async sendText(openId: string, content: string): Promise<void> {
    const body = { touser: openId, msgtype: 'text', text: { content } };
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      const res = await this.call('message/custom/send', `/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      const code = res.errcode ?? 0;
      if (code === 0) return;
      if (TOKEN_ERRCODES.has(code)) {
        await this.tokens.invalidate(token);
        if (attempt === 0) continue;
      }
      throw wechatError('message/custom/send', code, res.errmsg);
    }
  }

  private async fetchToken(): Promise<IssuedToken> {
    const q = new URLSearchParams({ grant_type: 'client_credential', appid: this.opts.appId, secret: this.opts.appSecret });
    const res = await this.call('cgi-bin/token', `/cgi-bin/token?${q}`, { method: 'GET' });
    if (!res.access_token || typeof res.expires_in !== 'number') throw wechatError('cgi-bin/token', res.errcode ?? -1, res.errmsg ?? 'no access_token in the answer');
    return { token: res.access_token, expiresIn: res.expires_in };
  }

  private async call(what: string, path: string, init: RequestInit): Promise<WechatResponse> {
    let res: Response;
    try {
      res = await fetch(`${this.opts.apiBase}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new ChannelApiError(`${what}: ${(err as Error).message}`);
    }
    if (res.status === 429) {
      const after = Number(res.headers.get('retry-after'));
      throw new ChannelApiError(`${what}: HTTP 429`, 429, undefined, Number.isFinite(after) && after > 0 ? after * 1000 : 5000);
    }
    // Gateway errors in front of WeChat: retried with backoff (no status, so never mistaken for a 4xx).
    if (!res.ok) throw new ChannelApiError(`${what}: HTTP ${res.status}`, res.status >= 500 ? res.status : undefined);
    try {
      return (await res.json()) as WechatResponse;
    } catch {
      throw new ChannelApiError(`${what}: the answer is not JSON`);
    }
  }
}
