// Request/response over the IPC channel of a forked child. The benchmark's parts run in separate processes
// (gateway, load generator, hello-world, raw BullMQ) so none shares an event loop with what it measures;
// this is the only way they talk.
import type { ChildProcess } from 'node:child_process';

interface Request { rpc: number; type: string; payload?: unknown }
interface Response { rpc: number; ok: boolean; result?: unknown; error?: string }

type Handler = (payload: never) => unknown;

/** Child side: answers the parent's requests; exits when the parent goes away (so nothing is orphaned). */
export function serve(handlers: Record<string, Handler>, onParentGone: () => Promise<void> | void = () => {}): void {
  if (!process.send) throw new Error('this module must be started with child_process.fork');
  process.on('message', async (m: Request) => {
    if (!m || typeof m.rpc !== 'number') return;
    const handler = handlers[m.type];
    let reply: Response;
    try {
      if (!handler) throw new Error(`unknown request ${m.type}`);
      reply = { rpc: m.rpc, ok: true, result: await handler(m.payload as never) };
    } catch (err) {
      reply = { rpc: m.rpc, ok: false, error: (err as Error).stack ?? String(err) };
    }
    if (process.connected) process.send!(reply);
  });
  process.on('disconnect', () => {
    // The parent died or let go: stop within a few seconds whatever happens.
    setTimeout(() => process.exit(1), 5000).unref();
    Promise.resolve(onParentGone()).finally(() => process.exit(0));
  });
}

/** Child side: tells the parent it is up (the parent's `ready()` resolves with this). */
export function announce(info: Record<string, unknown>): void {
  process.send?.({ ready: true, ...info });
}

let nextRpc = 1;

/** Parent side: sends one request and waits for its answer, at most `timeoutMs`. */
export function call<T>(child: ChildProcess, type: string, payload?: unknown, timeoutMs = 60_000): Promise<T> {
  const rpc = nextRpc++;
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: Response) => {
      if (!m || m.rpc !== rpc) return;
      cleanup();
      if (m.ok) resolve(m.result as T);
      else reject(new Error(`child ${type} failed: ${m.error}`));
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}, signal ${signal}) during ${type}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child did not answer ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ rpc, type, payload } satisfies Request);
  });
}

/** Parent side: waits for the child's `announce()`. */
export function ready<T extends Record<string, unknown>>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: { ready?: boolean }) => {
      if (!m?.ready) return;
      cleanup();
      resolve(m as unknown as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}, signal ${signal}) before it was ready`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
