// Operators' side of "转人工": list the conversations waiting for a person, reply into the citizen's own
// channel (through `outbound`, so a platform outage delays the reply instead of losing it), and hand the
// conversation back to the bot.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Queue } from 'bullmq';
import { CHANNEL_NAMES } from '../core/envelope.js';
import type { HandoffDesk } from '../core/handoff-desk.js';
import type { ConversationStore } from '../core/conversation-state.js';
import type { DialoguePrompts } from '../core/dialogue/prompts.js';
import type { OutboundJob } from '../queue/queues.js';
import type { Lang } from '../nlu/decision.js';
import { requireAdmin } from './admin-auth.js';
import { sendError } from './http-errors.js';

const Target = z.object({ channel: z.enum(CHANNEL_NAMES), conversationId: z.string().min(1).max(200) }).strict();
const ReplyBody = Target.extend({ text: z.string().trim().min(1, 'text is empty').max(2000), operator: z.string().max(64).optional() }).strict();

export interface HandoffApiDeps {
  desk: HandoffDesk;
  conversations: ConversationStore;
  outbound: Queue<OutboundJob>;
  prompts: Record<Lang, DialoguePrompts>;
  adminToken: string | undefined;
}

export function handoffApi(deps: HandoffApiDeps): express.Router {
  const r = express.Router();
  r.use('/api/admin/handoffs', requireAdmin(deps.adminToken), express.json({ limit: '16kb' }));

  r.get('/api/admin/handoffs', async (_req, res) => {
    res.json({ items: await deps.desk.list() });
  });

  r.post('/api/admin/handoffs/reply', async (req, res) => {
    const body = ReplyBody.safeParse(req.body);
    if (!body.success) return sendError(res, 400, 'invalid_request', `${body.error.issues[0].path.join('.')}: ${body.error.issues[0].message}`);
    const entry = await deps.desk.get(body.data);
    if (!entry) return sendError(res, 404, 'not_found', 'no conversation waiting for a person there');
    const id = `agent-${randomUUID()}`;
    await deps.outbound.add('agent-reply', { address: entry.address, reply: { id, text: body.data.text, kind: 'agent' } }, { jobId: id });
    await deps.desk.record(entry.address, 'agent', body.data.text, new Date());
    res.status(202).json({ queued: id });
  });

  r.post('/api/admin/handoffs/release', async (req, res) => {
    const body = Target.safeParse(req.body);
    if (!body.success) return sendError(res, 400, 'invalid_request', `${body.error.issues[0].path.join('.')}: ${body.error.issues[0].message}`);
    const entry = await deps.desk.get(body.data);
    if (!entry) return sendError(res, 404, 'not_found', 'no conversation waiting for a person there');
    const state = await deps.conversations.get(body.data.channel, body.data.conversationId);
    await deps.conversations.set(body.data.channel, body.data.conversationId, { ...state, handoff: undefined, failures: 0 });
    await deps.desk.close(body.data);
    const id = `handoff-end-${randomUUID()}`;
    await deps.outbound.add('handoff-ended', { address: entry.address, reply: { id, text: deps.prompts[entry.lang].handoffEnded, kind: 'chitchat' } }, { jobId: id });
    res.json({ released: true });
  });
  return r;
}
