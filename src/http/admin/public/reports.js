// 分析报告: the daily bulletin, weekly summary and monthly analysis with charts (ECharts), every table
// below them, and CSV / Markdown export of the whole report or one table.
'use strict';
(async function () {
  const { api, h, page, table, kpis, chart, showError, qs, categoryName, CHANNEL } = window.Admin;
  const main = page();
  const params = new URLSearchParams(location.search);
  const kind = ['daily', 'weekly', 'monthly'].includes(params.get('kind')) ? params.get('kind') : 'daily';
  const date = params.get('date') || '';
  const NAMES = { daily: '日通报', weekly: '周汇总', monthly: '月分析' };

  main.append(h('div', { class: 'tabs', id: 'report-tabs' }, Object.entries(NAMES).map(([k, n]) => h('a', { href: qs({ kind: k, date }), class: k === kind ? 'active' : undefined, text: n }))));
  const dateInput = h('input', { type: 'date', name: 'date', value: date });
  const form = h('form', { class: 'toolbar' }, h('label', {}, '日期（所在日/周/月）', dateInput), h('button', { type: 'submit', text: '查看' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.search = qs({ kind, date: dateInput.value });
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
  const d = r.data;
  exports.append(
    h('a', { class: 'button secondary', href: '/api/admin/reports/' + kind + '.csv' + qs({ date }), text: '导出CSV' }),
    ' ',
    h('a', { class: 'button secondary', href: '/api/admin/reports/' + kind + '.md' + qs({ date }), text: '导出Markdown' }),
  );
  body.replaceChildren(h('h2', { text: r.meta.title }), kpis(r.headline));

  const charts = h('div', { class: 'cols-2' });
  body.append(charts);
  const catNames = await Promise.all((d.byCategory || []).map((c) => categoryName(c.key)));
  const cardChart = (option, cls) => {
    const card = h('div', { class: 'card' });
    charts.append(card);
    return chart(card, option, cls);
  };
  if (kind === 'daily') {
    cardChart({
      title: { text: '分渠道受理量', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: d.byChannel.map((c) => ({ name: CHANNEL[c.key] || c.key, value: c.count })) }],
    });
  } else {
    cardChart({
      title: { text: '每日受理量', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: d.series.map((s) => s.day.slice(5)) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: d.series.map((s) => s.count), areaStyle: {}, itemStyle: { color: '#c62828' } }],
    });
  }
  const topCats = d.byCategory.slice(0, 12);
  cardChart({
    title: { text: '分类别受理量（与上期比较）', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { right: 0, data: ['本期', '上期'] },
    grid: { left: 80, right: 20, top: 40, bottom: 20 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: catNames.slice(0, 12).reverse() },
    series: [
      { name: '本期', type: 'bar', data: topCats.map((c) => c.count).reverse(), itemStyle: { color: '#1565c0' } },
      { name: '上期', type: 'bar', data: topCats.map((c) => c.previous).reverse(), itemStyle: { color: '#b0bec5' } },
    ],
  });
  if (kind !== 'daily') {
    const themeIds = [...new Set(d.themes.map((t) => t.theme))];
    const buckets = [...new Set(d.themes.map((t) => t.bucket))];
    const themeTable = r.tables.find((t) => t.id === 'themes');
    cardChart({
      title: { text: '专项主题走势', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 24, data: themeTable.rows.map((x) => x.theme) },
      grid: { left: 50, right: 20, top: 60, bottom: 30 },
      xAxis: { type: 'category', data: buckets.map((b) => b.slice(2)) },
      yAxis: { type: 'value' },
      series: themeIds.map((id, i) => ({ name: themeTable.rows[i].theme, type: 'line', data: buckets.map((b) => (d.themes.find((t) => t.theme === id && t.bucket === b) || { count: 0 }).count) })),
    });
    cardChart({
      title: { text: '各区三率', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis', valueFormatter: (v) => v + '%' },
      legend: { top: 24, data: ['响应率', '解决率', '满意率'] },
      grid: { left: 50, right: 20, top: 60, bottom: 60 },
      xAxis: { type: 'category', data: d.districtRates.map((x) => x.key), axisLabel: { rotate: 40 } },
      yAxis: { type: 'value', min: (v) => Math.max(0, Math.floor(v.min - 5)), max: 100 },
      series: [
        ['响应率', 'responseRate'],
        ['解决率', 'resolutionRate'],
        ['满意率', 'satisfactionRate'],
      ].map(([name, k]) => ({ name, type: 'bar', data: d.districtRates.map((x) => (x[k] === null ? null : +(x[k] * 100).toFixed(1))) })),
    });
  } else {
    cardChart({
      title: { text: '分区受理量', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: d.byDistrict.map((x) => x.key || '未知'), axisLabel: { rotate: 40 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: d.byDistrict.map((x) => x.count), itemStyle: { color: '#1565c0' } }],
    });
  }

  for (const t of r.tables) {
    const parts = [
      h('h2', {}, t.title, ' ', h('a', { href: '/api/admin/reports/' + kind + '.csv' + qs({ date, table: t.id }), 'aria-label': t.title + ' 导出CSV', text: 'CSV' })),
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
