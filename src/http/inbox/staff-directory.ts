// The staff a handed-over conversation can be assigned to: the bootstrap administrators (ADMIN_TOKEN's `admin`,
// ADMIN_USERS) and the enabled database accounts whose role answers citizens (admin, operator, social).
import type { StaffStore } from '../../tickets/staff-store.js';
import type { StaffMember } from './handoff-claims.js';

const ANSWERING_ROLES = new Set(['admin', 'operator', 'social']);

export interface StaffDirectory {
  list(): Promise<StaffMember[]>;
  get(name: string): Promise<StaffMember | undefined>;
}

export function staffDirectory(opts: { bootstrapAdmins: string[]; accounts?: Pick<StaffStore, 'list' | 'get'> }): StaffDirectory {
  const admins = new Set(opts.bootstrapAdmins);
  const member = (a: { name: string; role: string; unit?: string; disabledAt?: Date } | undefined): StaffMember | undefined =>
    a && !a.disabledAt && ANSWERING_ROLES.has(a.role) ? { user: a.name, role: a.role, ...(a.unit ? { unit: a.unit } : {}) } : undefined;
  return {
    async list() {
      const accounts = (await opts.accounts?.list()) ?? [];
      const fromDb = accounts.map(member).filter((m): m is StaffMember => m !== undefined && !admins.has(m.user));
      return [...[...admins].map((user) => ({ user, role: 'admin' })), ...fromDb];
    },
    async get(name) {
      if (admins.has(name)) return { user: name, role: 'admin' };
      return member(await opts.accounts?.get(name));
    },
  };
}
