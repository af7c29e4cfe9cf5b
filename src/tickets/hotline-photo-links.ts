// The photo links a ticket carries to the external hotline: its photos (src/tickets/ticket-photos.ts), each a
// signed, expiring link under PUBLIC_URL. Without PUBLIC_URL there is no address the hotline could fetch them
// from, so tickets go without links.
import type { PhotoStore } from './photo-store.js';
import { ticketPhotos } from './ticket-photos.js';
import { photoLink, type PhotoLink } from '../photos/photo-link.js';
import type { TicketRow } from './schema.js';

export function hotlinePhotoLinks(photos: PhotoStore, secret: string, publicUrl: string | undefined): { photoLinks?: (t: TicketRow) => Promise<PhotoLink[]> } {
  if (!publicUrl) return {};
  return { photoLinks: async (t) => (await ticketPhotos(photos, t)).map((p) => photoLink(publicUrl, secret, p.id, Date.now())) };
}
