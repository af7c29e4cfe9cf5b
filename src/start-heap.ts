// The young generation through a start. Starting allocates a great deal that lives a little (every module
// compiled, the configuration checked, migrations, the lexicons and knowledge base parsed and indexed), and V8
// answers by growing the young generation to its maximum (2 × 16 MB). It then keeps that size, every page of
// it resident, for as long as the process does not allocate fast, which an idle gateway never does: a third
// of the idle gateway's heap. So the young generation is held at its initial size from the first module
// evaluated (this one, cli.ts's first import) until the start is over, at the price of more (cheap)
// scavenges meanwhile, and then grows again as usual when traffic comes: V8 reads the flag at each growth
// decision, so restoring it restores V8's behaviour under load.
import v8 from 'node:v8';

const FLAG = '--semi-space-growth-factor';
/** V8's default for the flag (Node 20–24). */
const V8_DEFAULT = 2;

/** Whether the process was started with the flag (command line or NODE_OPTIONS): then it is left alone. */
function setByUser(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.replace(/_/g, '-').startsWith(FLAG));
}

let held = !setByUser();
if (held) v8.setFlagsFromString(`${FLAG}=1`);

/** Lets the young generation grow as V8 would again (at once; later calls do nothing). */
export function releaseYoungGeneration(): void {
  if (!held) return;
  held = false;
  v8.setFlagsFromString(`${FLAG}=${V8_DEFAULT}`);
}

/**
 * The same, `ms` from now: a start leaves some work running right after it (the workers' first polls, the first
 * knowledge sync), which is let finish within the initial young generation too.
 */
export function releaseYoungGenerationAfter(ms: number): void {
  setTimeout(releaseYoungGeneration, ms).unref();
}
