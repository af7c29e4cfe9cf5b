// The pure rules of 吹哨报到: the report deadline by time limit, who is recorded as acting, which departments are
// suggested, who sees a ticket, and when a call-in counts as late.
import { describe, expect, it } from 'vitest';
import { actorOf, callinView, JointHandling, reportDueAt } from '../../src/tickets/joint-handling.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import type { TicketCallinRow } from '../../src/tickets/schema.js';

const at = new Date('2026-11-28T01:00:00Z');
const joint = new JointHandling({ db: undefined as never, table: loadDispatchTable() });

describe('joint handling rules', () => {
  it('gives called units 2 hours on 2h and 24h tickets, 24 hours otherwise', () => {
    expect(['2h', '24h', '7d', '15d'].map((tier) => (reportDueAt(tier, at).getTime() - at.getTime()) / 3600_000)).toEqual([2, 2, 24, 24]);
  });

  it('records unit staff with their unit', () => {
    expect(actorOf({ user: 'li', role: 'unit', unit: '卢沟桥街道' })).toBe('unit:卢沟桥街道:li');
    expect(actorOf({ user: 'wang', role: 'operator' })).toBe('operator:wang');
    expect(actorOf({ user: 'admin', role: 'admin' })).toBe('admin:admin');
  });

  it("suggests the category's district department, then the city's, leaving out the handler and units called", () => {
    const t = { category: 'noise', district: '丰台区', street: '卢沟桥街道', unit: '卢沟桥街道' };
    expect(joint.suggestions(t)).toEqual(['丰台区生态环境局', '北京市生态环境局']);
    expect(joint.suggestions(t, ['丰台区生态环境局'])).toEqual(['北京市生态环境局']);
    // A department-handled ticket: its own department is not suggested to itself.
    expect(joint.suggestions({ category: 'labor', district: '丰台区', street: null, unit: '丰台区人力资源和社会保障局' })).toEqual(['北京市人力资源和社会保障局']);
    expect(joint.suggestions({ category: 'other', district: '丰台区', street: '卢沟桥街道', unit: '卢沟桥街道' })).toEqual([]);
    expect(joint.isKnownUnit('丰台区城市管理委员会')).toBe(true);
    expect(joint.isKnownUnit('丰台区不存在局')).toBe(false);
  });

  it('lets unit staff see only the tickets they handle or are called in to', () => {
    const ticket = { unit: '卢沟桥街道' };
    const called = [{ unit: '丰台区城市管理委员会' }];
    expect(JointHandling.sees({ user: 'li', role: 'unit', unit: '卢沟桥街道' }, ticket, called)).toBe(true);
    expect(JointHandling.sees({ user: 'zhao', role: 'unit', unit: '丰台区城市管理委员会' }, ticket, called)).toBe(true);
    expect(JointHandling.sees({ user: 'qian', role: 'unit', unit: '望京街道' }, ticket, called)).toBe(false);
    expect(JointHandling.sees({ user: 'wang', role: 'operator' }, ticket, [])).toBe(true);
  });

  it('marks a call-in late when reported after its deadline or still unreported past it', () => {
    const row = (reportedAt: Date | null): TicketCallinRow => ({
      id: 1, ticketId: 1, unit: 'x', calledBy: 'admin:admin', note: null, calledAt: at, dueAt: reportDueAt('2h', at), reportedAt, reportedBy: null, reportNote: null, lateAt: null,
    });
    const due = reportDueAt('2h', at).getTime();
    expect(callinView(row(null), new Date(due - 1)).late).toBe(false);
    expect(callinView(row(null), new Date(due + 1)).late).toBe(true);
    expect(callinView(row(new Date(due)), new Date(due + 86_400_000)).late).toBe(false);
    expect(callinView(row(new Date(due + 1)), new Date(due + 1)).late).toBe(true);
  });
});
