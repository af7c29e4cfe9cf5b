// The monthly analysis's problem-list section (举一反三): problems opened and solved in the month, those past
// their target date, the tickets they cover, and for each problem solved in the month whether its place
// stopped calling (tickets per week before and after it was solved, as the problem page shows them).
import { and, gte, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../tickets/db.js';
import { problems, problemTickets, type ProblemRow } from '../tickets/schema.js';
import { ProblemStore, type ProblemTrend } from '../tickets/problem-store.js';
import type { Period } from './period.js';
import { change, type ReportTable } from './report-table.js';

export interface ProblemListData {
  opened: number;
  solved: number;
  overdue: number;
  /** Tickets linked to the problems listed (opened, solved or overdue). */
  tickets: number;
  rows: { problem: ProblemRow; flags: string[]; tickets: number }[];
  solvedTrends: { problem: ProblemRow; trend: ProblemTrend }[];
}

export async function problemList(db: Db, period: Period, now: Date): Promise<ProblemListData> {
  const asOf = now < period.to ? now : period.to;
  const overdueCond = sql`(${problems.targetDate} is not null and ${problems.targetDate} < ${asOf.toISOString()} and ${problems.status} not in ('solved', 'monitoring'))`;
  const opened = and(gte(problems.createdAt, period.from), lt(problems.createdAt, period.to))!;
  const solved = and(gte(problems.solvedAt, period.from), lt(problems.solvedAt, period.to))!;
  const rows = await db
    .select({
      problem: problems,
      opened: sql<boolean>`${opened}`,
      solved: sql<boolean>`coalesce(${solved}, false)`,
      overdue: sql<boolean>`${overdueCond}`,
      tickets: sql<number>`(select count(*) from ${problemTickets} pt where pt.problem_id = ${problems.id} and pt.state = 'linked')::int`,
    })
    .from(problems)
    .where(or(opened, solved, overdueCond))
    .orderBy(problems.id);
  const store = new ProblemStore(db);
  const solvedRows = rows.filter((r) => r.solved);
  const solvedTrends = await Promise.all(solvedRows.map(async (r) => ({ problem: r.problem, trend: await store.trend(r.problem, now) })));
  return {
    opened: rows.filter((r) => r.opened).length,
    solved: solvedRows.length,
    overdue: rows.filter((r) => r.overdue).length,
    tickets: rows.reduce((n, r) => n + Number(r.tickets), 0),
    rows: rows.map((r) => ({ problem: r.problem, tickets: Number(r.tickets), flags: [r.opened && '新立', r.solved && '已解决', r.overdue && '逾期'].filter((f): f is string => Boolean(f)) })),
    solvedTrends,
  };
}

const STATUS_LABEL: Record<string, string> = { open: '待处理', in_progress: '治理中', needs_project: '需立项', solved: '已解决', monitoring: '持续监测' };

export function problemListTables(d: ProblemListData, label: (category: string | null) => string): ReportTable[] {
  return [
    {
      id: 'problems',
      title: '问题清单（举一反三）',
      columns: [
        { key: 'id', label: '编号' },
        { key: 'title', label: '问题' },
        { key: 'category', label: '类别' },
        { key: 'leadUnit', label: '牵头单位' },
        { key: 'status', label: '状态' },
        { key: 'flags', label: '本月' },
        { key: 'tickets', label: '关联工单' },
        { key: 'target', label: '目标日期' },
      ],
      rows: d.rows.map(({ problem: p, flags, tickets }) => ({
        id: p.id,
        title: p.title,
        category: label(p.category),
        leadUnit: p.leadUnit,
        status: STATUS_LABEL[p.status] ?? p.status,
        flags: flags.join('、'),
        tickets,
        target: p.targetDate ? p.targetDate.toISOString().slice(0, 10) : null,
      })),
      note: `本月新立${d.opened}个、解决${d.solved}个、逾期未解决${d.overdue}个，共关联工单${d.tickets}件。`,
    },
    {
      id: 'problems-before-after',
      title: '已解决问题：解决前后每周诉求量',
      columns: [
        { key: 'title', label: '问题' },
        { key: 'solvedAt', label: '解决日期' },
        { key: 'before', label: '解决前周均（8周）' },
        { key: 'after', label: '解决后周均' },
        { key: 'afterWeeks', label: '解决后周数' },
        { key: 'change', label: '变化' },
        { key: 'status', label: '现状' },
      ],
      rows: d.solvedTrends.map(({ problem: p, trend: t }) => ({
        title: p.title,
        solvedAt: p.solvedAt ? p.solvedAt.toISOString().slice(0, 10) : null,
        before: t.before.perWeek,
        after: t.after?.perWeek ?? null,
        afterWeeks: t.after?.weeks ?? null,
        change: t.after ? change(t.after.perWeek, t.before.perWeek) : null,
        status: p.status === 'monitoring' ? '解决后再次来电，持续监测' : (STATUS_LABEL[p.status] ?? p.status),
      })),
      note: '诉求量为关联及待确认关联的工单数；解决后再次出现2件以上匹配工单的问题转为持续监测，并提醒牵头单位。',
    },
  ];
}
