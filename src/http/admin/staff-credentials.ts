// Who may log in to the console, and whether a session's credential still stands. Logins are the admin token
// (user "admin"), a name and password from ADMIN_USERS (argon2id PHC strings made by `npx jiesu hash-password`;
// every one an administrator), or a staff account in the database (`jiesu users`, StaffStore) with its role
// and unit; what each role may see and do is src/http/access's business. A session remembers a fingerprint of the credential it was opened with: when that password changes,
// the user is removed or disabled or the admin token is rotated, the fingerprint no longer matches and the
// session ends (see loadSession and SessionStore.revokeStale).
import { createHash } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../tickets/password-hash.js';
import type { StaffUser } from '../../config.js';
import type { StaffStore } from '../../tickets/staff-store.js';
import { tokenMatches, type BearerIdentity } from '../admin-auth.js';
import type { StaffRole } from './session-store.js';

export { hashPassword } from '../../tickets/staff-store.js';

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

/**
 * How long a gateway trusts what it last read of a database account for its sessions: a password reset or a
 * disable made elsewhere (another gateway, `jiesu users` on PostgreSQL) ends the account's sessions within it.
 */
export const ACCOUNT_RECHECK_MS = 5_000;

function fingerprint(user: string, secret: string): string {
  return createHash('sha256').update(`jiesu-staff-credential\0${user}\0${secret}`).digest('base64url').slice(0, 22);
}

export class StaffCredentials {
  private readonly users: Map<string, StaffUser>;
  /** Per configured user, the fingerprints of the credentials that may open a session now. */
  private readonly valid = new Map<string, Set<string>>();
  /** Per database account, the fingerprint of its current password (none: disabled or gone), and until when. */
  private readonly accountCreds = new Map<string, { cred?: string; until: number }>();
  /** Verified when the name is unknown, so a wrong name takes as long as a wrong password. */
  private decoy?: Promise<string>;

  constructor(
    private readonly adminToken: string | undefined,
    users: StaffUser[],
    private readonly accounts?: StaffStore,
  ) {
    this.users = new Map(users.map((u) => [u.name, u]));
    const add = (user: string, secret: string) => {
      let set = this.valid.get(user);
      if (!set) this.valid.set(user, (set = new Set()));
      set.add(fingerprint(user, secret));
    };
    if (adminToken) add('admin', adminToken);
    for (const u of users) add(u.name, u.passwordHash);
  }

  /** Whether the login form asks for a name and password (configured users or a database of accounts). */
  get hasUsers(): boolean {
    return this.users.size > 0 || this.accounts !== undefined;
  }

  private async refused(password: string): Promise<undefined> {
    await verifyPassword(await (this.decoy ??= hashPassword('decoy password, never matches')), password).catch(() => false);
    return undefined;
  }

  /** The identity a login proves, or undefined. */
  async check(input: LoginInput): Promise<StaffIdentity | undefined> {
    if (input.token) return tokenMatches(input.token, this.adminToken) ? { user: 'admin', role: 'admin', cred: fingerprint('admin', this.adminToken!) } : undefined;
    if (!input.user || !input.password) return undefined;
    const u = this.users.get(input.user);
    if (u) {
      const ok = await verifyPassword(u.passwordHash, input.password).catch(() => false);
      // ADMIN_USERS are the bootstrap administrators; roles belong to database accounts.
      return ok ? { user: u.name, role: 'admin', cred: fingerprint(u.name, u.passwordHash) } : undefined;
    }
    const account = input.user === 'admin' ? undefined : await this.accounts?.get(input.user);
    if (!account?.passwordHash || account.disabledAt) return this.refused(input.password);
    if (!(await verifyPassword(account.passwordHash, input.password).catch(() => false))) return undefined;
    const cred = fingerprint(account.name, account.passwordHash);
    this.accountCreds.set(account.name, { cred, until: Date.now() + ACCOUNT_RECHECK_MS });
    return { user: account.name, role: account.role, ...(account.unit ? { unit: account.unit } : {}), cred };
  }

  /**
   * False once the credential a session was opened with has changed or gone (a disabled account's too). A
   * database account is read again at most every ACCOUNT_RECHECK_MS; rejects when the database cannot be read.
   */
  async stillValid(session: { user: string; cred: string }): Promise<boolean> {
    if (session.user === 'admin' || this.users.has(session.user) || !this.accounts) return this.valid.get(session.user)?.has(session.cred) ?? false;
    let known = this.accountCreds.get(session.user);
    if (!known || Date.now() >= known.until) {
      const account = await this.accounts.get(session.user);
      const cred = account?.passwordHash && !account.disabledAt ? fingerprint(account.name, account.passwordHash) : undefined;
      known = { ...(cred ? { cred } : {}), until: Date.now() + ACCOUNT_RECHECK_MS };
      this.accountCreds.set(session.user, known);
    }
    return known.cred === session.cred;
  }

  /** The enabled account a staff API token belongs to (its last use stamped), or undefined. */
  async verifyToken(token: string): Promise<BearerIdentity | undefined> {
    const account = await this.accounts?.verifyToken(token);
    return account ? { user: account.name, role: account.role, ...(account.unit ? { unit: account.unit } : {}) } : undefined;
  }
}
