// The console's page shell: header with navigation, the user and a logout form, then an empty <main> that
// the page's own script fills from the JSON endpoints. No inline script or style (the CSP forbids both):
// the CSRF token travels in a <meta> tag that scripts read.
import { esc } from './html.js';
import type { Session } from './session-store.js';

export const NAV: { href: string; label: string; page: string }[] = [
  { href: '/admin/tickets', label: '工单', page: 'tickets' },
  { href: '/admin/handoffs', label: '转人工', page: 'handoffs' },
  { href: '/admin/kb', label: '知识库', page: 'kb' },
  { href: '/admin/reports', label: '分析报告', page: 'reports' },
  { href: '/admin/heatmap', label: '热力图', page: 'heatmap' },
  { href: '/admin/rates', label: '三率排名', page: 'rates' },
  { href: '/admin/spikes', label: '突发预警', page: 'spikes' },
  { href: '/admin/problems', label: '问题清单', page: 'problems' },
  { href: '/admin/mentions', label: '微博提及', page: 'mentions' },
  { href: '/admin/dead-letters', label: '失败任务', page: 'dead-letters' },
  { href: '/admin/queues', label: '队列', page: 'queues' },
];

export const ASSET_VERSION = '8';

/** The console's top bar (brand, navigation with the active page, user and logout), shared by every page. */
export function consoleHeader(session: Session, activePage: string): string {
  const nav = NAV.map(
    (n) => `<a href="${n.href}"${n.page === activePage ? ' class="active" aria-current="page"' : ''}>${esc(n.label)}</a>`,
  ).join('');
  return `<header class="top">
  <a class="brand" href="/admin/tickets">接诉即办 · 管理台</a>
  <nav>${nav}</nav>
  <form class="logout" method="post" action="/admin/logout">
    <span class="user">${esc(session.user)}</span>
    <input type="hidden" name="_csrf" value="${esc(session.csrf)}">
    <button type="submit">退出</button>
  </form>
</header>`;
}

/**
 * The <head> every console page shares: charset and viewport, the CSRF token scripts read (pages with a
 * session), an empty icon (no /favicon.ico request), the title, then the page's styles and deferred scripts.
 */
export function documentHead(opts: { title: string; csrf?: string; stylesheets: string[]; scripts?: string[] }): string {
  return [
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(opts.csrf ? [`<meta name="csrf-token" content="${esc(opts.csrf)}">`] : []),
    '<link rel="icon" href="data:,">',
    `<title>${esc(opts.title)} · 接诉即办管理台</title>`,
    ...opts.stylesheets.map((href) => `<link rel="stylesheet" href="${esc(href)}">`),
    ...(opts.scripts ?? []).map((src) => `<script src="${esc(src)}" defer></script>`),
    '</head>',
  ].join('\n');
}

export function page(opts: { title: string; page: string; session: Session; scripts: string[]; charts?: boolean }): string {
  const scripts = [
    ...(opts.charts ? ['/admin/vendor/echarts.min.js'] : []),
    `/admin/static/common.js?v=${ASSET_VERSION}`,
    ...opts.scripts.map((s) => `/admin/static/${s}?v=${ASSET_VERSION}`),
  ];
  return `<!doctype html>
<html lang="zh-CN">
${documentHead({ title: opts.title, csrf: opts.session.csrf, stylesheets: [`/admin/static/admin.css?v=${ASSET_VERSION}`], scripts })}
<body data-page="${esc(opts.page)}">
${consoleHeader(opts.session, opts.page)}
<main id="app" data-page="${esc(opts.page)}">
  <h1>${esc(opts.title)}</h1>
  <p class="loading">加载中…</p>
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
