// POSTs one ticket to the external hotline (docs/openapi.yaml, "createTicket"): JSON body, HMAC-SHA256 over
// timestamp + body, Idempotency-Key = the ticket number, so a retry after a lost response cannot create a
// second ticket there. Answers are sorted into done, retry later, and never retry.
import { sign } from '../tickets/hotline-signature.js';
import { HotlineAcceptSchema, OUTBOUND_HEADERS, type HotlineTicket } from '../tickets/hotline-contract.js';

export class HotlineSyncError extends Error {
  readonly code = 'HOTLINE_SYNC_FAILED';
  constructor(
    message: string,
    /** False for answers a retry cannot change (400, 401, 403, 422): the job goes to the dead letters at once. */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface PostResult {
  /** The hotline's id for the ticket, when it said. */
  ref?: string;
  /** True when the hotline already had this number (409): someone's earlier attempt got through. */
  already: boolean;
}

export async function postTicketToHotline(opts: { url: string; secret: string; timeoutMs: number }, ticket: HotlineTicket, nowMs = Date.now()): Promise<PostResult> {
  const body = JSON.stringify(ticket);
  const timestamp = String(Math.floor(nowMs / 1000));
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [OUTBOUND_HEADERS.timestamp]: timestamp,
        [OUTBOUND_HEADERS.signature]: sign(opts.secret, timestamp, body),
        [OUTBOUND_HEADERS.idempotencyKey]: ticket.number,
      },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    const what = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : e.message;
    throw new HotlineSyncError(`hotline unreachable: ${what}`, true);
  }
  const text = await res.text().catch(() => '');
  if (res.status === 409) return { already: true, ...refOf(text) };
  if (res.ok) return { already: false, ...refOf(text) };
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  throw new HotlineSyncError(`hotline answered HTTP ${res.status}: ${text.slice(0, 200)}`, retryable, res.status);
}

function refOf(text: string): { ref?: string } {
  try {
    const parsed = HotlineAcceptSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.ref ? { ref: parsed.data.ref } : {};
  } catch {
    return {};
  }
}
