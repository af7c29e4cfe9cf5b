// /api/problems: problem lists for scripts and partner systems, behind the bearer ADMIN_TOKEN like the
// tickets API. The console reaches the same routes at /api/admin/problems with its session.
import express from 'express';
import type { ProblemStore } from '../tickets/problem-store.js';
import { requireAdmin, type BearerToken } from './admin-auth.js';
import { bodyErrorHandler } from './http-errors.js';
import { problemRoutes } from './problem-routes.js';

export function problemsApi(problems: ProblemStore, adminToken: BearerToken, changed?: (id: number) => Promise<void>, now: () => Date = () => new Date()): express.Router {
  const r = express.Router();
  r.use('/api/problems', requireAdmin(adminToken));
  r.use(problemRoutes('/api/problems', { problems, now, actor: () => 'operator', changed }));
  r.use('/api/problems', bodyErrorHandler);
  return r;
}
