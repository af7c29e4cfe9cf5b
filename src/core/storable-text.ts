// Text that every store accepts and every reader can show. PostgreSQL refuses NUL in text and the embedded
// store (PGlite) refuses ill-formed UTF-16 (a lone surrogate fails the insert on every retry), so a complaint
// acknowledged with such text would never become a ticket. Everything a citizen or a staff member writes that
// is kept (message text, sender name, location label, attachment names, notes) passes through here first.

// C0 and C1 controls except tab (\t) and newline (\n); \r is folded into \n before this runs. Also U+FEFF (a
// byte-order mark, invisible): the embedded store reads a value that starts with one back without it.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFEFF]/g;
// Unicode noncharacters: U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE…).
const NONCHARACTERS = /[\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

/** Ill-formed UTF-16 and noncharacters become U+FFFD; NUL and other controls (but tab and newline) and BOMs are removed. */
export function storableText(raw: string): string {
  return raw
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS, '')
    .replace(NONCHARACTERS, REPLACEMENT);
}

/** True when storableText would change nothing: used to refuse, rather than silently alter, identifiers. */
export function isStorable(raw: string): boolean {
  return storableText(raw) === raw;
}
