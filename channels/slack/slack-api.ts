// The Web API calls the adapter makes, through a WebClient (the Bolt App's `client`, which speaks the real
// HTTP protocol to SLACK_API_URL). The client's own retries are off — the outbound queue retries, with a
// delay that does not hold a worker — and every failure leaves here as a ChannelApiError: 429 with the wait
// Slack asked for, 5xx and network errors retried, `ok: false` with Slack's error code.
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  type ChatPostMessageArguments,
  type WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { ChannelApiError } from '../../src/core/errors.js';

/** Block Kit blocks as chat.postMessage takes them (its argument type is a union; this is the blocks arm). */
export type Blocks = NonNullable<Extract<ChatPostMessageArguments, { blocks?: unknown }>['blocks']>;

/** `ok: false` codes that mean "try again later"; every other one is a request that will never succeed. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** How the adapter's WebClient is built: against SLACK_API_URL, failing fast so the outbound queue decides. */
export function slackClientOptions(apiUrl: string): WebClientOptions {
  return { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 };
}

export class SlackApi {
  /** The token goes with each call: the App's client is built without one (see slack-app.ts). */
  constructor(
    private readonly client: WebClient,
    private readonly token: string,
  ) {}

  async postMessage(p: { channel: string; text: string; threadTs?: string; blocks?: Blocks }): Promise<void> {
    try {
      await this.client.chat.postMessage({
        token: this.token,
        channel: p.channel,
        text: p.text,
        unfurl_links: false,
        ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
        ...(p.blocks ? { blocks: p.blocks } : {}),
      });
    } catch (err) {
      throw toChannelApiError(err, 'chat.postMessage');
    }
  }
}

export function toChannelApiError(err: unknown, method: string): ChannelApiError {
  const message = `slack ${method}: ${(err as Error)?.message ?? String(err)}`;
  if (err instanceof WebAPIRateLimitedError) return new ChannelApiError(message, 429, 'ratelimited', err.retryAfter * 1000);
  if (err instanceof WebAPIHTTPError) return new ChannelApiError(message, err.statusCode, err.statusCode);
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    // Slack answers these with HTTP 200; a permanent one is reported as 400 so the worker does not retry it.
    return new ChannelApiError(message, TRANSIENT_PLATFORM_ERRORS.has(code) ? undefined : 400, code, code === 'ratelimited' ? 1000 : undefined);
  }
  // Network errors and timeouts: no status, so the worker retries with backoff.
  return new ChannelApiError(message);
}
