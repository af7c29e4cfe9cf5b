// Builds the agent inbox for the gateway: the handoff actions (with claims and the transcript) shared by the
// bearer API and the console, and the inbox's own routes' dependencies.
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import type { Nlu, Lang } from '../../nlu/decision.js';
import type { DialoguePrompts } from '../../core/dialogue/prompts.js';
import type { StaffStore } from '../../tickets/staff-store.js';
import { ConversationNotes } from '../../tickets/conversation-notes.js';
import { SavedReplies } from '../../tickets/saved-replies.js';
import { citizenOpenTickets } from '../../tickets/citizen-open-tickets.js';
import { handoffActions, type HandoffActions } from '../handoff-actions.js';
import { HandoffClaims } from './handoff-claims.js';
import { staffDirectory } from './staff-directory.js';
import type { InboxDeps } from './inbox-routes.js';

export { inboxRoutes, type InboxDeps } from './inbox-routes.js';
export { ticketConversationRoutes } from './ticket-conversation-routes.js';

export interface AgentInboxOptions {
  config: Pick<Config, 'queuePrefix' | 'adminToken' | 'adminUsers'>;
  services: Pick<Services, 'handoffs' | 'conversations' | 'conversationLog' | 'queues' | 'database' | 'photos'>;
  redis: Redis;
  prompts: Record<Lang, DialoguePrompts>;
  nlu: Nlu;
  accounts?: StaffStore;
}

export function createAgentInbox(o: AgentInboxOptions): { actions: HandoffActions; inbox: InboxDeps } {
  const { services, config } = o;
  const db = services.database.db;
  const claims = new HandoffClaims(o.redis, config.queuePrefix);
  const actions = handoffActions({
    desk: services.handoffs,
    conversations: services.conversations,
    outbound: services.queues.outbound,
    prompts: o.prompts,
    claims,
    conversationLog: services.conversationLog,
  });
  const bootstrapAdmins = [...(config.adminToken ? ['admin'] : []), ...config.adminUsers.map((u) => u.name)];
  return {
    actions,
    inbox: {
      actions,
      claims,
      conversationLog: services.conversationLog,
      notes: new ConversationNotes(db),
      savedReplies: new SavedReplies(db),
      openTickets: (channel, senderId) => citizenOpenTickets(db, channel, senderId),
      staff: staffDirectory({ bootstrapAdmins, ...(o.accounts ? { accounts: o.accounts } : {}) }),
      nlu: o.nlu,
      photos: services.photos,
    },
  };
}
