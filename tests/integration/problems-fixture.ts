// Eight weeks of tickets with planted recurring problems and noise, for the problem-list tests.
//
// Planted (must be suggested):
//   - place:  假日风景小区 (卢沟桥街道) lifts broken again and again, 8 tickets in 6 of the 8 weeks;
//   - across: 首开物业 not clearing rubbish at three estates in three streets, 5 tickets in 4 weeks.
// Noise (must not be):
//   - background: 12 tickets a week, seeded-random streets, estates and complaint texts;
//   - one street, one category, four weeks, but four different problems (井盖, 路灯, 积水, 护栏);
//   - one problem (a site's night work) with many tickets, but in only 2 weeks;
//   - the same complaint (路灯不亮) every week at a different street, naming no common cause.
import { insertMany } from '../../src/tickets/bulk-insert.js';
import { tickets } from '../../src/tickets/schema.js';
import type { Db } from '../../src/tickets/db.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

export interface Planted {
  text: string;
  category: string;
  street: string;
  district?: string;
  /** 0 = the oldest of the 8 weeks, 7 = the week ending now. */
  week: number;
  day?: number;
}

export const PLACE_PROBLEM: Planted[] = [
  { week: 1, text: '卢沟桥街道假日风景小区电梯又坏了，物业一直不修', category: 'property', street: '卢沟桥街道' },
  { week: 2, text: '假日风景小区3号楼电梯停运好几天了，没人修', category: 'property', street: '卢沟桥街道' },
  { week: 2, day: 5, text: '假日风景小区电梯坏了，老人上下楼困难', category: 'property', street: '卢沟桥街道' },
  { week: 4, text: '反映假日风景小区电梯经常故障停运', category: 'property', street: '卢沟桥街道' },
  { week: 5, text: '假日风景小区5号楼电梯又停了，困人了', category: 'property', street: '卢沟桥街道' },
  { week: 6, text: '假日风景小区电梯坏了一周了还没修好', category: 'property', street: '卢沟桥街道' },
  { week: 7, text: '假日风景小区电梯又坏了，物业说没钱修', category: 'property', street: '卢沟桥街道' },
  { week: 7, day: 4, text: '假日风景小区的电梯三天两头坏', category: 'property', street: '卢沟桥街道' },
];

export const ACROSS_PROBLEM: Planted[] = [
  { week: 0, text: '玉林小区首开物业不清运垃圾，楼道堆满了', category: 'property', street: '右安门街道' },
  { week: 3, text: '莲花小区首开物业垃圾好几天不清运', category: 'property', street: '太平桥街道' },
  { week: 5, text: '洋桥小区首开物业不清运垃圾，味道很大', category: 'property', street: '西罗园街道' },
  { week: 5, day: 6, text: '玉林小区垃圾首开物业一直不清运', category: 'property', street: '右安门街道' },
  { week: 7, text: '莲花小区首开物业又不清运垃圾了', category: 'property', street: '太平桥街道' },
];

const NEAR_MISSES: Planted[] = [
  { week: 0, text: '丰台北路有个井盖丢了，很危险', category: 'municipal', street: '新村街道' },
  { week: 2, text: '看丹路晚上路灯全黑', category: 'municipal', street: '新村街道' },
  { week: 4, text: '万丰路下雨后积水到膝盖', category: 'municipal', street: '新村街道' },
  { week: 6, text: '大井村口的护栏被撞倒了', category: 'municipal', street: '新村街道' },
  { week: 6, text: '南苑路中铁工地夜间施工噪音扰民', category: 'noise', street: '南苑街道' },
  { week: 6, day: 3, text: '南苑路工地半夜还在施工，太吵了', category: 'noise', street: '南苑街道' },
  { week: 7, text: '南苑路工地夜间施工，睡不着觉', category: 'noise', street: '南苑街道' },
  { week: 7, day: 2, text: '南苑路工地夜里施工噪音很大', category: 'noise', street: '南苑街道' },
  { week: 7, day: 5, text: '投诉南苑路工地夜间施工扰民', category: 'noise', street: '南苑街道' },
  ...['东高地街道', '和义街道', '大红门街道', '东铁匠营街道', '成寿寺街道', '石榴庄街道', '宛平城地区', '长辛店街道'].map((street, week) => ({
    week,
    text: '我家门口的路灯不亮了',
    category: 'municipal',
    street,
  })),
];

