// Memory and descriptors of another process, read from /proc (Linux). Used for processes we cannot ask
// ourselves (`jiesu worker` children); undefined elsewhere.
import { readFileSync, readdirSync } from 'node:fs';

export function rssMbOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function fdCountOf(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    // Fields after the command name (which may contain spaces, so split after the closing parenthesis).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by every process whose command name is `name` (PostgreSQL forks a backend per
 * connection). Per-process counters, so a backend that exits in between takes its time with it: the bench's
 * pooled connections live through a run, which keeps this close.
 */
export function cpuSecondsOfAll(name: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      if (comm !== name) continue;
      const s = cpuSecondsOf(Number(d));
      if (s !== undefined) out[Number(d)] = s;
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CPU seconds the processes named `name` used between two cpuSecondsOfAll() readings (new ones count whole). */
export function cpuSecondsBetween(before: Record<number, number>, after: Record<number, number>): number {
  let total = 0;
  for (const [pid, s] of Object.entries(after)) total += s - (before[Number(pid)] ?? 0);
  return total;
}

/** Every process below `pid` (children, their children …) with its command name, read from /proc. */
export function descendantsOf(pid: number): { pid: number; comm: string }[] {
  const parentOf = new Map<number, number>();
  const commOf = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      commOf.set(Number(d), stat.slice(stat.indexOf('(') + 1, close));
      parentOf.set(Number(d), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; comm: string }[] = [];
  const below = (p: number) => {
    for (const [child, parent] of parentOf) if (parent === p) {
      out.push({ pid: child, comm: commOf.get(child) ?? '?' });
      below(child);
    }
  };
  below(pid);
  return out;
}
