// Knowledge-base endpoints: list, create, edit and delete entries (validated, written to the KB file,
// hot-reloaded), "try a question" (the NLU's decision with the top candidates and their scores), and the
// questions the bot could not answer.
import express from 'express';
import { z } from 'zod';
import type { Nlu } from '../../nlu/decision.js';
import type { Db } from '../../tickets/db.js';
import { sendError } from '../http-errors.js';
import { sendInvalid, validate } from '../validate.js';
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

const EntryParams = z.object({ id: safeString(80) });

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
    if (err instanceof KbEditError && err.code === 'invalid') return sendInvalid(res, { field: 'body', reason: err.message });
    if (err instanceof KbEditError) return sendError(res, err.code === 'not_found' ? 404 : 409, err.code, err.message);
    throw err;
  };

  r.get('/api/admin/kb', async (_req, res) => {
    const entries = await deps.kb.entries();
    res.json({ path: deps.kb.path, size: entries.length, entries });
  });

  const create = validate({ body: EntryBody });
  r.post('/api/admin/kb', json, create, async (_req, res) => {
    try {
      res.status(201).json(await deps.kb.upsert(create.of(res).body, { create: true }));
    } catch (err) {
      fail(res, err);
    }
  });

  const edit = validate({ params: EntryParams, body: EntryBody });
  r.put('/api/admin/kb/:id', json, edit, async (_req, res) => {
    const { params, body } = edit.of(res);
    try {
      res.json(await deps.kb.upsert(body, { create: false, renameFrom: params.id }));
    } catch (err) {
      fail(res, err);
    }
  });

  const remove = validate({ params: EntryParams });
  r.delete('/api/admin/kb/:id', remove, async (_req, res) => {
    try {
      await deps.kb.remove(remove.of(res).params.id);
      res.status(204).end();
    } catch (err) {
      fail(res, err);
    }
  });

  const tryInput = validate({ body: TryBody });
  r.post('/api/admin/kb/try', json, tryInput, (_req, res) => {
    res.json(deps.nlu.decide(tryInput.of(res).body.text, { now: deps.now() }));
  });

  r.get('/api/admin/unanswered', async (_req, res) => {
    const [recorded, tickets] = await Promise.all([deps.unanswered.recent(200).catch(() => []), questionTickets(deps.db, deps.now())]);
    res.json({ recorded, tickets });
  });
  return r;
}
