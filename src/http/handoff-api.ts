// Operators' side of "转人工" for scripts, with `Authorization: Bearer <ADMIN_TOKEN>`: list the conversations
// waiting for a person, reply into the citizen's own channel, and hand the conversation back to the bot; the agent
// inbox's routes (src/http/inbox) too, acting as the token's user.
// The logic lives in ./handoff-actions.ts, shared with the console's session API (/api/admin/console/handoffs).
import express from 'express';
import type { Queue } from 'bullmq';
import type { HandoffDesk } from '../core/handoff-desk.js';
import type { ConversationStore } from '../core/conversation-state.js';
import type { DialoguePrompts } from '../core/dialogue/prompts.js';
import type { OutboundJob } from '../queue/queues.js';
import type { Lang } from '../nlu/decision.js';
import { requireAdmin, type BearerToken } from './admin-auth.js';
import { handoffActions, handoffRoutes, type HandoffActions } from './handoff-actions.js';
import { inboxRoutes, type InboxDeps } from './inbox/inbox-routes.js';

export interface HandoffApiDeps {
  desk: HandoffDesk;
  conversations: ConversationStore;
  outbound: Queue<OutboundJob>;
  prompts: Record<Lang, DialoguePrompts>;
  adminToken: BearerToken;
  /** The shared actions, when the caller already built them (else built from the fields above). */
  actions?: HandoffActions;
  /** The agent inbox's routes (claim, assign, notes, canned replies), beside the actions. */
  inbox?: InboxDeps;
}

export function handoffApi(deps: HandoffApiDeps): express.Router {
  const r = express.Router();
  r.use('/api/admin/handoffs', requireAdmin(deps.adminToken));
  r.use(handoffRoutes('/api/admin/handoffs', deps.actions ?? handoffActions(deps)));
  if (deps.inbox) r.use(inboxRoutes('/api/admin/handoffs', deps.inbox));
  return r;
}
