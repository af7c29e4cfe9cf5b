// A ticket's page shows the conversation that produced it: the ticket row keeps the envelope's channel,
// conversation id and message id, so the conversation log's turns (as long as they are kept) and the staff's notes
// on that conversation are found from the ticket. The turn whose id is the ticket's source message is marked.
//
//   GET /api/admin/tickets/:number/conversation  {channel, conversationId, sourceMessageId, transcript, notes}
import express from 'express';
import type { ConversationLog } from '../../core/conversation-log.js';
import type { ConversationNotes } from '../../tickets/conversation-notes.js';
import type { TicketStore } from '../../tickets/ticket-store.js';
import { sendError } from '../http-errors.js';
import { validate } from '../validate.js';
import { TicketNumberParams } from '../tickets-api.js';
import type { PhotoStore } from '../../tickets/photo-store.js';
import { withPhotos } from './turn-photos.js';

export interface TicketConversationDeps {
  store: Pick<TicketStore, 'getByNumber'>;
  conversationLog: ConversationLog;
  notes: ConversationNotes;
  photos: PhotoStore;
}

export function ticketConversationRoutes(deps: TicketConversationDeps): express.Router {
  const r = express.Router();
  const one = validate({ params: TicketNumberParams });
  r.get('/api/admin/tickets/:number/conversation', one, async (_req, res) => {
    const { number } = one.of(res).params;
    const t = await deps.store.getByNumber(number);
    if (!t) return sendError(res, 404, 'not_found', `no ticket ${number}`);
    const key = { channel: t.channel, conversationId: t.conversationId };
    const [transcript, notes] = await Promise.all([deps.conversationLog.read(key).catch(() => []), deps.notes.list(key)]);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ channel: t.channel, conversationId: t.conversationId, sourceMessageId: t.sourceMessageId, transcript: await withPhotos(deps.photos, key, transcript), notes });
  });
  return r;
}
