// Who may log in to the console, and whether a session's credential still stands. Logins are the admin token
// (user "admin") or a name and password from ADMIN_USERS, whose passwords are argon2id hashes (PHC strings,
// made by `npx jiesu hash-password`). A session remembers a fingerprint of the credential it was opened with:
// when that password changes, the user is removed or the admin token is rotated, the fingerprint no longer
// matches and the session ends (see loadSession and SessionStore.revokeStale).
import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { StaffUser } from '../../config.js';
import { tokenMatches } from '../admin-auth.js';
import type { StaffRole } from './session-store.js';

export interface LoginInput {
  user?: string;
  password?: string;
  token?: string;
}

export interface StaffIdentity {
  user: string;
  role: StaffRole;
  unit?: string;
  /** Fingerprint of the credential the login used (never the credential itself). */
  cred: string;
}

/** argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

function fingerprint(user: string, secret: string): string {
  return createHash('sha256').update(`jiesu-staff-credential\0${user}\0${secret}`).digest('base64url').slice(0, 22);
}

export class StaffCredentials {
  private readonly users: Map<string, StaffUser>;
  /** Per user, the fingerprints of the credentials that may open a session now. */
  private readonly valid = new Map<string, Set<string>>();
  /** Verified when the name is unknown, so a wrong name takes as long as a wrong password. */
  private decoy?: Promise<string>;

  constructor(private readonly adminToken: string | undefined, users: StaffUser[]) {
    this.users = new Map(users.map((u) => [u.name, u]));
    const add = (user: string, secret: string) => {
      let set = this.valid.get(user);
      if (!set) this.valid.set(user, (set = new Set()));
      set.add(fingerprint(user, secret));
    };
    if (adminToken) add('admin', adminToken);
    for (const u of users) add(u.name, u.passwordHash);
  }

  get hasUsers(): boolean {
    return this.users.size > 0;
  }

  /** The identity a login proves, or undefined. */
  async check(input: LoginInput): Promise<StaffIdentity | undefined> {
    if (input.token) return tokenMatches(input.token, this.adminToken) ? { user: 'admin', role: 'admin', cred: fingerprint('admin', this.adminToken!) } : undefined;
    if (!input.user || !input.password) return undefined;
    const u = this.users.get(input.user);
    if (!u) {
      await verify(await (this.decoy ??= hash('decoy password, never matches')), input.password).catch(() => false);
      return undefined;
    }
    const ok = await verify(u.passwordHash, input.password).catch(() => false);
    // Every ADMIN_USERS user is an administrator until users and roles move into the database.
    return ok ? { user: u.name, role: 'admin', cred: fingerprint(u.name, u.passwordHash) } : undefined;
  }

  /** False once the credential a session was opened with has changed or gone. */
  stillValid(session: { user: string; cred: string }): boolean {
    return this.valid.get(session.user)?.has(session.cred) ?? false;
  }
}
