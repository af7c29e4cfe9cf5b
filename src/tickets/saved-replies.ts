// Replies operators saved to send again (快捷回复), beside the knowledge base's answers in the agent inbox.
import { asc, eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { savedReplies, type SavedReplyRow } from './schema.js';

export interface SavedReply {
  id: number;
  title: string;
  text: string;
  createdBy: string;
  createdAt: string;
}

export class SavedReplyExistsError extends Error {
  readonly code = 'exists';
}

const view = (r: SavedReplyRow): SavedReply => ({ id: r.id, title: r.title, text: r.text, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() });

export class SavedReplies {
  constructor(private readonly db: Db) {}

  async list(): Promise<SavedReply[]> {
    return (await this.db.select().from(savedReplies).orderBy(asc(savedReplies.title)).limit(500)).map(view);
  }

  /** Throws SavedReplyExistsError when the title is taken. */
  async add(input: { title: string; text: string; createdBy: string }): Promise<SavedReply> {
    const [row] = await this.db.insert(savedReplies).values(input).onConflictDoNothing().returning();
    if (!row) throw new SavedReplyExistsError(`a saved reply titled "${input.title}" exists`);
    return view(row);
  }

  async remove(id: number): Promise<boolean> {
    return (await this.db.delete(savedReplies).where(eq(savedReplies.id, id)).returning({ id: savedReplies.id })).length > 0;
  }
}
