// Every route an express app answers, read from its router stack (express 5: app.router.stack, nested routers
// included), so a test over "every route" covers a new one without being edited.
import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  /** The express path, with its parameters (`/api/tickets/:number`). */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  /** A router (its stack), or a mounted express app (its router's stack: `router` in express 5, `_router` in 4). */
  handle?: { stack?: Layer[]; router?: { stack?: Layer[] }; _router?: { stack?: Layer[] } };
  /** The mount path of app.use / router.use (express 5). */
  rawPath?: unknown;
}

const nested = (l: Layer): Layer[] | undefined => l.handle?.stack ?? l.handle?.router?.stack ?? l.handle?._router?.stack;

function asPaths(p: unknown, where: string): string[] {
  const list = Array.isArray(p) ? p.flat(Infinity) : [p];
  for (const x of list)
    if (typeof x !== 'string') throw new Error(`${where}: a route or mount path that is not a string (${String(x)}) cannot be listed; give it a string path`);
  return list as string[];
}

export function listRoutes(app: Express): RouteInfo[] {
  const out = new Map<string, RouteInfo>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of asPaths(layer.route.path, prefix || '/'))
          for (const method of Object.keys(layer.route.methods)) {
            const r = { method: method === '_all' ? 'POST' : method.toUpperCase(), path: prefix + path };
            out.set(`${r.method} ${r.path}`, r);
          }
      } else if (nested(layer)) {
        for (const mount of asPaths(layer.rawPath ?? '/', prefix || '/')) walk(nested(layer)!, prefix + (mount === '/' ? '' : mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...out.values()];
}

/**
 * Opens what the app builds on first use, so that its routes are in the stack listRoutes reads: the queue
 * dashboard (bull-board, loaded by the first request for /admin/queues that passes the login).
 */
export async function openLazyRoutes(gw: { url: string; adminToken: string }): Promise<void> {
  const res = await fetch(`${gw.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
  if (res.status !== 200) throw new Error(`opening the queue dashboard: ${res.status} ${await res.text()}`);
}
