// Which pages may open a WebSocket here. Browsers let any page open a socket to any host and send the page's
// Origin with it, so without this check a foreign site could talk to the gateway from a citizen's browser.
// Allowed: the gateway's own origin (the Origin's host is the request's Host) and the portal origins in
// CORS_ORIGINS, the same ones that may call the web chat API. An upgrade without an Origin is allowed: only
// browsers send one and they always do, so a missing Origin means a program (a bot, a monitor), which could
// send any Origin it liked anyway — refusing it would protect nothing.
import type { IncomingMessage } from 'node:http';

export function upgradeOriginAllowed(req: IncomingMessage, corsOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and anything malformed
  }
  if (parsed.host === req.headers.host) return true;
  return corsOrigins.some((allowed) => {
    try {
      return new URL(allowed).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}
