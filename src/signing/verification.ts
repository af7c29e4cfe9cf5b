// What every request check answers (webhook secrets, platform signatures, the partner and hotline HMACs): ok,
// or refused with a short reason for the log and the 401. A check never throws for a bad request and never
// passes one it could not check: a missing secret, header or body is a refusal.
export type Verification<Reason extends string = string> = { ok: true } | { ok: false; reason: Reason };

export const VERIFIED = { ok: true } as const;

export function refused<Reason extends string>(reason: Reason): { ok: false; reason: Reason } {
  return { ok: false, reason };
}
