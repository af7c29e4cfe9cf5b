// Staff accounts in the database (PGlite or PostgreSQL): a name, a role, for unit staff the unit they belong
// to, an argon2id password, and API tokens of which only the sha256 is kept. ADMIN_TOKEN and ADMIN_USERS stay
// outside it as the bootstrap credentials (src/http/admin/staff-credentials.ts reads both).
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword } from './password-hash.js';
import { and, asc, count, eq, isNull, max, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { staffTokens, staffUsers } from './schema.js';

export const STAFF_ROLES = ['admin', 'operator', 'unit', 'social', 'analyst'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A login name: letters (any script), digits, `.`, `_`, `-`; "admin" is the ADMIN_TOKEN login's. */
const NAME = /^[\p{L}\p{N}._-]{1,64}$/u;
export const RESERVED_NAMES = new Set(['admin']);
export const PASSWORD_MIN = 8;
/** The login form takes at most this much (auth-routes.ts). */
export const PASSWORD_MAX = 512;
const TOKEN_PREFIX = 'jst_';

export interface StaffAccount {
  name: string;
  role: StaffRole;
  unit?: string;
  /** argon2id PHC string; absent for an account that only uses API tokens. */
  passwordHash?: string;
  disabledAt?: Date;
  createdAt: Date;
}

export interface StaffAccountSummary extends StaffAccount {
  activeTokens: number;
  tokenLastUsedAt?: Date;
}

export type StaffAccountErrorCode = 'invalid' | 'exists' | 'not_found';

export class StaffAccountError extends Error {
  constructor(
    readonly code: StaffAccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isStaffRole(role: unknown): role is StaffRole {
  return typeof role === 'string' && (STAFF_ROLES as readonly string[]).includes(role);
}

export { hashPassword };

function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toAccount(row: typeof staffUsers.$inferSelect): StaffAccount {
  return {
    name: row.name,
    role: row.role as StaffRole,
    ...(row.unit ? { unit: row.unit } : {}),
    ...(row.passwordHash ? { passwordHash: row.passwordHash } : {}),
    ...(row.disabledAt ? { disabledAt: row.disabledAt } : {}),
    createdAt: row.createdAt,
  };
}

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new StaffAccountError('invalid', `a password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
}

export interface StaffStoreOptions {
  /** Whether a unit name is one the dispatch table can send tickets to (dispatch.ts knownUnits). */
  isKnownUnit: (unit: string) => boolean;
}

export class StaffStore {
  constructor(
    private readonly db: Db,
    private readonly opts: StaffStoreOptions,
  ) {}

  /** Checks a role and unit together: role `unit` needs a known unit, every other role takes none. */
  checkRole(role: unknown, unit: string | undefined): asserts role is StaffRole {
    if (!isStaffRole(role)) throw new StaffAccountError('invalid', `role must be one of ${STAFF_ROLES.join(', ')} (got ${String(role)})`);
    if (role === 'unit') {
      if (!unit) throw new StaffAccountError('invalid', 'role unit needs --unit: the street office or department the account belongs to');
      if (!this.opts.isKnownUnit(unit)) throw new StaffAccountError('invalid', `unknown unit ${unit}: it must be a unit the dispatch table sends tickets to (e.g. 卢沟桥街道, 北京市交通委员会)`);
    } else if (unit !== undefined) {
      throw new StaffAccountError('invalid', `role ${role} takes no unit (only role unit belongs to one)`);
    }
  }

  async add(input: { name: string; role: string; unit?: string; password?: string }): Promise<StaffAccount> {
    if (!NAME.test(input.name)) throw new StaffAccountError('invalid', 'a name has 1 to 64 letters, digits, ".", "_" or "-"');
    if (RESERVED_NAMES.has(input.name)) throw new StaffAccountError('invalid', `the name ${input.name} is reserved for the ADMIN_TOKEN login`);
    this.checkRole(input.role, input.unit);
    if (input.password !== undefined) checkPassword(input.password);
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
    const [row] = await this.db
      .insert(staffUsers)
      .values({ name: input.name, role: input.role, unit: input.unit ?? null, passwordHash })
      .onConflictDoNothing({ target: staffUsers.name })
      .returning();
    if (!row) throw new StaffAccountError('exists', `a user named ${input.name} already exists`);
    return toAccount(row);
  }

  async get(name: string): Promise<StaffAccount | undefined> {
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.name, name));
    return row ? toAccount(row) : undefined;
  }

  private async require(name: string): Promise<typeof staffUsers.$inferSelect> {
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.name, name));
    if (!row) throw new StaffAccountError('not_found', `no user named ${name}`);
    return row;
  }

  /** Every account by name, with how many live tokens it has and when one was last used. */
  async list(): Promise<StaffAccountSummary[]> {
    const rows = await this.db
      .select({
        user: staffUsers,
        activeTokens: count(staffTokens.id),
        tokenLastUsedAt: max(staffTokens.lastUsedAt),
      })
      .from(staffUsers)
      .leftJoin(staffTokens, and(eq(staffTokens.userId, staffUsers.id), isNull(staffTokens.revokedAt)))
      .groupBy(staffUsers.id)
      .orderBy(asc(staffUsers.name));
    return rows.map((r) => ({
      ...toAccount(r.user),
      activeTokens: Number(r.activeTokens),
      ...(r.tokenLastUsedAt ? { tokenLastUsedAt: new Date(r.tokenLastUsedAt as unknown as string) } : {}),
    }));
  }

  /** Disables an account: its password and tokens stop working. False when it already was disabled. */
  async disable(name: string): Promise<boolean> {
    await this.require(name);
    const rows = await this.db
      .update(staffUsers)
      .set({ disabledAt: sql`now()` })
      .where(and(eq(staffUsers.name, name), isNull(staffUsers.disabledAt)))
      .returning({ id: staffUsers.id });
    return rows.length > 0;
  }

  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    await this.require(name);
    await this.db.update(staffUsers).set({ passwordHash: await hashPassword(password) }).where(eq(staffUsers.name, name));
  }

  /** A new API token for the account, returned once; only its sha256 is stored. */
  async issueToken(name: string): Promise<string> {
    const user = await this.require(name);
    if (user.disabledAt) throw new StaffAccountError('invalid', `${name} is disabled`);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await this.db.insert(staffTokens).values({ userId: user.id, tokenHash: tokenDigest(token) });
    return token;
  }

  /** Revokes every live token of the account; returns how many. */
  async revokeTokens(name: string): Promise<number> {
    const user = await this.require(name);
    const rows = await this.db
      .update(staffTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(staffTokens.userId, user.id), isNull(staffTokens.revokedAt)))
      .returning({ id: staffTokens.id });
    return rows.length;
  }

  /**
   * The enabled account a live token belongs to, or undefined. Tokens without our prefix are not looked up. The
   * last use is stamped to the minute: a script calling every second costs a read, not a write, per call.
   */
  async verifyToken(token: string): Promise<StaffAccount | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
    const [row] = await this.db
      .select({ user: staffUsers, tokenId: staffTokens.id, stale: sql<boolean>`coalesce(${staffTokens.lastUsedAt} < now() - interval '1 minute', true)` })
      .from(staffTokens)
      .innerJoin(staffUsers, eq(staffUsers.id, staffTokens.userId))
      .where(and(eq(staffTokens.tokenHash, tokenDigest(token)), isNull(staffTokens.revokedAt), isNull(staffUsers.disabledAt)));
    if (!row) return undefined;
    if (row.stale) await this.db.update(staffTokens).set({ lastUsedAt: sql`now()` }).where(eq(staffTokens.id, row.tokenId));
    return toAccount(row.user);
  }
}
