// Where each role starts: its own work, not the whole city's ticket list. `/admin` and a login without a
// page to return to go here.
import type { StaffRole } from '../../tickets/staff-store.js';

const LANDING: Record<StaffRole, string> = {
  admin: '/admin/tickets',
  // The hotline centre: what waits to be dispatched (转人工 is one tap away in the navigation).
  operator: '/admin/tickets?status=received',
  // A street office or department: its open tickets, the soonest due first.
  unit: '/admin/tickets?open=1&sort=due',
  social: '/admin/mentions',
  analyst: '/admin/reports',
};

export function landingFor(role: StaffRole): string {
  return LANDING[role] ?? '/admin/tickets';
}
