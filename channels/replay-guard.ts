// One signed request carries one body. WeChat's plaintext mode and Weibo's fan-service push sign only the query
// string (secret, timestamp, nonce), not the body, so a signed URL captured inside its replay window could carry
// any message from any sender. The guard remembers each signed query, with a digest of the body it came with,
// for as long as its timestamp stays acceptable:
//  - not seen before: remembered, and the request goes on;
//  - seen with the same body: the platform retrying the same push (WeChat and Weibo both push again, up to three
//    times, when they have no answer within 5 seconds, and after our 503). It goes on and gets the answer it got
//    before: the intake dedupes by message id, so it never becomes a second ticket. Neither platform documents
//    whether a retry keeps the first URL or signs a new one; both are accepted (a new one is simply "not seen");
//  - seen with another body: a replay, refused with 401; nothing in it reaches the intake.
// Binding the body rather than refusing every repeat keeps the guarantee that a push we could not take (503) is
// taken when it comes again. One Redis command per push (a short script, so any Redis version will do; SET's NX
// with GET needs 7.0), on the adapter's fail-fast client.
// When Redis does not answer, a replay cannot be told from a first delivery, so nothing is taken:
// IntakeUnavailableError, which the routes answer with 503, and the platform pushes the message again.
// WeChat's safe mode does not need the guard: its msg_signature covers the encrypted body, so the same signed
// query always carries the same message.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { IntakeUnavailableError } from '../src/core/errors.js';
import { withTimeout } from '../src/core/with-timeout.js';

export interface SignedParts {
  signature: string;
  timestamp: string;
  nonce: string;
}

/** first: never seen; retry: seen with the same body; replay: seen with another body (refuse it). */
export type ReplayVerdict = 'first' | 'retry' | 'replay';

/** A push must not wait on Redis much longer than this (the platforms give up after 5 seconds). */
const CHECK_TIMEOUT_MS = 1000;

/** The body digest already remembered for this signed query, or nil after remembering this one. */
const REMEMBER = `local seen = redis.call('GET', KEYS[1])
if seen then return seen end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

export class ReplayGuard {
  /**
   * @param keyPrefix e.g. `${prefix}:wechat`; keys are `${keyPrefix}:replay:<digest>`.
   * @param windowMs how far a signed timestamp may be from our clock, either way: an entry lives twice as long,
   *   so it outlasts every moment at which its signature still verifies.
   */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly windowMs: number,
  ) {}

  /** Waits (at most `timeoutMs`) for the client to connect: without an offline queue it refuses commands until then. */
  async ready(timeoutMs = 2000): Promise<void> {
    if (this.redis.status === 'ready') return;
    // Not ready in time is no error here: check() then fails, and the push is answered 503 to come again.
    await withTimeout(new Promise<void>((r) => this.redis.once('ready', () => r())), timeoutMs, 'replay check connect').catch(() => {});
  }

  async check(signed: SignedParts, body: string | Buffer): Promise<ReplayVerdict> {
    const key = `${this.keyPrefix}:replay:${sha256(`${signed.signature.toLowerCase()}\n${signed.timestamp}\n${signed.nonce}`)}`;
    const digest = sha256(body);
    let previous: string | null;
    try {
      previous = (await withTimeout(this.redis.eval(REMEMBER, 1, key, digest, String(2 * this.windowMs)), CHECK_TIMEOUT_MS, 'replay check')) as string | null;
    } catch (err) {
      throw new IntakeUnavailableError(`replay check unavailable: ${(err as Error).message}`);
    }
    if (previous === null) return 'first';
    return previous === digest ? 'retry' : 'replay';
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
