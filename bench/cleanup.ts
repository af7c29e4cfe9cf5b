// Everything the benchmark creates (child processes, databases, Redis keys) registers how to undo itself
// here. The steps run newest first when the run ends, fails, or is interrupted, so a crashed or Ctrl-C'd run
// leaves no gateway running, no database behind and no keys under its prefixes.
interface Step { name: string; fn: () => Promise<void> | void }

const steps: Step[] = [];
/** Synchronous last resorts (SIGKILL of children) for process exit, where nothing async can run. */
const onExitSync = new Set<() => void>();
let running: Promise<void> | undefined;

/** Registers an undo step; the returned function runs it now (and only once) and unregisters it. */
export function deferCleanup(name: string, fn: () => Promise<void> | void): () => Promise<void> {
  const step: Step = { name, fn };
  steps.push(step);
  return async () => {
    const i = steps.indexOf(step);
    if (i < 0) return;
    steps.splice(i, 1);
    await fn();
  };
}

export function onExitSyncCleanup(fn: () => void): () => void {
  onExitSync.add(fn);
  return () => onExitSync.delete(fn);
}

/** Runs every registered step, newest first, each bounded in time; failures are reported, not thrown. */
export function cleanupAll(timeoutMs = 30_000): Promise<void> {
  return (running ??= (async () => {
    while (steps.length) {
      const step = steps.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.fn),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
        ]);
      } catch (err) {
        console.error(`cleanup: ${step.name}: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    running = undefined;
  })());
}

/** Ctrl-C, SIGTERM, or an unexpected error: undo everything, then exit. */
export function installCleanupHandlers(): void {
  let interrupted = false;
  const bail = (why: string, code: number) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\nbench: ${why}; cleaning up…`);
    // Never hang on the way out.
    setTimeout(() => process.exit(code), 60_000).unref();
    cleanupAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => bail('interrupted', 130));
  process.on('SIGTERM', () => bail('terminated', 143));
  process.on('uncaughtException', (err) => {
    console.error(err);
    bail('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => {
    console.error(err);
    bail('unhandled rejection', 1);
  });
  process.on('exit', () => {
    for (const fn of onExitSync) {
      try {
        fn();
      } catch {
        // exiting anyway
      }
    }
  });
}
