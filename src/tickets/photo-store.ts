// Citizens' pictures in the ticket database (PGlite or PostgreSQL), so a second gateway, a backup and a restore
// all have them without a shared disk. Only processed pictures are stored (src/photos/photo-processing.ts).
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { photos } from './schema.js';
import type { GpsHint, ProcessedPhoto } from '../photos/photo-processing.js';

export interface PhotoInfo {
  id: string;
  owner: string;
  width: number;
  height: number;
  gps?: GpsHint;
  createdAt: Date;
}

/** The reference a message's attachment carries for a picture already stored here. */
export const PHOTO_REF_PREFIX = 'photo:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function photoIdOf(ref: string): string | undefined {
  if (!ref.startsWith(PHOTO_REF_PREFIX)) return undefined;
  const id = ref.slice(PHOTO_REF_PREFIX.length);
  return UUID.test(id) ? id : undefined;
}

export function isPhotoId(id: string): boolean {
  return UUID.test(id);
}

export class PhotoStore {
  constructor(private readonly db: Db) {}

  /** Stores one picture; with a `source`, a second save of the same platform picture returns the first's id. */
  async save(owner: string, photo: ProcessedPhoto, source?: string): Promise<string> {
    const id = randomUUID();
    const rows = await this.db
      .insert(photos)
      .values({ id, owner, source: source ?? null, mime: photo.mime, width: photo.width, height: photo.height, bytes: photo.bytes, thumb: photo.thumb, gps: photo.gps ?? null })
      .onConflictDoNothing({ target: photos.source })
      .returning({ id: photos.id });
    if (rows[0]) return rows[0].id;
    const existing = await this.db.select({ id: photos.id }).from(photos).where(eq(photos.source, source!));
    return existing[0]!.id;
  }

  /** Several pictures in one transaction: a message's pictures are all stored or none is. */
  async saveAll(owner: string, list: ProcessedPhoto[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const ids = list.map(() => randomUUID());
      if (list.length) {
        await tx.insert(photos).values(
          list.map((p, i) => ({ id: ids[i]!, owner, mime: p.mime, width: p.width, height: p.height, bytes: p.bytes, thumb: p.thumb, gps: p.gps ?? null })),
        );
      }
      return ids;
    });
  }

  async bySource(source: string): Promise<string | undefined> {
    const rows = await this.db.select({ id: photos.id }).from(photos).where(eq(photos.source, source));
    return rows[0]?.id;
  }

  /** The pictures among `ids` that `owner` sent, in the order asked (others' ids are silently left out). */
  async infoFor(owner: string, ids: string[]): Promise<PhotoInfo[]> {
    const valid = ids.filter(isPhotoId);
    if (!valid.length) return [];
    const rows = await this.db
      .select({ id: photos.id, owner: photos.owner, width: photos.width, height: photos.height, gps: photos.gps, createdAt: photos.createdAt })
      .from(photos)
      .where(and(eq(photos.owner, owner), inArray(photos.id, valid)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return valid.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ id: r.id, owner: r.owner, width: r.width, height: r.height, createdAt: r.createdAt, ...(r.gps ? { gps: r.gps } : {}) }] : [];
    });
  }

  async content(id: string, size: 'full' | 'thumb'): Promise<{ mime: string; bytes: Buffer } | undefined> {
    if (!isPhotoId(id)) return undefined;
    const column = size === 'thumb' ? photos.thumb : photos.bytes;
    const rows = await this.db.select({ mime: photos.mime, bytes: column }).from(photos).where(eq(photos.id, id));
    return rows[0];
  }

  /** Removes `owner`'s photos among those the refs name (uploaded ids or platform sources); returns how many. */
  async removeOf(owner: string, refs: string[]): Promise<number> {
    if (!refs.length) return 0;
    const ids = refs.map(photoIdOf).filter((id): id is string => Boolean(id));
    const sources = refs.filter((r) => !photoIdOf(r));
    const which = [...(ids.length ? [inArray(photos.id, ids)] : []), ...(sources.length ? [inArray(photos.source, sources)] : [])];
    const gone = await this.db
      .delete(photos)
      .where(and(eq(photos.owner, owner), which.length === 1 ? which[0] : or(...which)))
      .returning({ id: photos.id });
    return gone.length;
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: sql<number>`count(*)::int` }).from(photos);
    return rows[0]?.n ?? 0;
  }
}
