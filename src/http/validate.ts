// The one way an HTTP route checks its input: zod schemas for the query string, the body and the path
// parameters, and one answer when they do not hold — 400 {error: 'invalid_request', field, reason} naming the
// first field at fault. Routes read what was parsed (coerced, cleaned) from `input.of(res)`, never the raw
// request, so nothing unchecked reaches a store or a query.
import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { NormalizationError } from '../core/errors.js';
import { sendInvalid, type InvalidField } from './http-errors.js';

export { sendInvalid, type InvalidField };

export type InputPart = 'query' | 'body' | 'params';

/** The first issue of a failed parse, as a field and a reason a person can act on. */
export function invalidField(error: z.ZodError, part: InputPart | string = 'body'): InvalidField {
  const issue = error.issues[0];
  // A strict object's unknown keys are reported at the object itself: name the first unknown key instead.
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = issue.path.map(String);
  if (unknown !== undefined) path.push(unknown);
  const field = path.length ? path.join('.') : part;
  return { field, reason: `${field}: ${unknown !== undefined ? 'is not a known field' : issue.message}` };
}

/**
 * A platform payload a channel's normalizer refused, as a field and a reason: the field the normalizer named,
 * else the body as a whole.
 */
export function invalidPayload(err: NormalizationError): InvalidField {
  return { field: err.field ?? 'body', reason: err.message };
}

/** Parses one value, answering the 400 itself when it does not hold; undefined then. */
export function parseOr400<S extends z.ZodType>(res: ServerResponse, schema: S, value: unknown, part: InputPart | string): z.output<S> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  sendInvalid(res, invalidField(r.error, part));
  return undefined;
}

type Schemas = { query?: z.ZodType; body?: z.ZodType; params?: z.ZodType };
export type Parsed<S extends Schemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

export interface Validator<S extends Schemas> extends RequestHandler {
  /** What the middleware parsed for this request. */
  of(res: Response): Parsed<S>;
}

const PARTS: InputPart[] = ['params', 'query', 'body'];

/**
 * Middleware checking a request's parts against zod schemas (path parameters first, then the query string,
 * then the body, which an earlier body parser has read; a missing body is `{}`). The parsed values are read
 * back with `.of(res)`: express 5's req.query is a getter, and a schema's output (dates, numbers, cleaned
 * text) is not the raw input anyway.
 */
export function validate<S extends Schemas>(schemas: S): Validator<S> {
  const parsed = new WeakMap<Response, Parsed<S>>();
  const handler = ((req: Request, res: Response, next: (err?: unknown) => void) => {
    const out: Record<string, unknown> = {};
    for (const part of PARTS) {
      const schema = schemas[part];
      if (!schema) continue;
      const raw = part === 'body' ? (req.body ?? {}) : req[part];
      const r = schema.safeParse(raw);
      if (!r.success) return sendInvalid(res, invalidField(r.error, part));
      out[part] = r.data;
    }
    parsed.set(res, out as Parsed<S>);
    next();
  }) as Validator<S>;
  handler.of = (res) => {
    const p = parsed.get(res);
    if (!p) throw new Error('validate(…).of(res) read before the middleware ran on this request');
    return p;
  };
  return handler;
}
