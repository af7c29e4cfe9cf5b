// A problem's lifecycle (举一反三): open → in progress → needs a project → solved → monitoring. "Monitoring" is
// a solved problem whose place called again: it stays owned and watched until someone solves it again or takes
// it back into work.
export const PROBLEM_STATUSES = ['open', 'in_progress', 'needs_project', 'solved', 'monitoring'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

const NEXT: Record<ProblemStatus, readonly ProblemStatus[]> = {
  open: ['in_progress', 'needs_project', 'solved'],
  in_progress: ['needs_project', 'solved'],
  needs_project: ['in_progress', 'solved'],
  solved: ['monitoring', 'in_progress'],
  monitoring: ['solved', 'in_progress'],
};

export function isProblemStatus(s: string): s is ProblemStatus {
  return (PROBLEM_STATUSES as readonly string[]).includes(s);
}

export function problemNext(from: ProblemStatus): readonly ProblemStatus[] {
  return NEXT[from];
}

