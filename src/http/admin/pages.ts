// The console's HTML pages: a server-rendered shell per page (src/http/admin/layout.ts) whose script loads
// the data from the JSON endpoints. All of them need a session.
import express from 'express';
import { page } from './layout.js';
import { requirePageSession, sessionOf } from './require-session.js';
import { landingFor } from './landing.js';

/** Every console page this router serves (the accessibility audit walks this list and the navigation). */
export const PAGES: { path: string; title: string; page: string; scripts: string[]; charts?: boolean }[] = [
  { path: '/admin/tickets', title: '工单', page: 'tickets', scripts: ['tickets.js'] },
  { path: '/admin/tickets/:number', title: '工单详情', page: 'tickets', scripts: ['ticket.js'] },
  { path: '/admin/handoffs', title: '转人工', page: 'handoffs', scripts: ['handoffs.js'] },
  { path: '/admin/kb', title: '知识库', page: 'kb', scripts: ['kb.js'] },
  { path: '/admin/reports', title: '分析报告', page: 'reports', scripts: ['reports.js'], charts: true },
  { path: '/admin/heatmap', title: '诉求热力图', page: 'heatmap', scripts: ['heatmap.js'], charts: true },
  { path: '/admin/rates', title: '三率与街乡镇排名', page: 'rates', scripts: ['rates.js'], charts: true },
  { path: '/admin/spikes', title: '突发预警', page: 'spikes', scripts: ['spikes.js'] },
  { path: '/admin/problems', title: '问题清单', page: 'problems', scripts: ['problems.js'] },
  { path: '/admin/problems/:id', title: '问题详情', page: 'problems', scripts: ['problem.js'], charts: true },
  { path: '/admin/dead-letters', title: '失败任务', page: 'dead-letters', scripts: ['dead-letters.js'] },
  { path: '/admin/users', title: '账号管理', page: 'users', scripts: ['users.js'] },
  { path: '/admin/audit', title: '审计日志', page: 'audit', scripts: ['audit.js'] },
];

/** `timeZone`: the configuration's, given to the pages' scripts (common.js reads it). */
export function pageRoutes(opts: { timeZone: string }): express.Router {
  const r = express.Router();
  r.get('/admin', requirePageSession, (_req, res) => res.redirect(302, landingFor(sessionOf(res)!.role)));
  for (const p of PAGES) {
    r.get(p.path, requirePageSession, (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(page({ title: p.title, page: p.page, session: sessionOf(res)!, timeZone: opts.timeZone, scripts: p.scripts, charts: p.charts }));
    });
  }
  return r;
}
