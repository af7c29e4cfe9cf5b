// The `problem-check` worker: one run per scheduled job. Every step is idempotent — suggestions are replaced
// as a whole, a proposal is unique per problem and ticket, a recurrence moves a problem out of `solved` once
// and its alert's job id is fixed by the problem and the day it was solved — so a job run twice after a worker
// died changes nothing twice.
import { Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import { workerOptions, type OutboundJob } from './queues.js';
import { jobIdFor } from '../core/job-id.js';
import { PROBLEM_CHECK_QUEUE, type ProblemCheckJob } from './problem-check-queue.js';
import type { ProblemStore } from '../tickets/problem-store.js';
import { suggestProblems, SUGGEST_DEFAULTS } from '../tickets/problem-suggestions.js';
import type { SamenessBars } from '../tickets/similarity.js';
import type { StaffAddress } from '../reports/spike-alerts.js';
import type { Logger } from '../log.js';

/** New tickets from this far back are compared with the problems at each run (longer than any period). */
const PROPOSE_LOOKBACK_MS = 8 * 86_400_000;

export interface ProblemCheckDeps {
  problems: ProblemStore;
  bars: SamenessBars;
  label(category: string): string;
  /** Where the lead unit's alert goes when a solved place calls again; unset = the status change only. */
  staff?: StaffAddress;
  outbound: Queue<OutboundJob>;
  /** With the hotline configured: queues a problem's current state for it (the sweep for changes not sent). */
  syncProblem?: (problem: { id: number; updatedAt: Date }) => Promise<void>;
  log: Logger;
  now?: () => Date;
}

export interface ProblemCheckResult {
  suggested: number;
  proposed: number;
  recurred: number;
}

export async function runProblemCheck(deps: ProblemCheckDeps, asOf: Date): Promise<ProblemCheckResult> {
  const window = await deps.problems.suggestionWindow(asOf, SUGGEST_DEFAULTS.weeks);
  const suggested = await deps.problems.replaceSuggestions(suggestProblems(window, { asOf, bars: deps.bars, label: deps.label }), asOf);
  const proposed = await deps.problems.proposeLinks(new Date(asOf.getTime() - PROPOSE_LOOKBACK_MS), deps.bars);
  const recurred = await deps.problems.recurrences(asOf);
  for (const p of recurred) {
    deps.log.warn({ problem: p.id, leadUnit: p.leadUnit }, 'a solved problem is recurring: back to monitoring');
    if (!deps.staff) continue;
    const id = jobIdFor(`problem-recurred|${p.id}|${p.solvedAt?.toISOString()}`);
    const text = `【问题清单】「${p.title}」办结后该处又有诉求，已转为持续监测，请牵头单位${p.leadUnit}关注（未诉先办）。`;
    await deps.outbound.add('problem-recurred', { address: { channel: deps.staff.channel, conversationId: deps.staff.conversationId }, reply: { id, text } }, { jobId: id });
  }
  if (deps.syncProblem) for (const p of await deps.problems.owedToHotline()) await deps.syncProblem(p);
  return { suggested, proposed, recurred: recurred.length };
}

export function createProblemCheckWorker(connection: ConnectionOptions, prefix: string, lockMs: number, deps: ProblemCheckDeps): Worker<ProblemCheckJob> {
  const run = async (_job: Job<ProblemCheckJob>) => {
    const result = await runProblemCheck(deps, deps.now?.() ?? new Date());
    deps.log.info(result, 'problem check done');
    return result;
  };
  const worker = new Worker<ProblemCheckJob>(PROBLEM_CHECK_QUEUE, run, { connection, prefix, concurrency: 1, ...workerOptions(lockMs) });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'problem check worker error'));
  worker.on('failed', (_job, err) => deps.log.warn({ err: err.message }, 'problem check failed; the next period tries again'));
  return worker;
}
