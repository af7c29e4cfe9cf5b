// 吹哨报到 over HTTP, behind both doors — the bearer-token API (/api/tickets) and the console (/api/admin/tickets):
// the suggested units, calling units in, and a called unit's report. Who acts comes from the door (the token's
// account, or the console session): a unit user reports for its own unit, an admin names the unit in `unit`.
import express from 'express';
import { z } from 'zod';
import { CallinError, callinView, JointHandling, type Caller } from '../tickets/joint-handling.js';
import type { TicketStore } from '../tickets/ticket-store.js';
import { TicketNumberParams } from './tickets-api.js';
import { sendError, sendRefusal } from './http-errors.js';
import { validate } from './validate.js';
import { freeText, safeString } from './input-fields.js';

const Unit = safeString(80).trim().min(1, 'must not be empty');

export const CallInBody = z
  .object({
    /** Units to call in: names the dispatch table knows (卢沟桥街道, 丰台区城市管理委员会). */
    units: z.array(Unit).min(1, 'name at least one unit').max(10),
    note: freeText(1000).optional(),
  })
  .strict();

export const ReportBody = z
  .object({
    note: freeText(1000),
    /** Only for an admin reporting on a unit's behalf; unit staff report for their own unit. */
    unit: Unit.optional(),
  })
  .strict();

export interface CallinsRoutesDeps {
  joint: JointHandling;
  store: TicketStore;
  /** `/api/tickets` or `/api/admin/tickets`. */
  prefix: string;
  /** Who the request acts for (set by the door's authentication). */
  callerOf: (res: express.Response) => Caller | undefined;
  now?: () => Date;
}

export function callinsRoutes(deps: CallinsRoutesDeps): express.Router {
  const { joint, prefix } = deps;
  const now = deps.now ?? (() => new Date());
  const r = express.Router();
  const json = express.json({ limit: '16kb' });

  const fail = (res: express.Response, err: unknown) => {
    if (!(err instanceof CallinError)) throw err;
    sendRefusal(res, err, err.code === 'not_called_in' ? 'not_found' : err.code);
  };
  const caller = (res: express.Response): Caller => {
    const who = deps.callerOf(res);
    if (!who) throw new CallinError('forbidden', 'no account acts for this request');
    return who;
  };

  const one = validate({ params: TicketNumberParams });
  r.get(`${prefix}/:number/callins/suggestions`, one, async (_req, res) => {
    const { number } = one.of(res).params;
    const ticket = await deps.store.getByNumber(number);
    const callins = ticket ? await joint.forTicket(ticket.id) : [];
    const who = deps.callerOf(res);
    if (!ticket || !who || !JointHandling.sees(who, ticket, callins)) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    res.json({ suggestions: joint.suggestions(ticket, callins.map((c) => c.unit)) });
  });

  const callIn = validate({ params: TicketNumberParams, body: CallInBody });
  r.post(`${prefix}/:number/callins`, json, callIn, async (_req, res) => {
    const { params, body } = callIn.of(res);
    try {
      const result = await joint.callIn({ number: params.number, units: body.units, note: body.note, caller: caller(res) });
      const at = now();
      res.status(result.added.length ? 201 : 200).json({ added: result.added, already: result.already, callins: result.callins.map((c) => callinView(c, at)) });
    } catch (err) {
      fail(res, err);
    }
  });

  const report = validate({ params: TicketNumberParams, body: ReportBody });
  r.post(`${prefix}/:number/callins/report`, json, report, async (_req, res) => {
    const { params, body } = report.of(res);
    try {
      const result = await joint.report({ number: params.number, note: body.note, unit: body.unit, caller: caller(res) });
      res.json({ callin: callinView(result.callin, now()) });
    } catch (err) {
      fail(res, err);
    }
  });
  return r;
}
