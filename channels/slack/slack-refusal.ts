// What a Bolt listener throws when the request must not be answered 200: Bolt acknowledges only with 200, so
// any other answer leaves the listener as an error and reaches the receiver's processEventErrorHandler, which
// writes it. Every answer here has the HTTP API's error shape ({error, reason}); a refused payload is the API's
// 400 invalid_request naming the field.
import type { ServerResponse } from 'node:http';
import { sendError, type InvalidField } from '../../src/http/http-errors.js';

export class SlackRefusal extends Error {
  /** Bolt passes errors with a `code` to the error handler as they are (asCodedError in @slack/bolt). */
  readonly code = 'slack_refusal';

  private constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${status} ${error}: ${reason}`);
  }

  /** The message could not be made durable in time: Slack retries, and the retry is deduplicated. */
  static unavailable(): SlackRefusal {
    return new SlackRefusal(503, 'unavailable', 'the message could not be taken now; retry it', { 'Retry-After': '5' });
  }

  /** A payload Slack would send again unchanged: say why, and (for events) ask Slack not to retry it. */
  static invalid(invalid: InvalidField, noRetry = false): SlackRefusal {
    return new SlackRefusal(400, 'invalid_request', invalid.reason, noRetry ? { 'X-Slack-No-Retry': '1' } : {}, { field: invalid.field });
  }

  static failed(): SlackRefusal {
    return new SlackRefusal(500, 'internal', 'internal error; the request was not completed');
  }

  send(res: ServerResponse): void {
    for (const [name, value] of Object.entries(this.headers)) res.setHeader(name, value);
    sendError(res, this.status, this.error, this.reason, this.extra);
  }
}
