// Turning a classified complaint into a stored ticket: dispatch (who handles it) ▸ duplicate check (is it one
// already open) ▸ INSERT. The ticket worker calls this; it is safe to repeat, because the insert is
// idempotent on the source message id and the first insert's dispatch is the one kept.
import type { NewTicket, TicketStore } from './ticket-store.js';
import type { TicketRow } from './schema.js';
import { dispatchTicket } from './dispatch.js';
import { findPrimary } from './clustering.js';
import type { DispatchTable } from './dispatch-table.js';

export interface TicketIntakeDeps {
  store: TicketStore;
  table: DispatchTable;
}

export async function createTicket(deps: TicketIntakeDeps, input: Omit<NewTicket, 'dispatch' | 'primary'>): Promise<{ ticket: TicketRow; created: boolean }> {
  // The store returns the existing ticket for a repeated source message; no need to look twice.
  const dispatch = dispatchTicket(deps.table, input);
  const primary = await findPrimary(deps.store, { ...input, district: input.district ?? dispatch.district }, deps.table.file.clustering);
  return deps.store.createFromMessage({ ...input, dispatch, ...(primary ? { primary } : {}) });
}
