// The agent inbox around "转人工" (Chatwoot's and Zammad's shape): one conversation with its whole transcript,
// its internal notes and the citizen's other open tickets; claim (认领) or assign (指派) it to a named staff
// user; mark it read; leave a note the citizen never sees; canned replies from the knowledge base and the saved
// replies. Mounted beside handoffRoutes on the same base, behind the same auth.
//
//   GET    base/conversation?channel&conversationId   {entry, transcript, notes, openTickets}
//   POST   base/claim   {channel, conversationId}       {claim}      409 when another user holds it
//   POST   base/assign  {channel, conversationId, user} {claim}
//   POST   base/read    {channel, conversationId}       {unread: 0}
//   POST   base/notes   {channel, conversationId, text} 201 note
//   GET    base/canned?q=                              {items: [{source, id, title, text}]}
//   GET    base/staff                                  {items: [{user, role, unit?}]}
//   GET|POST base/saved-replies, DELETE base/saved-replies/:id
import express from 'express';
import { z } from 'zod';
import type { ConversationLog } from '../../core/conversation-log.js';
import type { Nlu } from '../../nlu/decision.js';
import type { ConversationNotes } from '../../tickets/conversation-notes.js';
import { SavedReplyExistsError, type SavedReplies } from '../../tickets/saved-replies.js';
import type { OpenTicketSummary } from '../../tickets/citizen-open-tickets.js';
import { sendError, sendInvalid } from '../http-errors.js';
import { validate } from '../validate.js';
import { freeText, safeString } from '../input-fields.js';
import { HandoffTarget, sendHeld, staffOf, type HandoffActions, type HandoffTargetT } from '../handoff-actions.js';
import type { HandoffClaims } from './handoff-claims.js';
import type { StaffDirectory } from './staff-directory.js';
import { handoffThread } from './thread.js';
import { allowed } from '../access/authorize.js';
import { withPhotos } from './turn-photos.js';
import type { PhotoStore } from '../../tickets/photo-store.js';

export interface InboxDeps {
  actions: HandoffActions;
  claims: HandoffClaims;
  conversationLog: ConversationLog;
  notes: ConversationNotes;
  savedReplies: SavedReplies;
  openTickets(channel: string, senderId: string): Promise<OpenTicketSummary[]>;
  staff: StaffDirectory;
  nlu: Pick<Nlu, 'decide' | 'entry'>;
  photos: PhotoStore;
  now?: () => Date;
}

