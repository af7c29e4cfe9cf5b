// Who may do what: one CASL ability per staff identity, built from its role (issue 17's five roles). Routes
// name what they need in route-rules.ts; which tickets a unit reaches is ticket-scope.ts (a record-level rule
// the database answers, so a list and a single ticket are scoped by the same condition).
import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { StaffRole } from '../../tickets/staff-store.js';

/**
 * - `read`, `update`, `create`, `delete`: the usual; `manage` is any action.
 * - `dispatch`: send a ticket to a unit, or send it elsewhere (派单、改派) and refuse it (不予受理).
 * - `readPersonal`: see citizens' phone numbers (and other personal numbers in a ticket's text) unmasked;
 *   `reveal`: unmask one ticket's phone number (显示, audited).
 * - `readIdentity`: see who the citizen is (name, platform ids, the collected details); without it a ticket is
 *   read as an analyst reads it, anonymous.
 */
export const ACTIONS = ['manage', 'read', 'create', 'update', 'delete', 'dispatch', 'readPersonal', 'readIdentity', 'reveal'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What the console and the APIs are made of. `Console` is a logged-in person's own things (the session, the
 * reference data the forms use); `Ticket` covers the list, one ticket, its events and exports.
 */
export const SUBJECTS = ['Console', 'Ticket', 'Handoff', 'Mention', 'KnowledgeBase', 'Report', 'Problem', 'DeadLetter', 'Queue', 'User', 'AuditLog'] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** A handed-over conversation as far as the rules look at it (social handles the public channels' only). */
export interface HandoffSubject {
  channel: string;
}

export type AppAbility = MongoAbility<[Action, SubjectName | 'all' | ({ __caslSubjectType__: 'Handoff' } & HandoffSubject)]>;

/** Who is asking: a session or a bearer token (ADMIN_TOKEN is `admin`). */
export interface Actor {
  user: string;
  role: StaffRole;
  unit?: string;
}

/**
 * The channels whose replies everyone sees (microblog): the social-media team's. Registered by the composition
 * root from the channel definitions (ChannelDefinition.capabilities.publicReplies), so no channel is named here.
 */
let socialChannels: readonly string[] = [];

export function registerSocialChannels(names: readonly string[]): void {
  socialChannels = [...names];
}

export function abilityFor(who: Pick<Actor, 'role'>): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  can('read', 'Console');
  switch (who.role) {
    case 'admin':
      can('manage', 'all');
      break;
    case 'operator':
      // The hotline centre: every ticket, dispatch and supervision, 转人工, the knowledge base, failed jobs.
      can(['read', 'update', 'dispatch', 'readPersonal', 'readIdentity', 'reveal'], 'Ticket');
      can('manage', ['Handoff', 'KnowledgeBase', 'Problem', 'DeadLetter']);
      // Supervision: reports, and running the spike check now.
      can(['read', 'update'], 'Report');
      break;
    case 'unit':
      // Its own tickets only (ticket-scope.ts): accept, start, resolve, return; numbers masked until revealed.
      can(['read', 'update', 'readIdentity', 'reveal'], 'Ticket');
      break;
    case 'social':
      can('manage', 'Mention');
      can('manage', 'Handoff', { channel: { $in: [...socialChannels] } });
      can(['read', 'readPersonal', 'readIdentity'], 'Ticket');
      break;
    case 'analyst':
      can(['read', 'reveal'], 'Ticket');
      can('read', ['Report', 'Problem']);
      break;
  }
  return build();
}
