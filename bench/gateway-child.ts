// A real gateway in its own process (forked by the bench), configured entirely by its environment like
// `npm start`. It answers `stats` with its own memory and open handles, which only the process itself can see.
// First, as in src/cli.ts: the young generation is held small through the start (src/start-heap.ts).
import { releaseYoungGenerationAfter } from '../src/start-heap.js';
import { readdirSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startGateway } from '../src/gateway.js';
import { announce, serve } from './ipc.js';

export interface GatewayStats {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  /** process.getActiveResourcesInfo().length: sockets, timers, handles keeping the loop alive. */
  activeResources: number;
  resourcesByType: Record<string, number>;
  openFds?: number;
  cpuUserS: number;
  cpuSystemS: number;
}

function stats(): GatewayStats {
  const mem = process.memoryUsage();
  const resources = process.getActiveResourcesInfo?.() ?? [];
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r] = (byType[r] ?? 0) + 1;
  let openFds: number | undefined;
  try {
    openFds = readdirSync('/proc/self/fd').length;
  } catch {
    // not Linux
  }
  const cpu = process.cpuUsage();
  return {
    rssMb: mem.rss / 2 ** 20,
    heapUsedMb: mem.heapUsed / 2 ** 20,
    externalMb: mem.external / 2 ** 20,
    activeResources: resources.length,
    resourcesByType: byType,
    ...(openFds !== undefined ? { openFds } : {}),
    cpuUserS: cpu.user / 1e6,
    cpuSystemS: cpu.system / 1e6,
  };
}

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const gateway = await startGateway(config, log);
releaseYoungGenerationAfter(5000);

let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= gateway.stop().catch((err) => console.error('gateway stop:', err)));

serve(
  {
    stats: () => stats(),
    /** A full collection first, so growth figures are not just garbage not yet collected (needs --expose-gc). */
    gcStats: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return stats();
    },
    stop: async () => {
      await stop();
      setImmediate(() => process.exit(0));
      return true;
    },
  },
  stop,
);
announce({ url: gateway.url, pid: process.pid, workers: config.runWorkers });
