// The console's page shell: header with navigation, the user and a logout form, then an empty <main> that
// the page's own script fills from the JSON endpoints. No inline script or style (the CSP forbids both):
// the CSRF token travels in a <meta> tag that scripts read.
import { esc } from './html.js';
import type { Session } from './session-store.js';
import { abilityFor, type SubjectName } from '../access/policy.js';

/** The console's pages; each shows in a role's navigation only when the role may read its subject. */
export const NAV: { href: string; label: string; page: string; subject: SubjectName }[] = [
  { href: '/admin/tickets', label: '工单', page: 'tickets', subject: 'Ticket' },
  { href: '/admin/handoffs', label: '转人工', page: 'handoffs', subject: 'Handoff' },
  { href: '/admin/mentions', label: '微博提及', page: 'mentions', subject: 'Mention' },
  { href: '/admin/kb', label: '知识库', page: 'kb', subject: 'KnowledgeBase' },
  { href: '/admin/reports', label: '分析报告', page: 'reports', subject: 'Report' },
  { href: '/admin/heatmap', label: '热力图', page: 'heatmap', subject: 'Report' },
  { href: '/admin/rates', label: '三率排名', page: 'rates', subject: 'Report' },
  { href: '/admin/spikes', label: '突发预警', page: 'spikes', subject: 'Report' },
  { href: '/admin/problems', label: '问题清单', page: 'problems', subject: 'Problem' },
  { href: '/admin/dead-letters', label: '失败任务', page: 'dead-letters', subject: 'DeadLetter' },
  { href: '/admin/queues', label: '队列', page: 'queues', subject: 'Queue' },
  { href: '/admin/users', label: '账号', page: 'users', subject: 'User' },
  { href: '/admin/audit', label: '审计日志', page: 'audit', subject: 'AuditLog' },
];

/** The navigation a session's role may use. */
export function navFor(session: Pick<Session, 'role'>): typeof NAV {
  const ability = abilityFor(session);
  return NAV.filter((n) => ability.can('read', n.subject));
}

export const ASSET_VERSION = '14';

export const ROLE_LABEL: Record<string, string> = { admin: '管理员', operator: '话务调度', unit: '承办单位', social: '新媒体', analyst: '分析员' };

/** The console's top bar (brand, navigation with the active page, user and logout), shared by every page. */
export function consoleHeader(session: Session, activePage: string): string {
  const nav = navFor(session).map(
    (n) => `<a href="${n.href}"${n.page === activePage ? ' class="active" aria-current="page"' : ''}>${esc(n.label)}</a>`,
  ).join('');
  return `<header class="top">
  <a class="brand" href="/admin">接诉即办 · 管理台</a>
  <nav aria-label="主导航">${nav}</nav>
  <form class="logout" method="post" action="/admin/logout">
    <span class="user">${esc(session.user)}<span class="role">（${esc(ROLE_LABEL[session.role] ?? session.role)}${session.unit ? ` · ${esc(session.unit)}` : ''}）</span></span>
    <input type="hidden" name="_csrf" value="${esc(session.csrf)}">
    <button type="submit">退出</button>
  </form>
</header>`;
}

/**
 * The <head> every console page shares: charset and viewport, the CSRF token scripts read (pages with a
 * session), an empty icon (no /favicon.ico request), the title, then the page's styles and deferred scripts.
 */
export function documentHead(opts: { title: string; csrf?: string; timeZone?: string; stylesheets: string[]; scripts?: string[] }): string {
  return [
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(opts.csrf ? [`<meta name="csrf-token" content="${esc(opts.csrf)}">`] : []),
    // The configured TZ_NAME: the console shows and enters dates on the hotline's clock, not the browser's.
    ...(opts.timeZone ? [`<meta name="time-zone" content="${esc(opts.timeZone)}">`] : []),
    '<link rel="icon" href="data:,">',
    `<title>${esc(opts.title)} · 接诉即办管理台</title>`,
    ...opts.stylesheets.map((href) => `<link rel="stylesheet" href="${esc(href)}">`),
    ...(opts.scripts ?? []).map((src) => `<script src="${esc(src)}" defer></script>`),
    '</head>',
  ].join('\n');
}

export function page(opts: { title: string; page: string; session: Session; timeZone: string; scripts: string[]; charts?: boolean; body?: string }): string {
  const scripts = [
    ...(opts.charts ? ['/admin/vendor/echarts.min.js'] : []),
    `/admin/static/common.js?v=${ASSET_VERSION}`,
    ...opts.scripts.map((s) => `/admin/static/${s}?v=${ASSET_VERSION}`),
  ];
  return `<!doctype html>
<html lang="zh-CN">
${documentHead({ title: opts.title, csrf: opts.session.csrf, timeZone: opts.timeZone, stylesheets: [`/admin/static/admin.css?v=${ASSET_VERSION}`], scripts })}
<body data-page="${esc(opts.page)}">
${consoleHeader(opts.session, opts.page)}
<main id="app" data-page="${esc(opts.page)}">
  <h1>${esc(opts.title)}</h1>
  ${opts.body ?? '<p class="loading">加载中…</p>'}
</main>
</body>
</html>`;
}

export function loginPage(opts: { next: string; error?: string; usersEnabled: boolean }): string {
  const users = opts.usersEnabled
    ? `<fieldset>
      <legend>账号登录</legend>
      <label>用户名 <input name="user" autocomplete="username"></label>
      <label>密码 <input name="password" type="password" autocomplete="current-password"></label>
    </fieldset>
    <p class="or">或</p>`
    : '';
  return `<!doctype html>
<html lang="zh-CN">
${documentHead({ title: '登录', stylesheets: [`/admin/static/admin.css?v=${ASSET_VERSION}`] })}
<body class="login-page">
<main class="login">
  <h1>接诉即办 · 管理台</h1>
  ${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ''}
  <form method="post" action="/admin/login">
    <input type="hidden" name="next" value="${esc(opts.next)}">
    ${users}
    <fieldset>
      <legend>管理令牌</legend>
      <label>ADMIN_TOKEN <input name="token" type="password" autocomplete="off"></label>
    </fieldset>
    <button type="submit">登录</button>
  </form>
</main>
</body>
</html>`;
}
