// The four time limits as citizens and staff read them, per language (the wording lives with the rest of
// what the gateway says; src/tickets computes the due times).
import type { TierId } from '../nlu/decision.js';

export const TIER_LABEL: Record<'zh' | 'en', Record<TierId, string>> = {
  zh: { '2h': '2小时', '24h': '24小时', '7d': '7天', '15d': '15天' },
  en: { '2h': '2 hours', '24h': '24 hours', '7d': '7 days', '15d': '15 days' },
};
