// The access rules of issue 17 as a role sees them: what each of the five roles may do per subject, which
// handoffs social handles, the route table's matching, and what a unit or an analyst reads of a ticket.
import { describe, expect, it } from 'vitest';
import { subject } from '@casl/ability';
import { abilityFor, registerSocialChannels, SUBJECTS, type Action, type SubjectName } from '../../src/http/access/policy.js';
import { publicChannels } from '../../channels/index.js';
import { RouteRules, ROUTE_RULES } from '../../src/http/access/route-rules.js';
import { maskPhone, redactTicket } from '../../src/http/access/redact.js';
import { navFor } from '../../src/http/admin/layout.js';
import { landingFor } from '../../src/http/admin/landing.js';
import { STAFF_ROLES, type StaffRole } from '../../src/tickets/staff-store.js';

/** Issue 17's roles, written out as a table (not derived from the policy): role → subject → actions allowed. */
const ALL: Action[] = ['read', 'create', 'update', 'delete', 'dispatch', 'readPersonal', 'readIdentity', 'reveal'];
const EXPECTED: Record<StaffRole, Partial<Record<SubjectName, Action[]>>> = {
  admin: Object.fromEntries(SUBJECTS.map((s) => [s, ALL])),
  operator: { Console: ['read'], Ticket: ['read', 'update', 'dispatch', 'readPersonal', 'readIdentity', 'reveal'], Handoff: ALL, KnowledgeBase: ALL, Report: ['read', 'update'], Problem: ALL, DeadLetter: ALL },
  unit: { Console: ['read'], Ticket: ['read', 'update', 'readIdentity', 'reveal'] },
  social: { Console: ['read'], Ticket: ['read', 'readPersonal', 'readIdentity'], Mention: ALL, Handoff: ALL },
  analyst: { Console: ['read'], Ticket: ['read', 'reveal'], Report: ['read'], Problem: ['read'] },
};

describe('the policy', () => {
  for (const role of STAFF_ROLES)
    it(`${role}: exactly the issue's abilities`, () => {
      const ability = abilityFor({ role });
      for (const s of SUBJECTS)
        for (const a of ALL) {
          const want = role === 'admin' || (EXPECTED[role][s] ?? []).includes(a);
          expect({ role, s, a, can: ability.can(a, s) }).toEqual({ role, s, a, can: want });
        }
    });

  it('social handles the public channels’ (Weibo’s) handoffs only; operators every channel', () => {
    registerSocialChannels(publicChannels());
    const social = abilityFor({ role: 'social' });
    expect(social.can('update', subject('Handoff', { channel: 'weibo' }))).toBe(true);
    expect(social.can('update', subject('Handoff', { channel: 'webchat' }))).toBe(false);
    expect(abilityFor({ role: 'operator' }).can('update', subject('Handoff', { channel: 'webchat' }))).toBe(true);
  });
});

describe('the route table', () => {
  const rules = new RouteRules();
  it('matches parameters, suffixes, prefixes and express’s case and trailing slash', () => {
    expect(rules.find('GET', '/api/admin/tickets/20261128-000001')).toMatchObject({ path: '/api/admin/tickets/:number', params: { number: '20261128-000001' } });
    expect(rules.find('GET', '/api/admin/tickets.csv')?.path).toBe('/api/admin/tickets.csv');
    expect(rules.find('HEAD', '/api/admin/tickets/')?.path).toBe('/api/admin/tickets');
    expect(rules.find('GET', '/API/Admin/Tickets')?.path).toBe('/api/admin/tickets');
    expect(rules.find('PUT', '/admin/queues/api/queues/tickets/pause')?.rule).toEqual({ kind: 'need', action: 'manage', subject: 'Queue' });
    expect(rules.find('POST', '/api/admin/tickets')).toBeUndefined();
    expect(rules.find('GET', '/api/admin/tickets/a/b')).toBeUndefined();
    expect(rules.declaredFor('GET', '/admin/queues/api/redis/stats')).toEqual({ kind: 'need', action: 'manage', subject: 'Queue' });
    expect(rules.declaredFor('GET', '/api/admin/nothing')).toBeUndefined();
  });

  it('declares each method and path once', () => {
    const keys = ROUTE_RULES.map(([m, p]) => `${m} ${p}`);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it('knows the staff side by its prefixes', () => {
    expect(RouteRules.isStaffPath('/api/tickets')).toBe(true);
    expect(RouteRules.isStaffPath('/api/tickets.csv')).toBe(true);
    expect(RouteRules.isStaffPath('/admin')).toBe(true);
    expect(RouteRules.isStaffPath('/api/webchat/messages')).toBe(false);
    expect(RouteRules.isStaffPath('/api/hotline/callback')).toBe(false);
    expect(RouteRules.isStaffPath('/administrator')).toBe(false);
  });
});

describe('what a role reads of a ticket', () => {
  const ticket = {
    phone: '13812345678',
    text: '我叫李明，电话13812345678，小区门口树倒了',
    senderName: '李明',
    senderId: 'tg-42',
    conversationId: 'chat-42',
    details: { address: '卢沟桥南里3号' },
    events: [{ note: '已联系13812345678' }, { note: null }],
  };

  it('operators and social read it whole', () => {
    expect(redactTicket(ticket, abilityFor({ role: 'operator' }))).toEqual(ticket);
    expect(redactTicket(ticket, abilityFor({ role: 'social' }))).toEqual(ticket);
  });

  it('a unit reads numbers masked (显示 reveals the phone) but knows who the citizen is', () => {
    const seen = redactTicket(ticket, abilityFor({ role: 'unit' }));
    expect(seen).toMatchObject({ phone: '138****5678', phoneMasked: true, senderName: '李明', details: { address: '卢沟桥南里3号' } });
    expect(JSON.stringify(seen)).not.toContain('13812345678');
  });

  it('an analyst reads it anonymously', () => {
    const seen = redactTicket(ticket, abilityFor({ role: 'analyst' }));
    expect(seen).toMatchObject({ phone: '138****5678', phoneMasked: true, senderName: '***', senderId: '***', conversationId: '***', details: {} });
    expect(JSON.stringify(seen)).not.toMatch(/13812345678|tg-42|卢沟桥南里/);
  });

  it('masks any shape of phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('123*2345');
    expect(maskPhone('110')).toBe('***');
  });
});

describe('each role’s console', () => {
  it('shows only the pages the role may use, and starts on its own work', () => {
    const pages = (role: StaffRole) => navFor({ role }).map((n) => n.page);
    expect(pages('unit')).toEqual(['tickets']);
    expect(pages('social')).toEqual(['tickets', 'handoffs', 'mentions']);
    expect(pages('analyst')).toEqual(['tickets', 'reports', 'heatmap', 'rates', 'spikes', 'problems']);
    expect(pages('operator')).toEqual(['tickets', 'handoffs', 'kb', 'reports', 'heatmap', 'rates', 'spikes', 'problems', 'dead-letters']);
    expect(pages('admin')).toContain('users');
    expect(landingFor('unit')).toBe('/admin/tickets?open=1&sort=due');
    expect(landingFor('operator')).toBe('/admin/tickets?status=received');
    expect(landingFor('social')).toBe('/admin/mentions');
    expect(landingFor('analyst')).toBe('/admin/reports');
  });
});
