// Staff correcting a ticket's category: the ticket gets the new category (with an event saying who changed it
// from what), and the correction is kept as training data for the category model (category_corrections), which
// every gateway adds to its model at start and after each change (src/http/admin/knowledge-sources.ts).
import { asc, desc, eq, gt } from 'drizzle-orm';
import type { Db } from './db.js';
import { categoryCorrections, ticketEvents, tickets } from './schema.js';

export interface CategoryCorrection {
  id: number;
  ticketNumber?: string;
  text: string;
  fromCategory?: string;
  toCategory: string;
  actor: string;
  createdAt: Date;
}

export class CategoryCorrections {
  constructor(private readonly db: Db) {}

  /** Sets the ticket's category; undefined when there is no such ticket, null when it already had it. */
  async correct(number: string, category: string, actor: string): Promise<CategoryCorrection | null | undefined> {
    return this.db.transaction(async (tx) => {
      const [t] = await tx.select({ id: tickets.id, text: tickets.text, category: tickets.category, status: tickets.status }).from(tickets).where(eq(tickets.number, number)).for('update');
      if (!t) return undefined;
      if (t.category === category) return null;
      await tx.update(tickets).set({ category }).where(eq(tickets.id, t.id));
      await tx.insert(ticketEvents).values({ ticketId: t.id, kind: 'category', fromStatus: t.status, toStatus: t.status, actor, note: `分类 ${t.category ?? '-'} → ${category}` });
      const [row] = await tx.insert(categoryCorrections).values({ ticketId: t.id, text: t.text, fromCategory: t.category, toCategory: category, actor }).returning();
      return { id: row.id, ticketNumber: number, text: row.text, ...(row.fromCategory ? { fromCategory: row.fromCategory } : {}), toCategory: row.toCategory, actor, createdAt: row.createdAt };
    });
  }

  /** Corrections after `afterId`, oldest first (what a model that has seen up to afterId still lacks). */
  async since(afterId: number): Promise<CategoryCorrection[]> {
    const rows = await this.db.select().from(categoryCorrections).where(gt(categoryCorrections.id, afterId)).orderBy(asc(categoryCorrections.id));
    return rows.map(toCorrection);
  }

  async recent(limit = 200): Promise<CategoryCorrection[]> {
    const rows = await this.db
      .select({ c: categoryCorrections, number: tickets.number })
      .from(categoryCorrections)
      .innerJoin(tickets, eq(tickets.id, categoryCorrections.ticketId))
      .orderBy(desc(categoryCorrections.id))
      .limit(limit);
    return rows.map((r) => ({ ...toCorrection(r.c), ticketNumber: r.number }));
  }
}

function toCorrection(r: typeof categoryCorrections.$inferSelect): CategoryCorrection {
  return { id: r.id, text: r.text, ...(r.fromCategory ? { fromCategory: r.fromCategory } : {}), toCategory: r.toCategory, actor: r.actor, createdAt: r.createdAt };
}
