// The joint-handling part of one ticket as the API and the console show it: the units called in with their
// reports, and the units suggested for a call-in (the category's departments not called yet).
import { callinView, type CallinView, type JointHandling } from './joint-handling.js';
import type { TicketRow } from './schema.js';

export interface TicketCallins {
  callins: CallinView[];
  callinSuggestions: string[];
}

export async function callinsOf(joint: JointHandling, ticket: TicketRow, now: Date): Promise<TicketCallins> {
  const rows = await joint.forTicket(ticket.id);
  return { callins: rows.map((c) => callinView(c, now)), callinSuggestions: joint.suggestions(ticket, rows.map((c) => c.unit)) };
}
