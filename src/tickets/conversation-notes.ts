// Internal notes on a conversation (the agent inbox's 备注, also shown on the tickets it produced): kept in the
// ticket database so they outlive the conversation log. Nothing here is ever sent to a channel.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { conversationNotes, type ConversationNoteRow } from './schema.js';
import type { ConversationKey } from '../core/conversation-log.js';

export interface ConversationNote {
  id: number;
  author: string;
  authorRole: string;
  text: string;
  at: string;
}

const view = (r: ConversationNoteRow): ConversationNote => ({ id: r.id, author: r.author, authorRole: r.authorRole, text: r.text, at: r.createdAt.toISOString() });

/** A conversation keeps at most this many notes (the oldest are still kept; new ones are refused past it). */
export const MAX_NOTES_PER_CONVERSATION = 200;

export class ConversationNotes {
  constructor(private readonly db: Db) {}

  async list(c: ConversationKey): Promise<ConversationNote[]> {
    const rows = await this.db
      .select()
      .from(conversationNotes)
      .where(and(eq(conversationNotes.channel, c.channel), eq(conversationNotes.conversationId, c.conversationId)))
      .orderBy(asc(conversationNotes.createdAt), asc(conversationNotes.id))
      .limit(MAX_NOTES_PER_CONVERSATION);
    return rows.map(view);
  }

  async add(c: ConversationKey, note: { author: string; authorRole: string; text: string }): Promise<ConversationNote> {
    const [row] = await this.db
      .insert(conversationNotes)
      .values({ channel: c.channel, conversationId: c.conversationId, author: note.author, authorRole: note.authorRole, text: note.text })
      .returning();
    return view(row);
  }
}
