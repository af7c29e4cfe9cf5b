// 审计日志 (administrators): every change staff made and every phone number revealed (显示), newest first, with
// filters; 导出 CSV downloads the same selection.
'use strict';
(async function () {
  const { api, h, ROLE, page, table, showError, fmtTime, qs, dateField, formQuery } = window.Admin;
  const ACTION = { reveal_phone: '显示电话号码' };
  const main = page();
  const params = Object.fromEntries(new URLSearchParams(location.search));
  const field = (name, label, attrs) => h('label', {}, label + ' ', h('input', Object.assign({ name, value: params[name] || '' }, attrs || {})));
  const form = h(
    'form',
    { class: 'filters', id: 'audit-filters' },
    field('user', '用户'),
    field('ticket', '工单号', { inputmode: 'numeric', placeholder: '20261128-000123' }),
    h('label', {}, '从 ', dateField({ name: 'from', value: params.from })),
    h('label', {}, '到 ', dateField({ name: 'to', value: params.to })),
    h('button', { type: 'submit', text: '筛选' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = formQuery(form);
    if (data) location.search = qs(data);
  });
  const selection = qs({ user: params.user, ticket: params.ticket, action: params.action, from: params.from, to: params.to });
  const exportLink = h('a', { class: 'button', href: '/api/admin/audit.csv' + selection, download: 'audit.csv', text: '导出 CSV' });
  const body = h('div', { id: 'audit-body' }, h('p', { class: 'loading', text: '加载中…' }));
  main.append(form, h('div', { class: 'toolbar' }, exportLink), body);

  try {
    const d = await api('/api/admin/audit' + selection);
    body.replaceChildren(
      h('p', { class: 'muted', text: '共 ' + d.total + ' 条' + (d.total > d.items.length ? '，显示最近 ' + d.items.length + ' 条' : '') }),
      table(
        [
          { key: 'at', label: '时间', render: (e) => fmtTime(e.at) },
          { key: 'user', label: '用户' },
          { key: 'role', label: '角色', render: (e) => ROLE[e.role] || e.role },
          { key: 'action', label: '操作', cls: 'wrap', render: (e) => ACTION[e.action] || e.action },
          { key: 'ticketNumber', label: '工单号', render: (e) => (e.ticketNumber ? h('a', { href: '/admin/tickets/' + e.ticketNumber, text: e.ticketNumber }) : '') },
          { key: 'detail', label: '结果' },
        ],
        d.items,
        { empty: '没有符合条件的记录。' },
      ),
    );
  } catch (err) {
    body.replaceChildren();
    showError(body, err);
  }
})();
