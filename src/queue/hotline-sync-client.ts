// POSTs to the external hotline (docs/openapi.yaml): a new ticket ("createTicket", Idempotency-Key = the ticket
// number), a status change made here ("addTicketEvent", Idempotency-Key = the event id), or a problem's current
// state ("upsertProblem", Idempotency-Key = its id and version), so a retry after a lost response cannot make a
// second one there. JSON body, HMAC-SHA256 over timestamp + body. Answers are
// sorted into done, retry later, and never retry.
import { sign } from '../tickets/hotline-signature.js';
import { HotlineAcceptSchema, OUTBOUND_HEADERS, hotlineProblemKey, type HotlineEvent, type HotlineProblem, type HotlineTicket } from '../tickets/hotline-contract.js';

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
  /** True when the hotline already had it (409): someone's earlier attempt got through. */
  already: boolean;
}

type PostOptions = { url: string; secret: string; timeoutMs: number };

export function postTicketToHotline(opts: PostOptions, ticket: HotlineTicket, nowMs = Date.now()): Promise<PostResult> {
  return postSigned(opts, opts.url, ticket, ticket.number, nowMs);
}

/** A status change for a ticket the hotline has, to HOTLINE_URL/{number}/events. */
export function postEventToHotline(opts: PostOptions, event: HotlineEvent, nowMs = Date.now()): Promise<PostResult> {
  return postSigned(opts, hotlineEventsUrl(opts.url, event.number), event, event.eventId, nowMs);
}

/** A problem's current state, to the hotline's problems collection beside its tickets (…/tickets → …/problems). */
export function postProblemToHotline(opts: PostOptions, problem: HotlineProblem, nowMs = Date.now()): Promise<PostResult> {
  return postSigned(opts, hotlineProblemsUrl(opts.url), problem, hotlineProblemKey(problem), nowMs);
}

export function hotlineProblemsUrl(ticketsUrl: string): string {
  const u = new URL(ticketsUrl);
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/[^/]*$/, 'problems');
  return u.toString();
}

export function hotlineEventsUrl(ticketsUrl: string, number: string): string {
  const u = new URL(ticketsUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${encodeURIComponent(number)}/events`;
  return u.toString();
}

async function postSigned(opts: PostOptions, url: string, payload: HotlineTicket | HotlineEvent | HotlineProblem, idempotencyKey: string, nowMs: number): Promise<PostResult> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(nowMs / 1000));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [OUTBOUND_HEADERS.timestamp]: timestamp,
        [OUTBOUND_HEADERS.signature]: sign(opts.secret, timestamp, body),
        [OUTBOUND_HEADERS.idempotencyKey]: idempotencyKey,
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
