// One shape for every error the HTTP API returns: {error: code, reason: what a person can act on}.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';

export function sendError(res: ServerResponse, status: number, error: string, reason: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { error, reason, ...extra });
}

export interface InvalidField {
  /** The field at fault, dotted (`sender.id`, `items.2`), or the part itself when the whole of it is wrong. */
  field: string;
  reason: string;
  /**
   * Which rule the value broke (`empty`, `too_long`, `too_many`, `unreadable`), for a client that says the refusal
   * in its user's words itself: the web chat widget, in the citizen's language.
   */
  rule?: string;
}

/**
 * Answers 400 invalid_request for a field: what every route and every channel says about input it refuses
 * (the one error vocabulary; a platform that reads only the status, as the messaging platforms do, gets it too).
 */
export function sendInvalid(res: ServerResponse, invalid: InvalidField): void {
  sendError(res, 400, 'invalid_request', invalid.reason, { field: invalid.field, ...(invalid.rule ? { rule: invalid.rule } : {}) });
}

/** A store's refusal of a change, with the status it maps to and, for a 400, the request field at fault. */
export interface Refusal {
  code: string;
  message: string;
  httpStatus: number;
  field?: string;
}

/** A refusal as the API's answer: a 400 is invalid_request naming the field, anything else keeps its code. */
export function sendRefusal(res: ServerResponse, refusal: Refusal, code = refusal.code): void {
  if (refusal.httpStatus !== 400) return sendError(res, refusal.httpStatus, code, refusal.message);
  const field = refusal.field ?? 'body';
  sendInvalid(res, { field, reason: `${field}: ${refusal.message}` });
}

/** What a JSON door says about a body that does not parse. */
export const NOT_JSON: InvalidField = { field: 'body', reason: 'body: is not valid JSON' };

/**
 * What res.status(status).json(body) sends (same status, Content-Type, Content-Length and body; the app sets no
 * JSON replacer or spacing) minus the ETag. Express hashes every JSON body with SHA-1 for that ETag, which is
 * wasted on API answers: they are POST results or no-store reads that no client revalidates.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // Encoded once here (as express does): the length is the buffer's, and the socket gets bytes to send.
  const bytes = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/**
 * Answers a body that could not be read (malformed JSON, too large, wrong charset: body-parser's errors, or
 * the raw POST door's, which carry the same `type`) with a 4xx and a reason; false for anything else.
 */
export function refuseBadBody(err: unknown, res: ServerResponse): boolean {
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  if (e.type === 'entity.parse.failed') sendInvalid(res, NOT_JSON);
  else if (e.type === 'entity.too.large') sendError(res, 413, 'too_large', `the request body is larger than ${e.limit} bytes`);
  else if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') sendError(res, 415, 'unsupported_encoding', e.message ?? 'unsupported encoding');
  else if (e.status === 400) sendInvalid(res, { field: 'body', reason: `body: ${e.message ?? 'could not be read'}` });
  else if (typeof e.status === 'number' && e.status > 400 && e.status < 500) sendError(res, e.status, 'bad_request', e.message ?? 'bad request');
  else return false;
  return true;
}

/**
 * refuseBadBody, and a path the router could not decode (a malformed or non-UTF-8 percent escape in a path
 * parameter: the router's URIError carries status 400) as 400 invalid_request naming the path.
 */
export function refuseBadInput(err: unknown, res: ServerResponse): boolean {
  if (err instanceof URIError && (err as { status?: number }).status === 400) {
    sendInvalid(res, { field: 'path', reason: 'path: is not valid percent-encoded UTF-8' });
    return true;
  }
  return refuseBadBody(err, res);
}

/** refuseBadBody as express error middleware: other errors go on to the app's 500. */
export const bodyErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (!refuseBadBody(err, res)) next(err);
};
