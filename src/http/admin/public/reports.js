// 分析报告: the daily bulletin, weekly summary and monthly analysis with charts (ECharts), every table
// below them, and PDF / HTML / CSV / Markdown export of the whole report (CSV of one table too).
'use strict';
(async function () {
  const { api, h, page, table, kpis, chart, showError, qs, dateField, dateValue } = window.Admin;
  const main = page();
  const params = new URLSearchParams(location.search);
  const kind = ['daily', 'weekly', 'monthly'].includes(params.get('kind')) ? params.get('kind') : 'daily';
  const date = params.get('date') || '';
  const NAMES = { daily: '日通报', weekly: '周汇总', monthly: '月分析' };

  main.append(h('div', { class: 'tabs', id: 'report-tabs' }, Object.entries(NAMES).map(([k, n]) => h('a', { href: qs({ kind: k, date }), class: k === kind ? 'active' : undefined, text: n }))));
  const dateInput = dateField({ name: 'date', value: date, 'aria-describedby': 'date-help' });
  const dateHelp = h('span', { id: 'date-help', class: 'muted', text: '如 2026/12/04；留空为最近有数据的一期' });
  const form = h('form', { class: 'toolbar' }, h('label', {}, '日期（所在日/周/月）', dateInput), dateHelp, h('button', { type: 'submit', text: '查看' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const day = dateValue(dateInput);
    if (day !== null) location.search = qs({ kind, date: day });
  });

  const exports = h('span', {});
  form.append(exports);
  main.append(form);
  const body = h('div', { id: 'report-body' }, h('p', { class: 'loading', text: '报告生成中…' }));
  main.append(body);

  let r;
  try {
    r = await api('/api/admin/reports/' + kind + qs({ date }));
  } catch (err) {
    body.replaceChildren();
    return showError(body, err);
  }
  // The period shown, so the exports and the date field name it even when the console chose it.
  const shown = (r.data && r.data.period && r.data.period.start) || date;
  if (!date && shown) dateInput.value = shown.replace(/-/g, '/');
  exports.append(
    ...[
      ['pdf', '导出PDF'],
      ['html', '导出HTML'],
      ['csv', '导出CSV'],
      ['md', '导出Markdown'],
    ].flatMap(([ext, label]) => [h('a', { class: 'button secondary', href: '/api/admin/reports/' + kind + '.' + ext + qs({ date: shown }), text: label }), ' ']),
  );
  body.replaceChildren(h('h2', { text: r.meta.title }), kpis(r.headline));

  // The charts come with the report, built on the server from the same figures as its HTML and PDF export;
  // their titles sit above them, so a legend can never run into a title.
  const charts = h('div', { class: 'cols-2' });
  body.append(charts);
  for (const c of r.charts || []) {
    const card = h('div', { class: 'card' }, h('h3', { class: 'chart-title', text: c.title }));
    charts.append(card);
    if (c.empty) card.append(h('p', { class: 'chart-empty', text: '暂无数据' }));
    else chart(card, Object.assign({}, c.option, { title: { text: c.title, show: false } }), c.tall ? 'tall' : undefined);
  }

  for (const t of r.tables) {
    const parts = [
      h('h2', {}, t.title, ' ', h('a', { href: '/api/admin/reports/' + kind + '.csv' + qs({ date: shown, table: t.id }), 'aria-label': t.title + ' 导出CSV', text: 'CSV' })),
      table(
        t.columns.map((c) => ({ key: c.key, label: c.label, num: t.rows.some((row) => typeof row[c.key] === 'number') })),
        t.rows,
        { empty: '（无）', label: t.title },
      ),
      t.note ? h('p', { class: 'muted', text: '注：' + t.note }) : null,
    ];
    body.append(...parts.filter(Boolean));
  }
})();