const NOT_WAITING = 'no conversation waiting for a person there';
const NoteBody = HandoffTarget.extend({ text: freeText(2000) }).strict();
const AssignBody = HandoffTarget.extend({ user: safeString(64).min(1) }).strict();
const CannedQuery = z.object({ q: z.string().overwrite((s) => s.trim()).pipe(safeString(200)).optional() }).strict();
const SavedReplyBody = z.object({ title: freeText(60), text: freeText(2000) }).strict();
const SavedReplyParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export function inboxRoutes(base: string, deps: InboxDeps): express.Router {
  const r = express.Router();
  const now = deps.now ?? (() => new Date());
  r.use(base, express.json({ limit: '16kb' }));
  // A conversation waiting for a person on a channel the caller's role handles (social: the public channels' only); the
  // others are answered as if nothing waited there.
  const waiting = (res: express.Response, target: HandoffTargetT) =>
    allowed(res, 'update', { type: 'Handoff', channel: target.channel }) ? deps.actions.get(target) : Promise.resolve(undefined);

  const one = validate({ query: HandoffTarget });
  r.get(`${base}/conversation`, one, async (_req, res) => {
    const target = one.of(res).query;
    const entry = await waiting(res, target);
    if (!entry) return sendError(res, 404, 'not_found', NOT_WAITING);
    const senderId = entry.address.senderId ?? entry.address.conversationId;
    const [log, notes, openTickets] = await Promise.all([
      deps.conversationLog.read(target).catch(() => []),
      deps.notes.list(target),
      deps.openTickets(target.channel, senderId),
    ]);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ entry, transcript: await withPhotos(deps.photos, target, handoffThread(log, entry.messages)), notes, openTickets });
  });

  const claim = validate({ body: HandoffTarget });
  r.post(`${base}/claim`, claim, async (_req, res) => {
    const target = claim.of(res).body;
    const who = staffOf(res);
    if (!who) return sendError(res, 401, 'unauthorized', 'sign in first');
    if (!(await waiting(res, target))) return sendError(res, 404, 'not_found', NOT_WAITING);
    const held = await deps.claims.claim(target, who, now());
    if (!held.ok) return sendHeld(res, held.claim);
    await deps.claims.markRead(target, who.user, now());
    res.json({ claim: held.claim });
  });

  const assign = validate({ body: AssignBody });
  r.post(`${base}/assign`, assign, async (_req, res) => {
    const { user, ...target } = assign.of(res).body;
    const by = staffOf(res);
    if (!by) return sendError(res, 401, 'unauthorized', 'sign in first');
    const to = await deps.staff.get(user);
    if (!to) return sendInvalid(res, { field: 'user', reason: `user: no staff user named ${user} answers citizens` });
    if (!(await waiting(res, target))) return sendError(res, 404, 'not_found', NOT_WAITING);
    res.json({ claim: await deps.claims.assign(target, to, by.user, now()) });
  });

  const read = validate({ body: HandoffTarget });
  r.post(`${base}/read`, read, async (_req, res) => {
    const target = read.of(res).body;
    const who = staffOf(res);
    if (!who) return sendError(res, 401, 'unauthorized', 'sign in first');
    if (!(await waiting(res, target))) return sendError(res, 404, 'not_found', NOT_WAITING);
    await deps.claims.markRead(target, who.user, now());
    res.json({ unread: 0 });
  });

  const note = validate({ body: NoteBody });
  r.post(`${base}/notes`, note, async (_req, res) => {
    const { text, ...target } = note.of(res).body;
    const who = staffOf(res);
    if (!who) return sendError(res, 401, 'unauthorized', 'sign in first');
    if (!(await waiting(res, target))) return sendError(res, 404, 'not_found', NOT_WAITING);
    res.status(201).json(await deps.notes.add(target, { author: who.user, authorRole: who.role, text }));
  });

  const canned = validate({ query: CannedQuery });
  r.get(`${base}/canned`, canned, async (_req, res) => {
    const q = canned.of(res).query.q ?? '';
    const saved = (await deps.savedReplies.list()).filter((s) => !q || s.title.includes(q) || s.text.includes(q));
    const kb = q
      ? deps.nlu
          .decide(q)
          .candidates.map((c) => deps.nlu.entry(c.faqId))
          .filter((e) => e !== undefined)
          .map((e) => ({ source: 'kb' as const, id: e.id, title: e.questions[0], text: e.answer }))
      : [];
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: [...saved.map((s) => ({ source: 'saved' as const, id: String(s.id), title: s.title, text: s.text })), ...kb] });
  });

  r.get(`${base}/staff`, async (_req, res) => {
    res.json({ items: await deps.staff.list() });
  });

  r.get(`${base}/saved-replies`, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: await deps.savedReplies.list() });
  });
  const addSaved = validate({ body: SavedReplyBody });
  r.post(`${base}/saved-replies`, addSaved, async (_req, res) => {
    const who = staffOf(res);
    if (!who) return sendError(res, 401, 'unauthorized', 'sign in first');
    try {
      res.status(201).json(await deps.savedReplies.add({ ...addSaved.of(res).body, createdBy: who.user }));
    } catch (err) {
      if (err instanceof SavedReplyExistsError) return sendError(res, 409, 'exists', err.message);
      throw err;
    }
  });
  const removeSaved = validate({ params: SavedReplyParams });
  r.delete(`${base}/saved-replies/:id`, removeSaved, async (_req, res) => {
    if (!(await deps.savedReplies.remove(removeSaved.of(res).params.id))) return sendError(res, 404, 'not_found', 'no such saved reply');
    res.status(204).end();
  });
  return r;
}
