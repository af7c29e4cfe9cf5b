// Delivers replies and feedback to a partner's callbackUrl, signed like the partner's own requests, with the
// reply id as Idempotency-Key: a delivery retried after a lost response carries the same key, and the
// partner shows it once. Every failure is a ChannelApiError; the outbound worker retries 5xx, timeouts and
// refused connections with backoff, waits out 429/503 Retry-After, and does not retry other 4xx.
import { ChannelApiError } from '../../src/core/errors.js';
import type { Reply } from '../../src/core/envelope.js';
import { signedHeaders } from './hmac-signature.js';
import type { Partner } from './partner-options.js';

/** The JSON a partner receives; documented in docs/channels-api.openapi.yaml (webhooks.reply). */
export interface PartnerCallback {
  type: 'reply';
  id: string;
  conversationId: string;
  senderId?: string;
  reply: Pick<Reply, 'text' | 'kind' | 'quickReplies' | 'ticketNumber' | 'faqId'>;
  sentAt: string;
}

export async function postCallback(partner: Partner, payload: PartnerCallback, timeoutMs = 10_000): Promise<void> {
  const body = JSON.stringify(payload);
  let res: Response;
  try {
    res = await fetch(partner.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': payload.id, ...signedHeaders(partner.id, partner.secret, body) },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new ChannelApiError(`callback to ${partner.id}: ${(err as Error).message}`);
  }
  // Only the status matters: the body is let go to free the connection (one that fails to cancel is closed).
  await res.body?.cancel().catch(() => {});
  if (res.ok) return;
  const after = Number(res.headers.get('retry-after'));
  const retryAfterMs = (res.status === 429 || res.status === 503) && Number.isFinite(after) && after > 0 ? Math.min(after, 3600) * 1000 : undefined;
  throw new ChannelApiError(`callback to ${partner.id}: HTTP ${res.status}`, res.status, undefined, retryAfterMs);
}
