// What dispatch needs from a complaint, what is still missing, and the one-line summary the citizen confirms.
import type { Decision, Lang } from '../../nlu/decision.js';
import type { PendingComplaint } from './conversation.js';
import { fill, type DialoguePrompts } from './prompts.js';
import { pinyinPlaceName, withoutPinyinName } from '../../nlu/pinyin-names.js';

// Words that make a reply an address even when it names no known district or street.
const ADDRESS_WORDS = /(小区|社区|家园|花园|公寓|大厦|广场|胡同|路|街|道口|桥|号楼|号院|村|里|院|站|门口|附近|对面|路口|compound|road|street|lane|station|building|near)/i;
const SUBWAY = /(地铁|号线|subway|metro|line\s*\d+)/i;
const STATION = /([\u4e00-\u9fa5]{2,8}站|station)/i;

export type Slot = 'place' | 'subway';

/** The first slot still missing, or undefined when the complaint can be confirmed. */
export function missingSlot(p: PendingComplaint): Slot | undefined {
  const d = p.decision;
  if (d.category === 'transport' && SUBWAY.test(p.text)) {
    return STATION.test(p.text) && d.time ? undefined : 'subway';
  }
  if (d.district || d.street || p.placeText) return undefined;
  return 'place';
}

/** Folds a follow-up message's findings into the pending complaint; returns whether anything new was learnt. */
export function absorb(p: PendingComplaint, text: string, d: Decision, location?: { lat: number; lng: number; label?: string }): boolean {
  let learnt = false;
  const cur = p.decision;
  if (d.street && d.street !== cur.street) {
    cur.street = d.street;
    cur.district = d.district ?? cur.district;
    learnt = true;
  } else if (d.district && d.district !== cur.district) {
    cur.district = d.district;
    if (cur.street && !d.street) cur.street = undefined;
    learnt = true;
  }
  if (location) {
    p.placeText = location.label ?? `${location.lat.toFixed(5)},${location.lng.toFixed(5)}`;
    learnt = true;
  } else {
    // Keep the finer address (阜通东大街6号, 假日风景小区) the office needs to find the spot.
    let rest = text;
    for (const name of [d.district, d.street]) if (name) rest = withoutPinyinName(rest.replace(name, ''), name);
    // What separated the names ("Wangjing Street, Chaoyang District") is not an address.
    rest = rest.replace(/^[\s,，、.。;；]+|[\s,，、.。;；]+$/g, '').trim();
    if (rest && ADDRESS_WORDS.test(rest) && rest.length <= 60) {
      p.placeText = rest;
      learnt = true;
    }
  }
  if (d.time && d.time.text !== cur.time?.text) {
    cur.time = d.time;
    learnt = true;
  }
  if (d.phone && d.phone !== cur.phone) {
    cur.phone = d.phone;
    learnt = true;
  }
  if (p.asking === 'subway' && (SUBWAY.test(text) || STATION.test(text))) learnt = true;
  if (learnt) p.text = `${p.text}\n${text}`;
  return learnt;
}

/**
 * The place as the citizen confirms it. In English the official names are given as English signs write them,
 * with the Chinese after, which is what the street office will see: "Sanlitun Subdistrict, Chaoyang District
 * (朝阳区三里屯街道)".
 */
export function placeLabel(p: PendingComplaint, lang: Lang = 'zh'): string | undefined {
  const d = p.decision;
  const parts = [d.district, d.street].filter((x): x is string => Boolean(x));
  const chinese = parts.join('');
  const named = chinese && lang === 'en' ? `${[...parts].reverse().map(pinyinPlaceName).join(', ')} (${chinese})` : chinese;
  if (named && p.placeText && !p.placeText.includes(chinese)) return lang === 'en' ? `${named}, "${p.placeText}"` : `${named}（${p.placeText}）`;
  return named || p.placeText;
}

export function summary(p: PendingComplaint, prompts: DialoguePrompts, categoryName: (id: string, lang: Lang) => string, lang: Lang): string {
  const d = p.decision;
  const s = prompts.summary;
  const parts: string[] = [];
  if (d.category) parts.push(fill(s.category, { value: categoryName(d.category, lang) }));
  const place = placeLabel(p, lang);
  parts.push(place ? fill(s.place, { value: place }) : s.noPlace);
  // A span (一个星期, 连续三天) says how long, not when: shown as such, not as the time of the matter.
  if (d.time) parts.push(fill(d.time.duration && !d.time.at ? s.duration : s.time, { value: d.time.text }));
  if (d.phone) parts.push(fill(s.phone, { value: d.phone }));
  return parts.join(lang === 'zh' ? '；' : '; ');
}
