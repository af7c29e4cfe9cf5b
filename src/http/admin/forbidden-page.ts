// The page a console user sees for a page their role may not use (403), or a ticket their unit does not reach
// (404, worded as for a ticket that does not exist): the console's header with their own navigation, and a way
// back to their own work.
import { page } from './layout.js';
import { landingFor } from './landing.js';
import type { Session } from './session-store.js';
import { esc } from './html.js';

export function forbiddenPage(status: 403 | 404, session: Session, timeZone: string): string {
  const title = status === 404 ? '未找到' : '无权访问';
  const why = status === 404 ? '没有这个工单，或它不由本单位承办。' : '你的账号角色不能使用这个页面。';
  return page({ title, page: 'none', session, timeZone, scripts: [], body: `<p>${esc(why)}</p>\n  <p><a href="${esc(landingFor(session.role))}">回到我的工作台</a></p>` });
}
