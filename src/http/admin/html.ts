// Escaping for the few strings the server puts into console HTML (user name, CSRF token, messages).
// Everything else is filled in by the page scripts with textContent.
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => MAP[c]);
}
