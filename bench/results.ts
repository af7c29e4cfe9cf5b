// The shape of bench/results.json. The first keys are the ones the issue asks for; everything measured to
// explain them follows in the same sections.
import type { MachineFacts } from './machine.js';
import type { FaqHttpResult } from './faq-http.js';
import type { FaqLatencyResult } from './faq-latency.js';
import type { ComplaintRun, WorkerPlacement } from './tickets.js';
import type { RawBullmqResult } from './raw-bullmq.js';
import type { SoakResult } from './soak.js';
import type { MetricsSummary } from './prometheus.js';
import type { MatcherBenchResult } from './matcher.js';
import type { ReportTiming } from './reports.js';

export interface BenchResults {
  mode: 'quick' | 'full';
  machine: MachineFacts;
  faqHttp?: FaqHttpResult;
  /** FAQ latency at a fixed offered rate below saturation. */
  faqLatency?: FaqLatencyResult;
  tickets?: {
    /** The best placement's end-to-end rows per second. */
    perSecond: number;
    rawBullmqPerSecond: number;
    ratio: number;
    best: WorkerPlacement;
    ackPerSecond: number;
    rawAddPerSecond: number;
    ackRatio: number;
    runs: ComplaintRun[];
    raw: RawBullmqResult;
  };
  matcher?: { p50Ms: number; p99Ms: number; perSecond: number; detail: MatcherBenchResult };
  /** Peak RSS of the gateway during the FAQ load. */
  rssMb?: number;
  soak?: SoakResult | { skipped: string };
  prometheus?: MetricsSummary;
  reports?: ReportTiming[] | { skipped: string };
  errors: { part: string; message: string }[];
  durationS: number;
}
