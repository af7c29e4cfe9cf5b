// Knowledge-base endpoints: list, create, edit and delete entries (validated, written to the KB file,
// hot-reloaded), "try a question" (the NLU's decision with the top candidates and their scores), and the
// questions the bot could not answer.
import express from 'express';
import { z } from 'zod';
import type { Nlu } from '../../nlu/decision.js';
import type { Db } from '../../tickets/db.js';
import { sendError } from '../http-errors.js';
import { invalidField, sendInvalid } from '../validate.js';
import { freeText, safeString } from '../input-fields.js';
import { storableText } from '../../core/storable-text.js';
import { KbEditError, type KbFile } from './kb-file.js';
import { questionTickets, type UnansweredLog } from './unanswered.js';

const EntryBody = z
  .object({
    id: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id must be a slug: lower-case letters, digits, - or _').max(80),
    topic: safeString(40).trim().optional(),
    questions: z.array(freeText(200)).min(1, 'needs at least one question').max(50),
    answer: z.string().overwrite(storableText).trim().min(1, 'answer must not be empty').max(4000),
    lang: z.enum(['zh', 'en']).optional(),
  })
  .strict();

const TryBody = z.object({ text: z.string().overwrite(storableText).trim().min(1, 'type a question').max(500) }).strict();

export interface KbRoutesDeps {
  nlu: Nlu;
  kb: KbFile;
  unanswered: UnansweredLog;
  db: Db;
  now: () => Date;
}

export function kbRoutes(deps: KbRoutesDeps): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '64kb' });

  const fail = (res: express.Response, err: unknown) => {
    if (err instanceof KbEditError) return sendError(res, err.code === 'not_found' ? 404 : err.code === 'exists' ? 409 : 400, err.code, err.message);
    throw err;
  };

  r.get('/api/admin/kb', async (_req, res) => {
    const entries = await deps.kb.entries();
    res.json({ path: deps.kb.path, size: entries.length, entries });
  });

  r.post('/api/admin/kb', json, async (req, res) => {
    const body = EntryBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    try {
      res.status(201).json(await deps.kb.upsert(body.data, { create: true }));
    } catch (err) {
      fail(res, err);
    }
  });

  r.put('/api/admin/kb/:id', json, async (req, res) => {
    const body = EntryBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    try {
      res.json(await deps.kb.upsert(body.data, { create: false, renameFrom: req.params.id }));
    } catch (err) {
      fail(res, err);
    }
  });

  r.delete('/api/admin/kb/:id', async (req, res) => {
    try {
      await deps.kb.remove(req.params.id);
      res.status(204).end();
    } catch (err) {
      fail(res, err);
    }
  });

  r.post('/api/admin/kb/try', json, (req, res) => {
    const body = TryBody.safeParse(req.body ?? {});
    if (!body.success) return sendInvalid(res, invalidField(body.error, 'body'));
    res.json(deps.nlu.decide(body.data.text, { now: deps.now() }));
  });

  r.get('/api/admin/unanswered', async (_req, res) => {
    const [recorded, tickets] = await Promise.all([deps.unanswered.recent(200).catch(() => []), questionTickets(deps.db, deps.now())]);
    res.json({ recorded, tickets });
  });
  return r;
}
