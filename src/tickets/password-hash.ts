// Staff passwords as argon2id PHC strings. @node-rs/argon2 is a native addon of about 3 MB resident, so it is
// loaded by the first login, password change or `jiesu hash-password`, not at start: a gateway nobody logs in
// to with a password (API tokens and ADMIN_TOKEN need no argon2) does not map it.
type Argon2 = typeof import('@node-rs/argon2');
let argon2: Promise<Argon2> | undefined;
const loaded = (): Promise<Argon2> => (argon2 ??= import('@node-rs/argon2'));

/** argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum). */
export async function hashPassword(password: string): Promise<string> {
  return (await loaded()).hash(password);
}

/** Whether `password` is the one `phc` was made from; rejects (never throws) on a malformed `phc`. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  return (await loaded()).verify(phc, password);
}
