// Reads a V8 .cpuprofile and prints self time by package (or project file) and by function: the summary the
// profiling tools (bench/profile*.ts) print.
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number }

function owner(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  if (!url) return '(native/gc/idle)';
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(src|channels|bench)\//, '$1/');
}

export interface PrintOptions {
  /** Only samples in this span, in µs of the monotonic clock (process.hrtime, which V8's timestamps use too);
   *  all of them when none falls inside (clocks that do not line up). */
  window?: { from: number; to: number };
  packages?: number;
  functions?: number;
}

export function printProfile(file: string, opts: PrintOptions = {}): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const tally = (inWindow: (t: number) => boolean) => {
    const m = new Map<number, number>();
    let t = p.startTime;
    p.samples.forEach((id, i) => {
      t += p.timeDeltas[i] ?? 0;
      if (inWindow(t)) m.set(id, (m.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
    });
    return m;
  };
  const w = opts.window;
  let self = w ? tally((t) => t >= w.from && t <= w.to) : tally(() => true);
  if (!self.size) self = tally(() => true);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPkg = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const k = owner(n.callFrame.url);
    byPkg.set(k, (byPkg.get(k) ?? 0) + t);
    const f = `${n.callFrame.functionName || '(anon)'} ${k}:${n.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + t);
  }
  const show = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, v]) => console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`));
  console.log(`\nself time by package/file (${(total / 1e6).toFixed(1)} s sampled):`);
  show(byPkg, opts.packages ?? 30);
  console.log('\nself time by function:');
  show(byFn, opts.functions ?? 40);
  console.log(`\nprofile: ${file}`);
}
