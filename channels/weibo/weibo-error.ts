// What a failed Weibo call means. Weibo answers errors as {"error_code", "error", "request"} with the code as
// a number or a string (both occur), on HTTP 400/401/403 and sometimes 429 or 5xx. The adapter only needs to
// know three things about a failure: is it a rate limit (wait, do not hammer), a refused duplicate comment
// (vary the text), or anything else.
import { ChannelApiError } from '../../src/core/errors.js';

/** 10022 IP requests out of rate limit; 10023 user requests out of rate limit; 10024 user requests for (%s) out of rate limit. */
export const RATE_LIMIT_CODES = new Set([10022, 10023, 10024]);
/** 20019 "repeat content!": the account posted the same text a short while ago. */
export const REPEAT_CONTENT_CODES = new Set([20019, 20017]);
/** Token expired, revoked or invalid: nothing will work until an operator renews it. */
export const AUTH_CODES = new Set([21314, 21315, 21316, 21317, 21319, 21327, 21332, 21501]);

export class WeiboApiError extends ChannelApiError {
  constructor(
    message: string,
    status: number | undefined,
    /** Weibo's error_code as a number (string codes are parsed), undefined for network errors. */
    readonly weiboCode: number | undefined,
    retryAfterMs?: number,
  ) {
    super(message, status, weiboCode, retryAfterMs);
  }

  get rateLimited(): boolean {
    return this.status === 429 || (this.weiboCode !== undefined && RATE_LIMIT_CODES.has(this.weiboCode));
  }

  get repeatContent(): boolean {
    return this.weiboCode !== undefined && REPEAT_CONTENT_CODES.has(this.weiboCode);
  }

  get authFailed(): boolean {
    return this.weiboCode !== undefined && AUTH_CODES.has(this.weiboCode);
  }

  /** Network failure or no answer: the request may or may not have reached Weibo. */
  get network(): boolean {
    return this.status === undefined;
  }
}

/** Reads an error body; undefined when the body is not Weibo's error shape. */
export function parseErrorBody(body: unknown): { code: number; error: string; request?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const raw = b.error_code;
  const code = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
  if (code === undefined || !Number.isFinite(code)) return undefined;
  return { code, error: typeof b.error === 'string' ? b.error : '', ...(typeof b.request === 'string' ? { request: b.request } : {}) };
}

/** Milliseconds until the next full hour: Weibo's hourly limits reset on the hour. */
export function msToNextHour(now = Date.now()): number {
  return 3_600_000 - (now % 3_600_000);
}
