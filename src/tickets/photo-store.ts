// Citizens' pictures: the metadata in the ticket database (PGlite or PostgreSQL), the bytes there too by default,
// so a second gateway, a backup and a restore all have them without a shared disk; with an object store
// (PhotoBlobs, PHOTO_S3_*) the bytes go there and the row keeps only where they are. Each row says where its own
// bytes are, so rows written before the configuration changed stay readable. Only processed pictures are stored
// (src/photos/photo-processing.ts).
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { photos } from './schema.js';
import type { GpsHint, ProcessedPhoto } from '../photos/photo-processing.js';
import type { PhotoBlobs } from './photo-blobs.js';

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

const fullKey = (id: string) => id;
const thumbKey = (id: string) => `${id}.thumb`;

export class PhotoStore {
  /** Without `blobs` the bytes are kept in the `photos` rows. */
  constructor(
    private readonly db: Db,
    private readonly blobs?: PhotoBlobs,
  ) {}

  /** Stores one picture; with a `source`, a second save of the same platform picture returns the first's id. */
  async save(owner: string, photo: ProcessedPhoto, source?: string): Promise<string> {
    const id = randomUUID();
    await this.putObjects([{ id, photo }]);
    const rows = await this.db
      .insert(photos)
      .values({ id, owner, source: source ?? null, ...this.rowBytes(photo), mime: photo.mime, width: photo.width, height: photo.height, gps: photo.gps ?? null })
      .onConflictDoNothing({ target: photos.source })
      .returning({ id: photos.id });
    if (rows[0]) return rows[0].id;
    // Another worker stored this platform picture first: its objects stay, ours go.
    // Not deleted (the store away), our copies are unreferenced objects: no row points at them, nothing serves them.
    await this.blobs?.delete([fullKey(id), thumbKey(id)]).catch(() => {});
    const existing = await this.db.select({ id: photos.id }).from(photos).where(eq(photos.source, source!));
    return existing[0]!.id;
  }

  /** Several pictures in one transaction: a message's pictures are all stored or none is. */
  async saveAll(owner: string, list: ProcessedPhoto[]): Promise<string[]> {
    const items = list.map((photo) => ({ id: randomUUID(), photo }));
    // Objects first, then the rows: a row never points at a missing object. A failed insert after the puts
    // leaves objects no row names; they hold no more than the citizen sent and are accepted as orphans.
    await this.putObjects(items);
    return this.db.transaction(async (tx) => {
      if (items.length) {
        await tx.insert(photos).values(
          items.map(({ id, photo: p }) => ({ id, owner, ...this.rowBytes(p), mime: p.mime, width: p.width, height: p.height, gps: p.gps ?? null })),
        );
      }
      return items.map((i) => i.id);
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
    const rows = await this.db.select({ mime: photos.mime, bytes: column, storage: photos.storage }).from(photos).where(eq(photos.id, id));
    const row = rows[0];
    if (!row) return undefined;
    if (row.storage === 'db') return row.bytes ? { mime: row.mime, bytes: row.bytes } : undefined;
    // A row in the object store while none is configured: the picture cannot be reached from here.
    const bytes = await this.blobs?.get(size === 'thumb' ? thumbKey(id) : fullKey(id));
    return bytes ? { mime: row.mime, bytes } : undefined;
  }

  /** Removes `owner`'s photos among those the refs name (uploaded ids or platform sources); returns how many. */
  async removeOf(owner: string, refs: string[]): Promise<number> {
    if (!refs.length) return 0;
    const ids = refs.map(photoIdOf).filter((id): id is string => Boolean(id));
    const sources = refs.filter((r) => !photoIdOf(r));
    const which = [...(ids.length ? [inArray(photos.id, ids)] : []), ...(sources.length ? [inArray(photos.source, sources)] : [])];
    const where = and(eq(photos.owner, owner), which.length === 1 ? which[0] : or(...which));
    // The objects are deleted before the rows' deletion commits: a failed delete keeps the rows, so the next
    // retention run tries again instead of forgetting objects that still show a citizen's home or face.
    return this.db.transaction(async (tx) => {
      const gone = await tx.delete(photos).where(where).returning({ id: photos.id, storage: photos.storage });
      const objects = gone.filter((g) => g.storage !== 'db').flatMap((g) => [fullKey(g.id), thumbKey(g.id)]);
      if (objects.length) {
        if (!this.blobs) throw new Error('photos are in the object store but PHOTO_S3_* is not configured; they are kept');
        await this.blobs.delete(objects);
      }
      return gone.length;
    });
  }

  async count(): Promise<number> {
    const rows = await this.db.select({ n: sql<number>`count(*)::int` }).from(photos);
    return rows[0]?.n ?? 0;
  }

  private async putObjects(items: { id: string; photo: ProcessedPhoto }[]): Promise<void> {
    const blobs = this.blobs;
    if (!blobs) return;
    await Promise.all(items.flatMap(({ id, photo }) => [blobs.put(fullKey(id), photo.bytes, photo.mime), blobs.put(thumbKey(id), photo.thumb, 'image/jpeg')]));
  }

  /** The row's share of the bytes: all of them without an object store, only where they are with one. */
  private rowBytes(photo: ProcessedPhoto): { bytes: Buffer | null; thumb: Buffer | null; storage: 'db' | 's3' } {
    return this.blobs ? { bytes: null, thumb: null, storage: this.blobs.kind } : { bytes: photo.bytes, thumb: photo.thumb, storage: 'db' };
  }
}
