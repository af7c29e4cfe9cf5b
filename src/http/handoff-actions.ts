// The operators' side of "转人工", shared by the bearer-token API (src/http/handoff-api.ts, for scripts) and the
// console's session API (src/http/admin, for people): list the conversations waiting for a person, reply into
// the citizen's own channel (through `outbound`, so a platform outage delays the reply instead of losing it),
// and hand the conversation back to the bot. Who may call is the mounting router's business (and
// src/http/access's), not this one's; which channels' conversations a role handles is decided here per entry.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Queue } from 'bullmq';
import { CHANNEL_NAMES } from '../core/envelope.js';
import type { HandoffDesk, HandoffEntry } from '../core/handoff-desk.js';
import type { ConversationStore } from '../core/conversation-state.js';
import type { DialoguePrompts } from '../core/dialogue/prompts.js';
import type { OutboundJob } from '../queue/queues.js';
import type { Lang } from '../nlu/decision.js';
import { sendError } from './http-errors.js';
import { validate } from './validate.js';
import { freeText, safeString } from './input-fields.js';
import { allowed } from './access/authorize.js';

export const HandoffTarget = z.object({ channel: z.enum(CHANNEL_NAMES), conversationId: safeString(200).min(1) }).strict();
export const HandoffReplyBody = HandoffTarget.extend({ text: freeText(2000), operator: safeString(64).optional() }).strict();
export type HandoffTargetT = z.infer<typeof HandoffTarget>;

export interface HandoffActionsDeps {
  desk: HandoffDesk;
  conversations: ConversationStore;
  outbound: Queue<OutboundJob>;
  prompts: Record<Lang, DialoguePrompts>;
}

export interface HandoffActions {
  /** Waiting conversations, oldest first. */
  list(): Promise<HandoffEntry[]>;
  /** Queues an operator's reply to the citizen and records it; undefined when nothing waits there. */
  reply(target: HandoffTargetT, text: string): Promise<{ queued: string } | undefined>;
  /** Gives the conversation back to the bot and tells the citizen; false when nothing waits there. */
  release(target: HandoffTargetT): Promise<boolean>;
}

export function handoffActions(deps: HandoffActionsDeps): HandoffActions {
  return {
    list: () => deps.desk.list(),
    async reply(target, text) {
      const entry = await deps.desk.get(target);
      if (!entry) return undefined;
      const id = `agent-${randomUUID()}`;
      await deps.outbound.add('agent-reply', { address: entry.address, reply: { id, text, kind: 'agent' } }, { jobId: id });
      await deps.desk.record(entry.address, 'agent', text, new Date());
      return { queued: id };
    },
    async release(target) {
      const entry = await deps.desk.get(target);
      if (!entry) return false;
      const state = await deps.conversations.get(target.channel, target.conversationId);
      await deps.conversations.set(target.channel, target.conversationId, { ...state, handoff: undefined, failures: 0 });
      await deps.desk.close(target);
      const id = `handoff-end-${randomUUID()}`;
      await deps.outbound.add('handoff-ended', { address: entry.address, reply: { id, text: deps.prompts[entry.lang].handoffEnded, kind: 'chitchat' } }, { jobId: id });
      return true;
    },
  };
}

const NOT_WAITING = 'no conversation waiting for a person there';

/**
 * GET `base` → {items}, POST `base`/reply {channel, conversationId, text} → 202 {queued},
 * POST `base`/release {channel, conversationId} → 200 {released: true}. Mount it behind the caller's auth.
 */
export function handoffRoutes(base: string, actions: HandoffActions): express.Router {
  const r = express.Router();
  r.use(base, express.json({ limit: '16kb' }));
  // A role may handle some channels' conversations only (social: Weibo's); the others are not theirs to see.
  const mine = (res: express.Response, channel: string) => allowed(res, 'update', { type: 'Handoff', channel });
  r.get(base, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: (await actions.list()).filter((e) => mine(res, e.address.channel)) });
  });
  const reply = validate({ body: HandoffReplyBody });
  r.post(`${base}/reply`, reply, async (_req, res) => {
    const { body } = reply.of(res);
    if (!mine(res, body.channel)) return sendError(res, 404, 'not_found', NOT_WAITING);
    const done = await actions.reply(body, body.text);
    if (!done) return sendError(res, 404, 'not_found', NOT_WAITING);
    res.status(202).json(done);
  });
  const release = validate({ body: HandoffTarget });
  r.post(`${base}/release`, release, async (_req, res) => {
    if (!mine(res, release.of(res).body.channel)) return sendError(res, 404, 'not_found', NOT_WAITING);
    if (!(await actions.release(release.of(res).body))) return sendError(res, 404, 'not_found', NOT_WAITING);
    res.json({ released: true });
  });
  return r;
}
