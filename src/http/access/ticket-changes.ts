// Which status changes a caller may make. Every role with `update` on tickets starts, resolves and returns them;
// sending a ticket to a unit, elsewhere, or refusing it (派单、改派、不予受理) needs `dispatch` — the hotline
// centre's, not a unit's.
import type { Response } from 'express';
import { allowed } from './authorize.js';

export const DISPATCH_STATUSES: readonly string[] = ['dispatched', 'rejected'];

export function mayChange(res: Response, body: { status: string; unit?: string }): boolean {
  return (!DISPATCH_STATUSES.includes(body.status) && body.unit === undefined) || allowed(res, 'dispatch', 'Ticket');
}
