// The pictures in a transcript, as staff see them: a citizen's turn lists the references its message carried, and
// those that are stored photos of this conversation (the widget's uploads, the platforms' files already fetched)
// become thumbnails. A reference to another conversation's photo is left out, as on the ticket page.
import type { ConversationKey, ConversationTurn } from '../../core/conversation-log.js';
import { photoIdOf, type PhotoStore } from '../../tickets/photo-store.js';

export interface TurnPhoto {
  id: string;
  url: string;
  thumbUrl: string;
}

export type TurnWithPhotos = Omit<ConversationTurn, 'attachments'> & { photos?: TurnPhoto[] };

export async function withPhotos(photos: PhotoStore, key: ConversationKey, turns: ConversationTurn[]): Promise<TurnWithPhotos[]> {
  const refs = turns.flatMap((t) => t.attachments ?? []);
  if (!refs.length) return turns;
  const idOf = new Map<string, string>();
  await Promise.all(
    refs.map(async (ref) => {
      const id = photoIdOf(ref) ?? (await photos.bySource(ref));
      if (id) idOf.set(ref, id);
    }),
  );
  const owned = new Set((await photos.infoFor(`${key.channel}:${key.conversationId}`, [...idOf.values()])).map((p) => p.id));
  return turns.map(({ attachments, ...turn }) => {
    const list = (attachments ?? []).flatMap((ref) => {
      const id = idOf.get(ref);
      return id && owned.has(id) ? [{ id, url: `/api/admin/photos/${id}`, thumbUrl: `/api/admin/photos/${id}/thumb` }] : [];
    });
    return list.length ? { ...turn, photos: list } : turn;
  });
}
