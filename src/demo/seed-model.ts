// The generative model behind the seeded tickets (src/demo/seed-tickets.ts): how many tickets a day, about what, where, through
// which channel, and how each one moves through its lifecycle. Pure functions of a seeded PRNG, so the same
// seed gives the same year.
//
// Seasonality follows what Beijing's 12345 sees: heating (供暖) from the 15 November start to mid-March,
// with a peak in the first weeks; noise, greening, sanitation and water/power in summer; poplar and willow
// fluff (杨柳絮, greening) in April–May; waterlogging (municipal) in the July–August rains; parking, property
// and consumer complaints all year. Weekends are quieter. Streets differ in volume (a few busy ones) and in
// how well their office works (quality), which is what the three rates and the ranking should reveal.
import type { TierId } from '../nlu/decision.js';

export type Rng = () => number;

/** mulberry32: small, fast, good enough for synthetic data. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickWeighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i];
    if (x < 0) return items[i];
  }
  return items[items.length - 1];
}

/** A cumulative table for picking many times from the same weights in O(log n). */
export class WeightedTable<T> {
  private readonly cum: number[] = [];
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let s = 0;
    for (const w of weights) this.cum.push((s += w));
  }
  pick(rng: Rng): T {
    const x = rng() * this.cum[this.cum.length - 1];
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** Base share of each category, and its factor per month (index 0 = January). */
export const CATEGORY_MODEL: Record<string, { base: number; months?: number[] }> = {
  municipal: { base: 8, months: [0.8, 0.8, 0.9, 1, 1, 1.2, 1.8, 1.7, 1.1, 0.9, 0.9, 0.8] },
  transport: { base: 6 },
  parking: { base: 8 },
  property: { base: 9 },
  'illegal-construction': { base: 3, months: [0.7, 0.6, 1, 1.2, 1.3, 1.2, 1.1, 1.1, 1.1, 1, 0.9, 0.7] },
  'group-rental': { base: 1.5 },
  noise: { base: 6, months: [0.6, 0.6, 0.8, 1, 1.3, 1.6, 1.8, 1.7, 1.3, 1, 0.7, 0.6] },
  sanitation: { base: 5, months: [0.8, 1.2, 0.9, 1, 1, 1.2, 1.4, 1.4, 1.1, 1, 0.9, 0.8] },
  pollution: { base: 3, months: [1, 1, 1.1, 1.1, 1, 1.1, 1.2, 1.2, 1, 1, 1, 1] },
  greening: { base: 3, months: [0.3, 0.3, 0.8, 2.2, 2.4, 1.6, 1.6, 1.5, 1, 0.9, 0.6, 0.3] },
  heating: { base: 8, months: [2.2, 1.6, 0.8, 0.05, 0.02, 0.02, 0.02, 0.02, 0.05, 0.5, 3.2, 2.8] },
  utilities: { base: 5, months: [1.1, 1, 0.9, 0.9, 1, 1.3, 1.5, 1.5, 1.1, 0.9, 0.9, 1.1] },
  consumer: { base: 7, months: [1.1, 1.2, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.2, 1.1] },
  labor: { base: 4, months: [1.6, 1.3, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1, 1.1, 1.5] },
  housing: { base: 4 },
  'street-vending': { base: 2, months: [0.5, 0.5, 0.8, 1, 1.2, 1.4, 1.5, 1.5, 1.2, 1, 0.7, 0.5] },
  education: { base: 2, months: [1, 0.8, 1, 1, 1.5, 1.6, 1.2, 1.8, 1.6, 1, 1, 1] },
  health: { base: 3 },
  business: { base: 2 },
  'public-safety': { base: 2 },
  other: { base: 3 },
};
export const CATEGORIES = Object.keys(CATEGORY_MODEL);

/** Overall volume per month: summer and the heating season are the busy times. */
export const MONTH_VOLUME = [1.1, 0.95, 0.95, 0.95, 1, 1.05, 1.15, 1.12, 1, 0.95, 1.08, 1.15];
/** Share of tickets by local hour (0–23). */
export const HOUR_WEIGHTS = [0.6, 0.4, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 4, 6.5, 7, 6.5, 5, 5, 6, 6.5, 6, 5.5, 4.5, 4, 3.8, 3, 2, 1.2];

/** A channel as the demo's tickets use it: its name, its share of the tickets, and whether its replies are public. */
export interface DemoChannel {
  name: string;
  share: number;
  publicReplies: boolean;
}

/** District volume weights (population, roughly): the urban districts dominate. */
export const DISTRICT_WEIGHTS: Record<string, number> = {
  朝阳区: 18, 海淀区: 15, 丰台区: 10, 昌平区: 9, 大兴区: 8, 通州区: 8, 西城区: 6, 东城区: 5, 顺义区: 6,
  房山区: 5, 石景山区: 3, 门头沟区: 1.5, 怀柔区: 1.5, 平谷区: 1.5, 密云区: 1.5, 延庆区: 1,
};

export function tierFor(rng: Rng, category: string, month: number): TierId {
  const x = rng();
  if (category === 'illegal-construction' || category === 'group-rental') return x < 0.9 ? '15d' : '7d';
  if (category === 'labor') return x < 0.5 ? '15d' : '7d';
  if (category === 'heating') return month >= 10 || month <= 2 ? (x < 0.55 ? '24h' : '7d') : '7d';
  if (category === 'utilities') return x < 0.05 ? '2h' : x < 0.45 ? '24h' : '7d';
  if (category === 'greening' || category === 'municipal' || category === 'public-safety') return x < 0.04 ? '2h' : x < 0.15 ? '24h' : '7d';
  return x < 0.06 ? '24h' : '7d';
}

const TEMPLATES: Record<string, string[]> = {
  municipal: ['{place}路边井盖松动，车一过就响', '{place}的路灯好几天不亮了，晚上很黑', '{place}路面有个大坑，电动车差点摔了', '{place}下雨后积水很深，行人没法走', '{place}人行道地砖坏了好几块'],
  transport: ['{place}附近公交站撤了，出行不方便', '{place}路口红绿灯时间太短', '{place}早高峰堵得厉害，希望优化信号灯', '{place}共享单车堆满了人行道'],
  parking: ['{place}小区门口总有车乱停，堵住出口', '{place}有辆僵尸车停了半年没人管', '{place}停车位被装了地锁', '{place}停车太难了，晚上回来没地方停'],
  property: ['{place}小区电梯又坏了，老人上不去楼', '{place}物业不管事，楼道灯坏了没人修', '{place}物业费涨了也没通知业主', '{place}小区门禁坏了一个月'],
  'illegal-construction': ['{place}有人在楼顶私搭彩钢房', '{place}一楼住户把院子往外扩建了', '{place}底商开墙打洞', '{place}有人违建圈占绿地'],
  'group-rental': ['{place}有套房子隔成好多间群租', '{place}地下室住了很多人，有安全隐患', '{place}二房东搞床位出租'],
  noise: ['{place}工地夜里施工打桩，吵得睡不着', '{place}广场舞音响太大声', '{place}商铺门口喇叭一直在喊', '{place}楼下空调外机嗡嗡响'],
  sanitation: ['{place}垃圾站好几天没清运，味道很大', '{place}小区垃圾桶满了没人管', '{place}公厕太脏了', '{place}到处贴小广告'],
  pollution: ['{place}饭馆油烟直排，窗户都不敢开', '{place}工地扬尘很大没盖防尘网', '{place}晚上有人烧垃圾，很呛', '{place}河边有污水偷排'],
  greening: ['{place}大风把树刮倒了，挡住了路', '{place}杨柳絮太多了，能不能治理一下', '{place}树枝太长挡住窗户，需要修剪', '{place}绿地被人毁了种菜'],
  heating: ['{place}暖气不热，家里才十几度', '{place}到现在还没供暖', '{place}暖气片漏水了，找热力公司没人来', '{place}整栋楼暖气都是凉的'],
  utilities: ['{place}突然停水了也没通知', '{place}停电好几个小时了', '{place}自来水发黄', '{place}水压太低，楼上没水'],
  consumer: ['{place}健身房跑路了，预付卡退不了', '{place}超市卖过期食品', '{place}商家不给退货', '{place}理发店办了卡现在关门了'],
  labor: ['在{place}的工地干活，包工头拖欠工资', '{place}的公司不给交社保', '{place}单位辞退我不给经济补偿', '{place}的老板欠薪三个月'],
  housing: ['{place}房东不退押金', '{place}老楼外墙脱落，很危险', '{place}顶楼漏水好几年了', '{place}老旧小区什么时候改造'],
  'street-vending': ['{place}地铁口有很多小贩摆摊', '{place}早市占道经营，车过不去', '{place}店外经营占了人行道'],
  education: ['{place}附近小学入学划片不合理', '{place}有培训机构违规收费', '{place}幼儿园收费太高'],
  health: ['{place}社区卫生服务中心挂不上号', '{place}诊所乱收费', '{place}附近药店卖药不开票'],
  business: ['我们在{place}的公司办营业执照审批太慢', '{place}的企业想咨询惠企政策', '{place}的厂房手续办不下来'],
  'public-safety': ['{place}消防通道被杂物堵死了', '{place}楼道里电动车充电，飞线很危险', '{place}广告牌松动，随时可能掉下来'],
  other: ['{place}居委会办事态度不好', '想问一下{place}怎么办居住证', '{place}的户口迁移问题'],
};

export function ticketText(rng: Rng, category: string, place: string, withPhone: boolean): string {
  const list = TEMPLATES[category] ?? TEMPLATES.other;
  const t = list[Math.floor(rng() * list.length)].replace('{place}', place);
  if (!withPhone) return t;
  const phone = `1${3 + Math.floor(rng() * 7)}${String(Math.floor(rng() * 1e9)).padStart(9, '0')}`;
  return `${t}，联系电话${phone}`;
}

export interface LifecycleEvent {
  kind: string;
  from: string | null;
  to: string | null;
  at: number;
  unit?: string | null;
  note?: string | null;
  actor: string;
}

export interface Lifecycle {
  events: LifecycleEvent[];
  status: string;
  unit: string | null;
  rating: string | null;
  ratedAt: number | null;
  overdueAt: number | null;
}

const H = 3600_000;

/**
 * Simulates one ticket from intake to return visit, keeping only what happened before `now`.
 * `quality` (0..1) is how well the office works: it decides how fast it responds and resolves, and how the
 * citizen rates it.
 */
export function simulateLifecycle(
  rng: Rng,
  o: {
    createdAt: number;
    dueAt: number;
    now: number;
    channel: string;
    unit: string;
    clear: boolean;
    quality: number;
    /** Another office of the same district, for a return and re-dispatch (wrong jurisdiction). */
    otherUnit: string;
  },
): Lifecycle {
  const limit = o.dueAt - o.createdAt;
  const all: LifecycleEvent[] = [{ kind: 'created', from: null, to: 'received', at: o.createdAt, actor: `channel:${o.channel}` }];
  let unit = o.unit;
  let t = o.createdAt;
  const ratings: { r: string; at: number }[] = [];
  const push = (e: LifecycleEvent) => {
    all.push(e);
    t = e.at;
  };
  const q = o.quality;
  if (o.clear) push({ kind: 'dispatched', from: 'received', to: 'dispatched', at: t, unit, note: '街乡镇明确，直派', actor: 'system' });
  else push({ kind: 'dispatched', from: 'received', to: 'dispatched', at: t + (0.3 + rng() * 2.5) * H, unit, note: '分中心派单', actor: 'operator:demo' });
  const fate = rng();
  if (fate < 0.01) {
    push({ kind: 'rejected', from: 'dispatched', to: 'rejected', at: t + (1 + rng() * 6) * H, note: '不属于受理范围', actor: `unit:${unit}` });
  } else {
    if (fate < 0.04) {
      push({ kind: 'returned', from: 'dispatched', to: 'returned', at: t + (2 + rng() * 10) * H, note: '非本辖区', actor: `unit:${unit}` });
      unit = o.otherUnit;
      push({ kind: 'dispatched', from: 'returned', to: 'dispatched', at: t + (0.5 + rng() * 3) * H, unit, note: '改派', actor: 'operator:demo' });
    }
    // Response: a good office answers within the first third of the limit; a poor one is often late.
    const onTimeResponse = rng() < 0.55 + 0.45 * q;
    const respondAt = onTimeResponse ? t + rng() * Math.max(limit * 0.3 - (t - o.createdAt), limit * 0.05) : o.createdAt + limit * (1.02 + rng() * 0.6);
    push({ kind: 'in_progress', from: 'dispatched', to: 'in_progress', at: Math.max(respondAt, t + 60_000), actor: `unit:${unit}` });
    const stuck = rng() < 0.006 * (1.5 - q);
    if (!stuck) {
      const onTime = rng() < 0.45 + 0.53 * q;
      const resolveAt = onTime ? t + (limit - (t - o.createdAt)) * (0.2 + rng() * 0.75) : o.createdAt + limit * (1.05 + rng());
      push({ kind: 'resolved', from: 'in_progress', to: 'resolved', at: Math.max(resolveAt, t + 5 * 60_000), note: '已处理完毕', actor: `unit:${unit}` });
      for (let round = 0; round < 2; round++) {
        if (rng() > 0.88) break; // no answer to the return visit
        const x = rng();
        const r = x < 0.2 + 0.7 * q ? 'satisfied' : x < 0.94 - 0.6 * (1 - q) ? 'basically' : 'unsatisfied';
        const at = t + (6 + rng() * 42) * H;
        ratings.push({ r, at });
        if (r !== 'unsatisfied' || round === 1) {
          push({ kind: 'visited', from: 'resolved', to: 'visited', at, note: `回访：${r}`, actor: 'citizen' });
          break;
        }
        push({ kind: 'reopened', from: 'resolved', to: 'in_progress', at, note: '回访不满意，重新办理', actor: 'citizen' });
        push({ kind: 'resolved', from: 'in_progress', to: 'resolved', at: t + (24 + rng() * 96) * H, note: '再次办理完毕', actor: `unit:${unit}` });
      }
    }
  }
  const events = all.filter((e) => e.at <= o.now);
  const last = events[events.length - 1];
  const resolvedBy = events.find((e) => e.to === 'resolved' || e.to === 'rejected')?.at ?? Infinity;
  const lastDispatch = [...events].reverse().find((e) => e.unit);
  const rated = ratings.filter((x) => x.at <= o.now).pop();
  return {
    events,
    status: last.to ?? 'received',
    unit: lastDispatch?.unit ?? o.unit,
    rating: rated?.r ?? null,
    ratedAt: rated?.at ?? null,
    overdueAt: o.dueAt <= o.now && resolvedBy > o.dueAt ? o.dueAt : null,
  };
}
