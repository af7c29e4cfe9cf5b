// 诉求热力图: streets × categories for a date range (ECharts heat map). A cell opens the ticket list filtered
// to that street, category and range.
'use strict';
(async function () {
  const { api, h, page, chart, table, showError, qs, today, meta, dateField, formQuery } = window.Admin;
  const main = page();
  const params = Object.fromEntries(new URLSearchParams(location.search));
  const from = params.from || today(-29);
  const to = params.to || today(0);
  const m = await meta().catch(() => ({ districts: [] }));
  const form = h(
    'form',
    { class: 'toolbar card' },
    h('label', {}, '从', dateField({ name: 'from', value: from })),
    h('label', {}, '到', dateField({ name: 'to', value: to })),
    h('label', {}, '区', h('select', { name: 'district' }, h('option', { value: '', text: '全市' }), m.districts.map((d) => h('option', { value: d, text: d, selected: params.district === d })))),
    h('label', {}, '街乡镇数', h('input', { type: 'number', name: 'top', min: 5, max: 100, value: params.top || 30 })),
    h('button', { type: 'submit', text: '查看' }),
    h('a', { class: 'button secondary', href: '/api/admin/heatmap.csv' + qs({ from, to, district: params.district, top: params.top }), text: '导出CSV' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = formQuery(form);
    if (q) location.search = qs(q);
  });
  main.append(form);
  const card = h('div', { class: 'card', id: 'heatmap' }, h('p', { class: 'loading', text: '加载中…' }));
  main.append(card);
  try {
    const hm = await api('/api/admin/heatmap' + qs({ from, to, district: params.district, top: params.top }));
    card.replaceChildren(h('p', { class: 'muted', text: hm.label + '，诉求量前 ' + hm.streets.length + ' 的街乡镇 × 类别；点击格子或下表中的数字查看工单。' }));
    if (!hm.cells.length) return card.append(h('p', { text: '该时段没有工单。' }));
    const ylabels = hm.streets.map((s) => s.street);
    const ticketsOf = (si, ci) => {
      const s = hm.streets[si];
      return '/admin/tickets' + qs({ street: s.street, district: s.district, category: hm.categories[ci], from: hm.from, to: hm.to });
    };
    const c = chart(
      card,
      {
        tooltip: {
          position: 'top',
          formatter: (p) => hm.streets[p.value[1]].district + hm.streets[p.value[1]].street + ' · ' + hm.categoryLabels[p.value[0]] + '：' + p.value[2] + ' 件',
        },
        // The colour legend stands to the right of the grid: under it, it covered the rotated category names.
        grid: { left: 130, right: 90, top: 20, bottom: 90 },
        xAxis: { type: 'category', data: hm.categoryLabels, splitArea: { show: true }, axisLabel: { rotate: 45, interval: 0 } },
        yAxis: { type: 'category', data: ylabels, inverse: true, splitArea: { show: true }, axisLabel: { interval: 0, fontSize: 11 } },
        visualMap: { min: 0, max: hm.max, calculable: true, orient: 'vertical', right: 0, top: 'middle', itemHeight: 160, inRange: { color: ['#fff5f0', '#fc9272', '#cb181d', '#67000d'] } },
        series: [{ type: 'heatmap', data: hm.cells.map(([si, ci, n]) => [ci, si, n]), label: { show: hm.streets.length <= 40, fontSize: 10 }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
      },
      'tall',
      { table: false },
    );
    if (c) c.on('click', (p) => (location.href = ticketsOf(p.value[1], p.value[0])));
    // The same figures as a table, each count a link to its tickets: the drill-down without a mouse.
    const counts = new Map(hm.cells.map(([si, ci, n]) => [si + ':' + ci, n]));
    const columns = [{ key: 'street', label: '街乡镇' }].concat(
      hm.categoryLabels.map((label, ci) => ({
        key: 'c' + ci,
        label,
        num: true,
        render: (row) => {
          const n = counts.get(row.si + ':' + ci) || 0;
          return n ? h('a', { href: ticketsOf(row.si, ci), 'aria-label': row.street + ' ' + label + ' ' + n + ' 件', text: String(n) }) : '0';
        },
      })),
    );
    const rows = hm.streets.map((s, si) => ({ si, street: s.district + s.street }));
    card.append(h('details', { class: 'chart-data', id: 'heatmap-table' }, h('summary', { text: '以表格查看（数字链接到工单列表）' }), table(columns, rows, { label: '诉求热力图数据', cls: 'heat' })));
  } catch (err) {
    card.replaceChildren();
    showError(card, err);
  }
})();
