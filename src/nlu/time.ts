// Time expressions in a message, normalized against the clock the caller passes, on the wall clock of the
// configured time zone (TZ_NAME): a moment or day (今天早上7点, 昨晚, 上周三, 5月3号) becomes an ISO date or
// date-time; a span (连续三天, 半个月, 两个多小时) becomes an ISO 8601 duration. Numbers that name things
// rather than times — 13号线, 3号楼, 26层 — are not times.
import type { TimeMention } from './decision.js';
import { instantOfWallTime, isoOffset, zoneOffsetMs } from '../time-zone.js';
import { CN_NUMBER, parseChineseNumber } from './chinese-number.js';

/** A wall-clock date in the time zone, as plain numbers (month 1..12). */
interface WallDate { y: number; m: number; d: number }

function localToday(now: Date, timeZone: string): WallDate {
  const t = new Date(now.getTime() + zoneOffsetMs(now, timeZone));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function addDays(date: WallDate, days: number): WallDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Monday = 1 … Sunday = 7, the way Chinese weeks are counted. */
function weekday(date: WallDate): number {
  const dow = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(date: WallDate): string {
  return `${date.y}-${pad(date.m)}-${pad(date.d)}`;
}

function isoDateTime(date: WallDate, hour: number, minute: number, timeZone: string): string {
  const at = instantOfWallTime(Date.UTC(date.y, date.m - 1, date.d, hour, minute), timeZone);
  return `${isoDate(date)}T${pad(hour)}:${pad(minute)}:00${isoOffset(zoneOffsetMs(at, timeZone))}`;
}

const RELATIVE_DAYS: Record<string, number> = {
  大前天: -3, 前天: -2, 前儿: -2, 昨天: -1, 昨日: -1, 昨儿: -1, 昨: -1,
  今天: 0, 今日: 0, 今儿: 0, 今: 0, 明天: 1, 明儿: 1, 明: 1, 后天: 2,
};
const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };

/** Part-of-day words, and how they shift a 12-hour clock reading. */
const DAY_PARTS: Record<string, { pm: boolean; defaultHour: number }> = {
  凌晨: { pm: false, defaultHour: 3 }, 清晨: { pm: false, defaultHour: 6 }, 早晨: { pm: false, defaultHour: 7 },
  早上: { pm: false, defaultHour: 7 }, 上午: { pm: false, defaultHour: 9 }, 中午: { pm: false, defaultHour: 12 },
  下午: { pm: true, defaultHour: 15 }, 傍晚: { pm: true, defaultHour: 18 }, 晚上: { pm: true, defaultHour: 20 },
  夜里: { pm: false, defaultHour: 23 }, 半夜: { pm: false, defaultHour: 0 }, 深夜: { pm: false, defaultHour: 23 },
  早: { pm: false, defaultHour: 7 }, 晚: { pm: true, defaultHour: 20 },
};

const NUM = CN_NUMBER;
const DAY_WORD = '(大前天|前天|前儿|昨天|昨日|昨儿|今天|今日|今儿|明天|明儿|后天|昨(?=[早晚])|今(?=[早晚])|明(?=[早晚]))';
const WEEK_WORD = '(上上|上|这|本|下)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])';
// A bare 6号 right after a street name is a house number (阜通东大街6号), not a date.
const MONTH_DAY = `(?:(${NUM})月|(?<![街路道巷里胡同院区村弄条]))(${NUM})[日号](?![线楼院门口栋单室层])`;
const PART = '(凌晨|清晨|早晨|早上|上午|中午|下午|傍晚|晚上|夜里|半夜|深夜|早|晚)';
const CLOCK = `(${NUM})(?:[到至~-]${NUM})?[点时](?:(半)|(${NUM})分|(一刻))?`;

const MOMENT = new RegExp(
  `(?:(?:${DAY_WORD}|${WEEK_WORD}|${MONTH_DAY})\\s*)?${PART}?\\s*(?:${CLOCK})?`, 'g');

const DURATION = new RegExp(
  `(连续|整整|持续|已经)?(${NUM}|半|好几|几)(个)?(多)?(半)?(天|日|周|星期|礼拜|月|年|小时|钟头|分钟)`, 'g');
const DURATION_UNITS: Record<string, string> = {
  天: 'D', 日: 'D', 周: 'W', 星期: 'W', 礼拜: 'W', 月: 'M', 年: 'Y', 小时: 'H', 钟头: 'H', 分钟: 'M',
};
const HABITUAL = /(每天|天天|每晚|每周|经常|总是|老是)[^，。,.!?！？]{0,6}$/;

/** 两三点, 七八点: a rough range; the earlier reading is the one to act on. */
function parseHour(text: string): number | undefined {
  const range = /^([一二两三四五六七八九])([一二三四五六七八九])$/.exec(text);
  return parseChineseNumber(range ? range[1] : text);
}

interface MomentMatch { mention: TimeMention; index: number }

/**
 * What every usable MOMENT match contains: a day word (昨天, 今晚…), a weekday (周三, 星期天), or a numeral right
 * before 日/号 (a date) or 点/时 (a clock time). MOMENT itself matches the empty string at every position, so
 * a message without any of these (most questions) is not scanned with it at all; the result is the same.
 */
const MOMENT_NEEDS = new RegExp(`前天|前儿|[昨今明][天日儿早晚]|后天|(?:周|星期|礼拜)[一二三四五六日天1-7]|${NUM}[日号点时]`);

function findMoment(text: string, now: Date, timeZone: string): MomentMatch | undefined {
  if (!MOMENT_NEEDS.test(text)) return undefined;
  const today = localToday(now, timeZone);
  for (const m of text.matchAll(MOMENT)) {
    const [whole, dayWord, weekShift, weekDay, month, dayOfMonth, part, hourText, half, minuteText, quarter] = m;
    if (!whole.trim()) continue;
    const hasDay = Boolean(dayWord || weekDay || dayOfMonth);
    const hasClock = Boolean(hourText);
    // A bare part of day (晚上, 早) is too vague on its own, and 早/晚 alone are mostly adverbs.
    if (!hasDay && !hasClock) continue;
    let date = today;
    if (dayWord) date = addDays(today, RELATIVE_DAYS[dayWord] ?? 0);
    else if (weekDay) {
      const target = WEEKDAYS[weekDay];
      const weekOffset = { 上上: -14, 上: -7, 这: 0, 本: 0, 下: 7 }[weekShift ?? ''] ?? 0;
      const monday = addDays(today, 1 - weekday(today));
      date = addDays(monday, weekOffset + target - 1);
      // A bare 周三 means the most recent one: complaints tell what already happened.
      if (!weekShift && date.d !== today.d && weekday(today) < target) date = addDays(date, -7);
    } else if (dayOfMonth) {
      const d = parseChineseNumber(dayOfMonth);
      const mo = month ? parseChineseNumber(month) : today.m;
      if (!d || !mo || d > 31 || mo > 12) continue;
      date = { y: today.y, m: mo, d };
      // Complaints tell what already happened: a date later this year means last year's.
      if (month && (mo > today.m || (mo === today.m && d > today.d))) date = { ...date, y: today.y - 1 };
      else if (!month && d > today.d) date = today.m === 1 ? { y: today.y - 1, m: 12, d } : { y: today.y, m: today.m - 1, d };
    }
    const index = m.index ?? 0;
    const mention: TimeMention = { text: whole.trim() };
    if (hasClock) {
      let hour = parseHour(hourText) ?? -1;
      if (hour < 0 || hour > 24) continue;
      const minute = half ? 30 : quarter ? 15 : minuteText ? parseChineseNumber(minuteText) ?? 0 : 0;
      const dayPart = part ? DAY_PARTS[part] : undefined;
      if (dayPart?.pm && hour < 12) hour += 12;
      if (part === '中午' && hour < 3) hour += 12;
      if (hour === 24) hour = 0;
      if (!hasDay && HABITUAL.test(text.slice(0, index))) { return { mention, index }; }
      mention.at = isoDateTime(date, hour, Math.min(minute, 59), timeZone);
    } else if (part) {
      mention.at = isoDateTime(date, DAY_PARTS[part].defaultHour, 0, timeZone);
    } else {
      mention.at = isoDate(date);
    }
    return { mention, index };
  }
  return undefined;
}

function findDuration(text: string): MomentMatch | undefined {
  for (const m of text.matchAll(DURATION)) {
    const [whole, , amountText, , , half, unit] = m;
    const index = m.index ?? 0;
    const after = text.slice(index + whole.length, index + whole.length + 1);
    // 八十年代 is an era, not a span.
    if (unit === '年' && after === '代') continue;
    const mention: TimeMention = { text: whole };
    const amount = amountText === '半' ? 0.5 : parseChineseNumber(amountText);
    if (amount !== undefined) {
      const value = amount + (half ? 0.5 : 0);
      const code = DURATION_UNITS[unit];
      const isTime = unit === '小时' || unit === '钟头' || unit === '分钟';
      // ISO durations take whole numbers in the smallest unit we can name.
      const iso = value % 1 === 0 ? `${value}${code}`
        : unit === '月' ? `${Math.round(value * 30)}D` : unit === '年' ? `${Math.round(value * 12)}M`
        : unit === '天' || unit === '日' ? `${Math.round(value * 24)}H` : isTime ? `${Math.round(value * 60)}M` : `${Math.round(value * 7)}D`;
      const inTime = isTime || (iso.endsWith('H'));
      mention.duration = `P${inTime ? 'T' : ''}${iso}`;
    }
    return { mention, index };
  }
  return undefined;
}

/** The time the message talks about: a moment when one is named, else a span. */
export function extractTime(text: string, now: Date, timeZone: string): TimeMention | undefined {
  const moment = findMoment(text, now, timeZone);
  if (moment?.mention.at) return moment.mention;
  return findDuration(text)?.mention ?? moment?.mention;
}
