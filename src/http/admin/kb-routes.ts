// Knowledge-base endpoints. Entries live in the database, versioned (src/tickets/kb-store.ts); every change —
// create, edit, delete, restore, and the review queue's attach and create — goes through the KbEditor: the
// eval cases are run against the new version, a regression is refused with 409 and the diff unless the call
// says `?confirm=true`, and the published version is served by every gateway within seconds. Also: "try a
// question", the version history and export, per-entry help rates, the review queue, and staff correcting a
// ticket's category (training data for the category model).
import express from 'express';
import { z } from 'zod';
import type { Nlu } from '../../nlu/decision.js';
import type { KbEntry } from '../../nlu/kb.js';
import { formatKb } from '../../nlu/kb.js';
import type { Db } from '../../tickets/db.js';
import { KbStoreError, type KbStore } from '../../tickets/kb-store.js';
import type { CategoryCorrections } from '../../tickets/category-corrections.js';
import type { FaqRates, RedisFaqStats, UnsolvedQuestion } from '../../queue/faq-stats.js';
import { TicketNumberParams } from '../tickets-api.js';
import { sendError, sendRefusal } from '../http-errors.js';
import { validate } from '../validate.js';
import { freeText, queryFlag, queryInt, safeString } from '../input-fields.js';
import { storableText } from '../../core/storable-text.js';
import { categoryIds } from '../../reports/labels.js';
import { KbRegressionError, type KbEditor } from './kb-editor.js';
import { questionTickets, type UnansweredLog } from './unanswered.js';
import { resolveReviewItem, reviewItems } from './review-queue.js';
import { sessionOf } from './require-session.js';

const Slug = z.string().trim().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id must be a slug: lower-case letters, digits, - or _').max(80);
const Answer = z.string().overwrite(storableText).trim().min(1, 'answer must not be empty').max(4000);

const EntryBody = z
  .object({
    id: Slug,
    topic: safeString(40).trim().optional(),
    questions: z.array(freeText(200)).min(1, 'needs at least one question').max(50),
    answer: Answer,
    lang: z.enum(['zh', 'en']).optional(),
  })
  .strict();

const EntryParams = z.object({ id: safeString(80) });
const VersionParams = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
const ConfirmQuery = z.object({ confirm: queryFlag.optional() }).strict();
const ExportQuery = z.object({ version: queryInt(1, 2_147_483_647).optional() }).strict();
const TryBody = z.object({ text: z.string().overwrite(storableText).trim().min(1, 'type a question').max(500) }).strict();
const ReviewKey = z.string().regex(/^[0-9a-f]{24}$/, 'a review item key (24 hex digits)');
const AttachBody = z.object({ key: ReviewKey, text: freeText(200), faqId: Slug }).strict();
const CreateBody = z
  .object({ key: ReviewKey, text: freeText(200), entry: z.object({ id: Slug, topic: safeString(40).trim().optional(), answer: Answer, questions: z.array(freeText(200)).max(49).optional() }).strict() })
  .strict();
const DismissBody = z.object({ key: ReviewKey }).strict();
const CategoryBody = z.object({ category: z.string().refine((c) => categoryIds().includes(c), 'not a category of the taxonomy') }).strict();

export interface KbRoutesDeps {
  nlu: Nlu;
  store: KbStore;
  editor: KbEditor;
  unanswered: UnansweredLog;
  stats: { rates(): Promise<Map<string, FaqRates>>; unsolvedQuestions(limit?: number): Promise<UnsolvedQuestion[]> };
  corrections: CategoryCorrections;
  /** After a category correction: retrain here and tell the other gateways. */
  correctionsChanged: () => Promise<void>;
  db: Db;
  now: () => Date;
}

const clean = (e: z.output<typeof EntryBody>): KbEntry => ({
  id: e.id,
  ...(e.topic ? { topic: e.topic } : {}),
  questions: e.questions,
  answer: e.answer,
  lang: e.lang ?? 'zh',
});

