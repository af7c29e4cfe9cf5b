// The operators' side of "转人工", shared by the bearer-token API (src/http/handoff-api.ts, for scripts) and the
// console's session API (src/http/admin, for people): list the conversations waiting for a person (who has each
// and how many of the citizen's messages its holder has not read), reply into the citizen's own channel
// (through `outbound`, so a platform outage delays the reply instead of losing it), and hand the conversation
// back to the bot. Who may call is the mounting router's business (and src/http/access's), not this one's; which
// channels' conversations a role handles is decided here per entry. The agent inbox's other
// actions (claim, assign, notes, canned replies) are in ./inbox/inbox-routes.ts.
import express, { type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Queue } from 'bullmq';
import { CHANNEL_NAMES } from '../core/envelope.js';
import type { HandoffDesk, HandoffEntry } from '../core/handoff-desk.js';
import type { ConversationStore } from '../core/conversation-state.js';
import { replyTurn, type ConversationLog } from '../core/conversation-log.js';
import type { DialoguePrompts } from '../core/dialogue/prompts.js';
import type { OutboundJob } from '../queue/queues.js';
import type { Lang } from '../nlu/decision.js';
import { sendError } from './http-errors.js';
import { validate } from './validate.js';
import { freeText, safeString } from './input-fields.js';
import type { Claim, HandoffClaims, StaffMember } from './inbox/handoff-claims.js';
import { bearerIdentity } from './admin-auth.js';
import { sessionOf } from './admin/require-session.js';
import { allowed } from './access/authorize.js';

export const HandoffTarget = z.object({ channel: z.enum(CHANNEL_NAMES), conversationId: safeString(200).min(1) }).strict();
export const HandoffReplyBody = HandoffTarget.extend({ text: freeText(2000), operator: safeString(64).optional() }).strict();
export type HandoffTargetT = z.infer<typeof HandoffTarget>;

export interface HandoffActionsDeps {
  desk: HandoffDesk;
  conversations: ConversationStore;
  outbound: Queue<OutboundJob>;
  prompts: Record<Lang, DialoguePrompts>;
  /** Who holds each conversation and what they read (without it: nobody holds anything, nothing is unread). */
  claims?: HandoffClaims;
  /** Where operators' replies join the conversation's transcript. */
  conversationLog?: ConversationLog;
}

/** A waiting conversation as the inbox lists it. */
export interface InboxEntry extends HandoffEntry {
  claim?: Claim;
  /** The citizen's messages since the holder last read it (all of them while nobody holds it). */
  unread: number;
}

export type ReplyOutcome = { queued: string; claim?: Claim } | { heldBy: Claim } | undefined;

export interface HandoffActions {
  /** Waiting conversations, oldest first. */
  list(): Promise<InboxEntry[]>;
  /** One waiting conversation, or undefined. */
  get(target: HandoffTargetT): Promise<InboxEntry | undefined>;
  /**
   * Queues an operator's reply to the citizen and records it; the first reply claims an unclaimed conversation.
   * `{heldBy}` when another user holds it; undefined when nothing waits there.
   */
  reply(target: HandoffTargetT, text: string, by?: StaffMember): Promise<ReplyOutcome>;
  /** Gives the conversation back to the bot and tells the citizen; false when nothing waits there. */
  release(target: HandoffTargetT): Promise<boolean>;
}

export function handoffActions(deps: HandoffActionsDeps): HandoffActions {
  const { claims } = deps;
  const views = async (entries: HandoffEntry[]): Promise<InboxEntry[]> => {
    const held = (await claims?.holders(entries.map((e) => e.address))) ?? [];
    return entries.map((entry, i) => {
      const { claim, lastRead } = held[i] ?? {};
      const unread = entry.messages.filter((m) => m.from === 'citizen' && (!lastRead || m.at > lastRead)).length;
      return { ...entry, ...(claim ? { claim } : {}), unread };
    });
  };
  return {
    list: async () => views(await deps.desk.list()),
    async get(target) {
      const entry = await deps.desk.get(target);
      return entry && (await views([entry]))[0];
    },
    async reply(target, text, by) {
      const entry = await deps.desk.get(target);
      if (!entry) return undefined;
      const now = new Date();
      let claim: Claim | undefined;
      if (claims && by) {
        const held = await claims.claim(entry.address, by, now);
        if (!held.ok) return { heldBy: held.claim };
        claim = held.claim;
      }
      const id = `agent-${randomUUID()}`;
      const reply = { id, text, kind: 'agent' as const };
      // The transcript gets the reply with its author first: the delivery's own record of it then adds nothing.
      // Best effort: the transcript is a record for staff, and the reply is queued whether or not it was written
      // (a Redis outage behind it is logged once by the connection's watcher).
      await deps.conversationLog?.append(entry.address, [replyTurn(reply, id, now, by?.user)]).catch(() => {});
      await deps.outbound.add('agent-reply', { address: entry.address, reply }, { jobId: id });
      await deps.desk.record(entry.address, 'agent', text, now);
      if (claims && by) await claims.markRead(entry.address, by.user, now);
      return { queued: id, ...(claim ? { claim } : {}) };
    },
    async release(target) {
      const entry = await deps.desk.get(target);
      if (!entry) return false;
      const state = await deps.conversations.get(target.channel, target.conversationId);
      await deps.conversations.set(target.channel, target.conversationId, { ...state, handoff: undefined, failures: 0 });
      await deps.desk.close(target);
      await claims?.clear(target);
      const id = `handoff-end-${randomUUID()}`;
      await deps.outbound.add('handoff-ended', { address: entry.address, reply: { id, text: deps.prompts[entry.lang].handoffEnded, kind: 'chitchat' } }, { jobId: id });
      return true;
    },
  };
}

/**
 * The staff user a request speaks for: the console's session (set by loadSession, a bearer token's too) or the
 * bearer API's identity (set by requireAdmin).
 */
export function staffOf(res: Response): StaffMember | undefined {
  const who = sessionOf(res) ?? bearerIdentity(res);
  return who && { user: who.user, role: who.role, ...(who.unit ? { unit: who.unit } : {}) };
}

const NOT_WAITING = 'no conversation waiting for a person there';

/** 409 naming who holds the conversation. */
export function sendHeld(res: Response, claim: Claim): void {
  sendError(res, 409, 'claimed_by_other', `${claim.user} has this conversation; ask them, or assign it`, { claim });
}

/**
 * GET `base` → {items}, POST `base`/reply {channel, conversationId, text} → 202 {queued, claim?},
 * POST `base`/release {channel, conversationId} → 200 {released: true}. Mount it behind the caller's auth.
 */
export function handoffRoutes(base: string, actions: HandoffActions): express.Router {
  const r = express.Router();
  r.use(base, express.json({ limit: '16kb' }));
  // A role may handle some channels' conversations only (social: the public channels'); the others are not theirs to see.
  const mine = (res: express.Response, channel: string) => allowed(res, 'update', { type: 'Handoff', channel });
  r.get(base, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: (await actions.list()).filter((e) => mine(res, e.address.channel)) });
  });
  const reply = validate({ body: HandoffReplyBody });
  r.post(`${base}/reply`, reply, async (_req, res) => {
    const { body } = reply.of(res);
    if (!mine(res, body.channel)) return sendError(res, 404, 'not_found', NOT_WAITING);
    const done = await actions.reply(body, body.text, staffOf(res));
    if (!done) return sendError(res, 404, 'not_found', NOT_WAITING);
    if ('heldBy' in done) return sendHeld(res, done.heldBy);
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
