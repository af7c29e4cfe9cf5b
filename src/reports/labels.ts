// Chinese names for what reports group by: categories are the taxonomy's (src/nlu/taxonomy.ts, the same ids the
// NLU writes into tickets), statuses and channels are fixed here.
import { taxonomyCategories } from '../nlu/taxonomy.js';

let categoryNames: Map<string, string> | undefined;

export function categoryLabel(id: string | null | undefined): string {
  if (!id) return '未分类';
  categoryNames ??= new Map(taxonomyCategories().map((c) => [c.id, c.name]));
  return categoryNames.get(id) ?? id;
}

export function categoryIds(): string[] {
  return taxonomyCategories().map((c) => c.id);
}

export const STATUS_LABEL: Record<string, string> = {
  received: '已受理',
  dispatched: '已派单',
  in_progress: '办理中',
  resolved: '已办结',
  visited: '已回访',
  returned: '已退回',
  rejected: '不予受理',
};

/**
 * Where tickets come from, by name. The channels' labels are the adapters' own (channels/<name>/index.ts), put
 * here by the composition root at start (registerChannelLabels); `phone` is the hotline's own intake.
 */
const CHANNEL_LABEL = new Map<string, string>([['phone', '电话']]);

export function registerChannelLabels(labels: Record<string, string>): void {
  for (const [name, label] of Object.entries(labels)) CHANNEL_LABEL.set(name, label);
}

/** Every source with its label, channels first in the channel list's order. */
export function channelLabels(): { id: string; name: string }[] {
  const entries = [...CHANNEL_LABEL].map(([id, name]) => ({ id, name }));
  return [...entries.filter((e) => e.id !== 'phone'), ...entries.filter((e) => e.id === 'phone')];
}

export function statusLabel(s: string | null | undefined): string {
  return s ? (STATUS_LABEL[s] ?? s) : '';
}

export function channelLabel(c: string | null | undefined): string {
  return c ? (CHANNEL_LABEL.get(c) ?? c) : '';
}

/**
 * The special themes the city follows month after month (issue 8): each is one or more categories.
 * 停车 covers the parking category; the others map one to one.
 */
export const THEMES: { id: string; name: string; categories: string[] }[] = [
  { id: 'illegal-construction', name: '违法建设', categories: ['illegal-construction'] },
  { id: 'property', name: '物业管理', categories: ['property'] },
  { id: 'group-rental', name: '群租房', categories: ['group-rental'] },
  { id: 'parking', name: '停车管理', categories: ['parking'] },
];