export function kbRoutes(deps: KbRoutesDeps): express.Router {
  const r = express.Router();
  const json = express.json({ limit: '64kb' });
  const actor = (res: express.Response) => `operator:${sessionOf(res)?.user ?? 'admin'}`;

  const fail = (res: express.Response, err: unknown) => {
    if (err instanceof KbRegressionError) return sendError(res, 409, 'regression', err.message, { diff: err.diff });
    if (err instanceof KbStoreError) return sendRefusal(res, { code: err.code, message: err.message, httpStatus: err.code === 'not_found' ? 404 : err.code === 'invalid' ? 400 : 409 });
    throw err;
  };
  const publish = async (res: express.Response, status: number, run: () => Promise<Record<string, unknown>>) => {
    try {
      res.status(status).json(await run());
    } catch (err) {
      fail(res, err);
    }
  };
  const missing = (id: string) => new KbStoreError('not_found', `no entry with id '${id}'`);

  r.get('/api/admin/kb', async (_req, res) => {
    const current = await deps.store.current();
    res.json({ version: current?.version ?? 0, size: current?.entries.length ?? 0, entries: current?.entries ?? [] });
  });

  /** Publishes a version with one entry more; an id already taken is refused (409 exists). */
  const addEntry = (res: express.Response, entry: KbEntry, confirm: boolean | undefined) =>
    deps.editor.apply(
      (entries) => {
        if (entries.some((e) => e.id === entry.id)) throw new KbStoreError('exists', `an entry with id '${entry.id}' already exists`);
        return [...entries, entry];
      },
      { actor: actor(res), action: 'create', note: entry.id },
      confirm,
    );

  const create = validate({ query: ConfirmQuery, body: EntryBody });
  r.post('/api/admin/kb', json, create, (_req, res) => {
    const { query, body } = create.of(res);
    const entry = clean(body);
    return publish(res, 201, async () => {
      const { version, diff } = await addEntry(res, entry, query.confirm);
      return { entry, version: version.version, diff };
    });
  });

  const edit = validate({ params: EntryParams, query: ConfirmQuery, body: EntryBody });
  r.put('/api/admin/kb/:id', json, edit, (_req, res) => {
    const { params, query, body } = edit.of(res);
    const entry = clean(body);
    return publish(res, 200, async () => {
      const { version, diff } = await deps.editor.apply(
        (entries) => {
          const i = entries.findIndex((e) => e.id === params.id);
          if (i < 0) throw missing(params.id);
          if (entry.id !== params.id && entries.some((e) => e.id === entry.id)) throw new KbStoreError('exists', `an entry with id '${entry.id}' already exists`);
          entries[i] = entry;
          return entries;
        },
        { actor: actor(res), action: 'edit', note: params.id === entry.id ? entry.id : `${params.id} → ${entry.id}` },
        query.confirm,
      );
      return { entry, version: version.version, diff };
    });
  });

  const remove = validate({ params: EntryParams, query: ConfirmQuery });
  r.delete('/api/admin/kb/:id', remove, (_req, res) => {
    const { params, query } = remove.of(res);
    return publish(res, 200, async () => {
      const { version, diff } = await deps.editor.apply(
        (entries) => {
          if (!entries.some((e) => e.id === params.id)) throw missing(params.id);
          return entries.filter((e) => e.id !== params.id);
        },
        { actor: actor(res), action: 'delete', note: params.id },
        query.confirm,
      );
      return { version: version.version, diff };
    });
  });

  const tryInput = validate({ body: TryBody });
  r.post('/api/admin/kb/try', json, tryInput, (_req, res) => {
    res.json(deps.nlu.decide(tryInput.of(res).body.text, { now: deps.now() }));
  });

  r.get('/api/admin/kb/versions', async (_req, res) => {
    res.json({ versions: await deps.store.versions(100) });
  });

  const oneVersion = validate({ params: VersionParams });
  r.get('/api/admin/kb/versions/:version', oneVersion, async (_req, res) => {
    const v = await deps.store.version(oneVersion.of(res).params.version);
    if (!v) return sendError(res, 404, 'not_found', 'no such knowledge-base version');
    res.json(v);
  });

  const restore = validate({ params: VersionParams, query: ConfirmQuery });
  r.post('/api/admin/kb/versions/:version/restore', restore, async (_req, res) => {
    const { params, query } = restore.of(res);
    const old = await deps.store.version(params.version);
    if (!old) return sendError(res, 404, 'not_found', 'no such knowledge-base version');
    return publish(res, 200, async () => {
      const { version, diff } = await deps.editor.apply(() => structuredClone(old.entries), { actor: actor(res), action: 'restore', note: `version ${old.version}` }, query.confirm);
      return { version: version.version, restored: old.version, diff };
    });
  });

  const exportQuery = validate({ query: ExportQuery });
  r.get('/api/admin/kb/export.yaml', exportQuery, async (_req, res) => {
    const { version } = exportQuery.of(res).query;
    const v = version ? await deps.store.version(version) : await deps.store.current();
    if (!v) return sendError(res, 404, 'not_found', 'no such knowledge-base version');
    res
      .type('application/yaml; charset=utf-8')
      .attachment(`faq-v${v.version}.yaml`)
      .send(formatKb(v.entries, `knowledge base version ${v.version}, ${v.action} by ${v.actor} at ${v.createdAt.toISOString()}`));
  });

  r.get('/api/admin/kb/stats', async (_req, res) => {
    const [current, rates] = await Promise.all([deps.store.current(), deps.stats.rates().catch(() => new Map<string, FaqRates>())]);
    const entries = (current?.entries ?? []).map((e) => {
      const r = rates.get(e.id) ?? { given: 0, helpful: 0, unsolved: 0 };
      const rated = r.helpful + r.unsolved;
      return { id: e.id, question: e.questions[0], ...r, helpfulRate: rated ? r.helpful / rated : null, unsolvedRate: rated ? r.unsolved / rated : null };
    });
    // Worst first: the most 没解决 among rated entries, then the most given.
    const worst = entries.filter((e) => e.unsolved > 0).sort((a, b) => (b.unsolvedRate ?? 0) - (a.unsolvedRate ?? 0) || b.unsolved - a.unsolved).slice(0, 10);
    res.json({ entries: entries.sort((a, b) => b.given - a.given), worst });
  });

  r.get('/api/admin/unanswered', async (_req, res) => {
    const [recorded, tickets] = await Promise.all([deps.unanswered.recent(200).catch(() => []), questionTickets(deps.db, deps.now())]);
    res.json({ recorded, tickets });
  });

  const sources = { unanswered: deps.unanswered, unsolved: () => deps.stats.unsolvedQuestions(), corrections: deps.corrections, db: deps.db, now: deps.now };
  r.get('/api/admin/review', async (_req, res) => {
    res.json({ items: await reviewItems(sources) });
  });

  const attach = validate({ query: ConfirmQuery, body: AttachBody });
  r.post('/api/admin/review/attach', json, attach, (_req, res) => {
    const { query, body } = attach.of(res);
    return publish(res, 200, async () => {
      const { version, diff } = await deps.editor.apply(
        (entries) => {
          const e = entries.find((x) => x.id === body.faqId);
          if (!e) throw missing(body.faqId);
          if (!e.questions.includes(body.text)) e.questions.push(body.text);
          return entries;
        },
        { actor: actor(res), action: 'attach', note: body.faqId },
        query.confirm,
      );
      await resolveReviewItem(deps.db, body.key, 'attached', actor(res), { faqId: body.faqId, kbVersion: version.version });
      return { version: version.version, diff };
    });
  });

  const createFrom = validate({ query: ConfirmQuery, body: CreateBody });
  r.post('/api/admin/review/create', json, createFrom, (_req, res) => {
    const { query, body } = createFrom.of(res);
    const entry: KbEntry = {
      id: body.entry.id,
      ...(body.entry.topic ? { topic: body.entry.topic } : {}),
      questions: [body.text, ...(body.entry.questions ?? []).filter((q) => q !== body.text)],
      answer: body.entry.answer,
      lang: 'zh',
    };
    return publish(res, 201, async () => {
      const { version, diff } = await addEntry(res, entry, query.confirm);
      await resolveReviewItem(deps.db, body.key, 'created', actor(res), { faqId: entry.id, kbVersion: version.version });
      return { entry, version: version.version, diff };
    });
  });

  const dismiss = validate({ body: DismissBody });
  r.post('/api/admin/review/dismiss', json, dismiss, async (_req, res) => {
    await resolveReviewItem(deps.db, dismiss.of(res).body.key, 'dismissed', actor(res));
    res.status(204).end();
  });

  const recategorize = validate({ params: TicketNumberParams, body: CategoryBody });
  r.post('/api/admin/tickets/:number/category', json, recategorize, async (_req, res) => {
    const { params, body } = recategorize.of(res);
    const c = await deps.corrections.correct(params.number, body.category, actor(res));
    if (c === undefined) return sendError(res, 404, 'not_found', 'no such ticket');
    if (c) await deps.correctionsChanged();
    res.json({ number: params.number, category: body.category, changed: c !== null });
  });
  return r;
}
