// The staff audit log (table staff_audit): appended to by the HTTP layer for every change a staff member makes
// and every phone number revealed; read newest first by administrators.
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db.js';
import { staffAudit, type StaffAuditRow } from './schema.js';

export interface AuditEntry {
  user: string;
  role: string;
  action: string;
  ticketNumber?: string;
  detail?: string;
}

export interface AuditFilter {
  user?: string;
  ticketNumber?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(staffAudit).values({ user: entry.user, role: entry.role, action: entry.action, ticketNumber: entry.ticketNumber ?? null, detail: entry.detail ?? null });
  }

  async list(filter: AuditFilter = {}): Promise<{ items: StaffAuditRow[]; total: number }> {
    const where: SQL[] = [];
    if (filter.user) where.push(eq(staffAudit.user, filter.user));
    if (filter.ticketNumber) where.push(eq(staffAudit.ticketNumber, filter.ticketNumber));
    if (filter.action) where.push(eq(staffAudit.action, filter.action));
    if (filter.from) where.push(gte(staffAudit.at, filter.from));
    if (filter.to) where.push(lt(staffAudit.at, filter.to));
    const cond = where.length ? and(...where) : undefined;
    const items = await this.db
      .select()
      .from(staffAudit)
      .where(cond)
      .orderBy(desc(staffAudit.at), desc(staffAudit.id))
      .limit(Math.min(filter.limit ?? 100, 5000))
      .offset(filter.offset ?? 0);
    const [{ n }] = await this.db.select({ n: sql<number | string>`count(*)` }).from(staffAudit).where(cond);
    return { items, total: Number(n) };
  }
}