const STREETS = ['马家堡街道', '角门街道', '方庄地区', '丰台街道', '玉泉营街道', '看丹街道', '五里店街道', '青塔街道', '北宫镇', '王佐镇', '云岗街道', '花乡', '东铁匠营街道', '卢沟桥街道', '新村街道'];
const ESTATES = ['阳光小区', '幸福家园', '和平里', '东方花园', '锦绣公寓', '芳城园', '嘉园小区', '晓月苑', '世界花园', '建欣苑'];
const TEMPLATES: { category: string; text: (estate: string) => string }[] = [
  { category: 'sanitation', text: (e) => `${e}门口垃圾桶满了没人清` },
  { category: 'parking', text: (e) => `${e}消防通道被车堵了` },
  { category: 'noise', text: (e) => `${e}楼下广场舞音响太大声` },
  { category: 'heating', text: (e) => `${e}暖气不热，室温只有十五度` },
  { category: 'utilities', text: (e) => `${e}突然停水了，也没有通知` },
  { category: 'pollution', text: (e) => `${e}旁边饭馆油烟很大` },
  { category: 'greening', text: (e) => `${e}的树枝挡住窗户需要修剪` },
  { category: 'street-vending', text: (e) => `${e}东门早市占道经营` },
  { category: 'group-rental', text: (e) => `${e}有一套房子住了十几个人，群租` },
  { category: 'consumer', text: (e) => `${e}附近健身房卷款跑路，预付卡退不了` },
  { category: 'labor', text: () => '公司拖欠工资三个月了' },
  { category: 'education', text: () => '孩子入学需要哪些材料，学区怎么划分' },
  { category: 'illegal-construction', text: (e) => `${e}一楼住户私搭乱建` },
  { category: 'public-safety', text: (e) => `${e}楼道里堆放电动车充电` },
  { category: 'housing', text: (e) => `${e}房屋漏水，楼上不管` },
];

/** A small seeded generator, so the noise is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function background(perWeek = 12, seed = 12345): Planted[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: Planted[] = [];
  for (let week = 0; week < 8; week++)
    for (let i = 0; i < perWeek; i++) {
      const t = pick(TEMPLATES);
      out.push({ week, day: 0.2 + rnd() * 6.5, text: t.text(pick(ESTATES)), category: t.category, street: pick(STREETS) });
    }
  return out;
}

let seq = 0;

/** When a planted ticket was created: in its week (0 oldest … 7 ending at `now`), `day` days into it. */
export function plantedAt(p: Planted, now: Date): Date {
  return new Date(now.getTime() - (8 - p.week) * WEEK + (p.day ?? 1) * DAY);
}

export async function plant(db: Db, items: Planted[], now: Date, tag: string): Promise<(typeof tickets.$inferSelect)[]> {
  const rows = items.map((p) => {
    seq++;
    const createdAt = plantedAt(p, now);
    const day = createdAt.toISOString().slice(0, 10).replace(/-/g, '');
    return {
      number: `${day}-${String(900000 + seq).padStart(6, '0')}`,
      sourceMessageId: `fixture:${tag}:${seq}`,
      channel: 'webchat',
      conversationId: `c${seq}`,
      senderId: `u${seq}`,
      isPublic: false,
      lang: 'zh',
      text: p.text,
      category: p.category,
      tier: '7d',
      district: p.district ?? '丰台区',
      street: p.street,
      unit: `${p.street}办事处`,
      status: 'dispatched',
      details: {},
      dueAt: new Date(createdAt.getTime() + 7 * DAY),
      createdAt,
      updatedAt: createdAt,
    };
  });
  return insertMany(db, tickets, rows, { returning: true });
}

/** All of it: the planted problems, the near misses and the background. */
export async function plantEightWeeks(db: Db, now: Date): Promise<{ place: number[]; across: number[]; noise: number[] }> {
  const place = await plant(db, PLACE_PROBLEM, now, 'place');
  const across = await plant(db, ACROSS_PROBLEM, now, 'across');
  const noise = await plant(db, [...NEAR_MISSES, ...background()], now, 'noise');
  return { place: place.map((t) => t.id), across: across.map((t) => t.id), noise: noise.map((t) => t.id) };
}
