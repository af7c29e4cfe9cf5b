// The pictures that belong to a ticket: those its message carried (details.attachments), uploaded by the
// ticket's own conversation or fetched from its channel. An id another conversation uploaded is never shown,
// so a citizen cannot attach someone else's picture by guessing or copying its id.
import type { TicketRow } from './schema.js';
import { photoIdOf, type PhotoInfo, type PhotoStore } from './photo-store.js';

export function attachmentRefsOf(t: Pick<TicketRow, 'details'>): string[] {
  const list = (t.details as { attachments?: unknown }).attachments;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a) => (a && typeof a === 'object' && (a as { kind?: unknown }).kind === 'image' && typeof (a as { url?: unknown }).url === 'string' ? [(a as { url: string }).url] : []));
}

export async function ticketPhotos(store: PhotoStore, t: Pick<TicketRow, 'details' | 'channel' | 'conversationId'>): Promise<PhotoInfo[]> {
  const refs = attachmentRefsOf(t);
  if (!refs.length) return [];
  const ids = await Promise.all(refs.map(async (ref) => photoIdOf(ref) ?? (await store.bySource(ref))));
  return store.infoFor(`${t.channel}:${t.conversationId}`, ids.filter((id): id is string => Boolean(id)));
}
