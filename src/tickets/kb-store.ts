// The knowledge base in the ticket database (PGlite or PostgreSQL), versioned: every change writes the whole
// new list of entries as a new version with who made it and when (kb_versions), so any version can be shown,
// exported or restored exactly. Changes are read-modify-write under one advisory lock, so two gateways
// editing at once cannot lose each other's change: the second reads the first one's version.
import { desc, eq, max, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { kbVersions } from './schema.js';
import { KbError, validateKbEntries, type KbEntry } from '../nlu/kb.js';

/** pg_advisory_xact_lock key of knowledge-base changes (any constant no other lock uses). */
const KB_LOCK = 727_346;

export interface KbVersionInfo {
  version: number;
  actor: string;
  action: string;
  note?: string;
  createdAt: Date;
  size: number;
}

export interface KbVersion extends KbVersionInfo {
  entries: KbEntry[];
}

export interface KbChange {
  actor: string;
  action: string;
  note?: string;
}

export type KbStoreErrorCode = 'invalid' | 'not_found' | 'exists' | 'conflict';

export class KbStoreError extends Error {
  constructor(
    readonly code: KbStoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class KbStore {
  constructor(private readonly db: Db) {}

  /** The newest version's number, 0 when the database holds no knowledge base yet. */
  async latestVersion(): Promise<number> {
    const [row] = await this.db.select({ v: max(kbVersions.id) }).from(kbVersions);
    return row?.v ?? 0;
  }

  async current(): Promise<KbVersion | undefined> {
    const [row] = await this.db.select().from(kbVersions).orderBy(desc(kbVersions.id)).limit(1);
    return row && toVersion(row);
  }

  async version(id: number): Promise<KbVersion | undefined> {
    const [row] = await this.db.select().from(kbVersions).where(eq(kbVersions.id, id));
    return row && toVersion(row);
  }

  /** Newest first, without their entries. */
  async versions(limit = 50): Promise<KbVersionInfo[]> {
    const rows = await this.db
      .select({
        id: kbVersions.id,
        actor: kbVersions.actor,
        action: kbVersions.action,
        note: kbVersions.note,
        createdAt: kbVersions.createdAt,
        size: sql<number>`jsonb_array_length(${kbVersions.entries})`.mapWith(Number),
      })
      .from(kbVersions)
      .orderBy(desc(kbVersions.id))
      .limit(limit);
    return rows.map((r) => ({ version: r.id, actor: r.actor, action: r.action, ...(r.note ? { note: r.note } : {}), createdAt: r.createdAt, size: r.size }));
  }

  /** Writes `entries` as the first version unless some version exists already; true when it did. */
  async seed(entries: KbEntry[], change: KbChange): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${KB_LOCK})`);
      const [row] = await tx.select({ v: max(kbVersions.id) }).from(kbVersions);
      if (row?.v) return false;
      await tx.insert(kbVersions).values({ entries: checked(entries), actor: change.actor, action: change.action, note: change.note ?? null });
      return true;
    });
  }

  /**
   * Applies `edit` to the current entries and writes the result as a new version. `edit` may throw a
   * KbStoreError (nothing is written); the new list is validated as a whole before it is written.
   * `expectVersion`, when given, must still be the current version (else 'conflict').
   */
  async change(edit: (entries: KbEntry[]) => KbEntry[] | Promise<KbEntry[]>, change: KbChange, expectVersion?: number): Promise<KbVersion> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${KB_LOCK})`);
      const [row] = await tx.select().from(kbVersions).orderBy(desc(kbVersions.id)).limit(1);
      if (expectVersion !== undefined && (row?.id ?? 0) !== expectVersion) {
        throw new KbStoreError('conflict', `the knowledge base changed meanwhile (now version ${row?.id ?? 0}, not ${expectVersion}); look again`);
      }
      const next = checked(await edit(row ? [...row.entries] : []));
      const [inserted] = await tx
        .insert(kbVersions)
        .values({ entries: next, actor: change.actor, action: change.action, note: change.note ?? null })
        .returning();
      return toVersion(inserted);
    });
  }
}

/** The entries as the format allows them, or KbStoreError('invalid') saying what is wrong. */
export function checked(entries: KbEntry[]): KbEntry[] {
  try {
    return validateKbEntries(entries);
  } catch (err) {
    if (err instanceof KbError) throw new KbStoreError('invalid', err.detail);
    throw err;
  }
}

function toVersion(row: typeof kbVersions.$inferSelect): KbVersion {
  return {
    version: row.id,
    actor: row.actor,
    action: row.action,
    ...(row.note ? { note: row.note } : {}),
    createdAt: row.createdAt,
    size: row.entries.length,
    entries: row.entries,
  };
}
