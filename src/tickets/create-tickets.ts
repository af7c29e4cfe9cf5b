// Turning classified complaints into stored tickets: dispatch (who handles it) ▸ duplicate check (is it one
// already open, or one of the same batch) ▸ INSERT. The ticket worker calls this with a batch of jobs; it is
// safe to repeat, because the insert is idempotent on the source message id and the first insert's dispatch
// is the one kept.
import type { NewTicket, TicketStore } from './ticket-store.js';
import type { TicketRow } from './schema.js';
import { dispatchTicket } from './dispatch.js';
import { findPrimaries } from './clustering.js';
import type { DispatchTable } from './dispatch-table.js';

export interface TicketIntakeDeps {
  store: TicketStore;
  /** Without a dispatch table tickets stay unassigned and are never linked. */
  table?: DispatchTable;
}

export type TicketInput = Omit<NewTicket, 'dispatch' | 'primary'>;

export async function createTicket(deps: TicketIntakeDeps, input: TicketInput): Promise<{ ticket: TicketRow; created: boolean }> {
  return (await createTickets(deps, [input]))[0];
}

export async function createTickets(deps: TicketIntakeDeps, inputs: TicketInput[]): Promise<{ ticket: TicketRow; created: boolean }[]> {
  const table = deps.table;
  if (!table) return deps.store.createMany(inputs);
  const dispatched = inputs.map((input) => {
    const dispatch = dispatchTicket(table, input);
    return { ...input, dispatch, district: input.district ?? dispatch.district };
  });
  const primaries = await findPrimaries(deps.store, dispatched, table.file.clustering);
  // The stored district stays what the citizen said; the dispatch decision carries the one it implied.
  return deps.store.createMany(inputs.map((input, k) => ({ ...input, dispatch: dispatched[k].dispatch, ...(primaries[k] ? { primary: primaries[k] } : {}) })));
}
