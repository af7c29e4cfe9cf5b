// The due time each of the hotline's four time limits (TIER_IDS in src/nlu/decision.ts) gives a ticket.
import type { TierId } from '../nlu/decision.js';

export const TIER_MS: Record<TierId, number> = {
  '2h': 2 * 3600_000,
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
  '15d': 15 * 24 * 3600_000,
};

export function isTier(value: unknown): value is TierId {
  return typeof value === 'string' && value in TIER_MS;
}

export function dueAt(tier: TierId, intakeAt: Date): Date {
  return new Date(intakeAt.getTime() + TIER_MS[tier]);
}
