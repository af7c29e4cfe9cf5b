// A ticket's statuses and the one table of allowed transitions. Everything that changes a status (admin API,
// the external hotline's callbacks, the citizen's return-visit answer, dispatch at creation) asks here first.
//
//   received ──▶ dispatched ──▶ in_progress ──▶ resolved ──▶ visited (closed)
//                 ▲  │  ▲           │               │
//                 │  ▼  └───────────┼── reopened ◀──┘ (不满意)
//               returned ◀──────────┘   (wrong jurisdiction: the office gives it back, it is re-dispatched)
//   rejected from any open status (not within the hotline's remit).

export const STATUSES = ['received', 'dispatched', 'in_progress', 'resolved', 'visited', 'returned', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses in which someone still owes the citizen work: these can go overdue and take duplicates. */
export const OPEN_STATUSES: readonly Status[] = ['received', 'dispatched', 'in_progress', 'returned'];
/** The time limit no longer runs once the office reports the work done (or the ticket is closed). */
export const CLOSED_STATUSES: readonly Status[] = ['resolved', 'visited', 'rejected'];

/** What offices and operators may set through the API and the hotline callback; `visited` comes from the citizen. */
export const OFFICE_STATUSES = ['dispatched', 'in_progress', 'resolved', 'returned', 'rejected'] as const;
export type OfficeStatus = (typeof OFFICE_STATUSES)[number];

const TRANSITIONS: Record<Status, readonly Status[]> = {
  received: ['dispatched', 'rejected'],
  // dispatched → dispatched is a re-dispatch (改派) to another unit.
  dispatched: ['dispatched', 'in_progress', 'resolved', 'returned', 'rejected'],
  in_progress: ['resolved', 'returned', 'rejected'],
  returned: ['dispatched', 'rejected'],
  // in_progress from resolved = reopened (the citizen was not satisfied, or an operator reopens it).
  resolved: ['visited', 'in_progress'],
  visited: [],
  rejected: [],
};

export function isStatus(v: unknown): v is Status {
  return typeof v === 'string' && (STATUSES as readonly string[]).includes(v);
}

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export type TransitionCheck = { ok: true } | { ok: false; code: 'forbidden_transition' | 'unit_required' | 'same_unit'; reason: string };

/**
 * Whether `from → to` is allowed. Dispatching needs a unit to dispatch to: the one given, or for a plain
 * re-dispatch a different one than the ticket has.
 */
export function checkTransition(from: string, to: Status, opts: { unit?: string; currentUnit?: string | null } = {}): TransitionCheck {
  if (!isStatus(from)) return { ok: false, code: 'forbidden_transition', reason: `the ticket has an unknown status '${from}'` };
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from];
    return {
      ok: false,
      code: 'forbidden_transition',
      reason: `a ${from} ticket cannot become ${to}; allowed next: ${allowed.length ? allowed.join(', ') : 'none (the ticket is closed)'}`,
    };
  }
  if (to === 'dispatched' && (from === 'received' || from === 'returned') && !opts.unit)
    return { ok: false, code: 'unit_required', reason: `dispatching a ${from} ticket needs "unit": the office it goes to` };
  if (to === 'dispatched' && from === 'dispatched') {
    if (!opts.unit) return { ok: false, code: 'unit_required', reason: 're-dispatching needs "unit": the office it goes to now' };
    if (opts.unit === opts.currentUnit) return { ok: false, code: 'same_unit', reason: `the ticket is already dispatched to ${opts.unit}` };
  }
  return { ok: true };
}

export function allowedNext(from: Status): readonly Status[] {
  return TRANSITIONS[from];
}

/** The event kind a status change is recorded as: the new status, except a resolved ticket going back. */
export function eventKindFor(from: string, to: Status): string {
  if (from === 'resolved' && to === 'in_progress') return 'reopened';
  if (from === 'dispatched' && to === 'dispatched') return 'redispatched';
  return to;
}

/** Event kinds the citizen hears about (returned is internal: the re-dispatch that follows is what they see). */
export const CITIZEN_FACING_KINDS = new Set(['dispatched', 'redispatched', 'in_progress', 'resolved', 'rejected', 'reopened', 'visited']);
