// 三率与街乡镇排名: response, resolution and satisfaction rates per street (with the four-class ranking),
// per unit or per district, for a date range (default: last month); a volume × score scatter by class; and
// 吹哨报到's 报到率 and average report time per called unit.
'use strict';
(async function () {
  const { api, h, page, table, kpis, chart, showError, qs, pct, dateField, formQuery } = window.Admin;
  const main = page();
  const params = Object.fromEntries(new URLSearchParams(location.search));
  const by = ['street', 'unit', 'district'].includes(params.by) ? params.by : 'street';
  const form = h(
    'form',
    { class: 'toolbar card' },
    h('label', {}, '统计对象', h('select', { name: 'by' }, [['street', '街乡镇'], ['unit', '承办单位'], ['district', '区']].map(([v, t]) => h('option', { value: v, text: t, selected: by === v })))),
    h('label', {}, '受理日期从', dateField({ name: 'from', value: params.from || '' })),
    h('label', {}, '到', dateField({ name: 'to', value: params.to || '' })),
    h('button', { type: 'submit', text: '查看' }),
    h('a', { class: 'button secondary', href: '/api/admin/rates.csv' + qs({ by, from: params.from, to: params.to }), text: '导出CSV' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = formQuery(form);
    if (q) location.search = qs(q);
  });
  main.append(form);
  const body = h('div', { id: 'rates-body' }, h('p', { class: 'loading', text: '计算中…' }));
  main.append(body);
  try {
    const r = await api('/api/admin/rates' + qs({ by, from: params.from, to: params.to }));
    body.replaceChildren(h('p', { class: 'muted', text: r.label + '受理的工单。综合得分 = 响应率×10% + 解决率×45% + 满意率×45%；未到期且未办理的工单不计入。' }));
    const rateCols = [
      { key: 'total', label: '受理量', num: true },
      { key: 'responseRate', label: '响应率', num: true, render: (x) => pct(x.responseRate) },
      { key: 'resolutionRate', label: '解决率', num: true, render: (x) => pct(x.resolutionRate) },
      { key: 'satisfactionRate', label: '满意率', num: true, render: (x) => pct(x.satisfactionRate) },
      { key: 'score', label: '综合得分', num: true },
    ];
    if (r.ranking) {
      const k = r.ranking.counts;
      body.append(kpis([{ label: '先进类', value: k['先进类'] }, { label: '较好类', value: k['较好类'] }, { label: '一般类', value: k['一般类'] }, { label: '治理类', value: k['治理类'] }, { label: '样本不足未排名', value: r.ranking.unranked.length }]));
      const card = h('div', { class: 'card' });
      body.append(card);
      const colors = { 先进类: '#2e7d32', 较好类: '#81c784', 一般类: '#ffb300', 治理类: '#e53935' };
      chart(card, {
        title: { text: '诉求量与综合得分', textStyle: { fontSize: 14 } },
        tooltip: { formatter: (p) => p.data[2] + '：' + p.data[0] + ' 件，得分 ' + p.data[1] },
        legend: { left: 0, top: 0, data: Object.keys(colors) },
        grid: { left: 60, right: 60, top: 60, bottom: 40 },
        xAxis: { type: 'value', name: '受理量' },
        yAxis: { type: 'value', name: '综合得分', scale: true },
        series: Object.keys(colors).map((cls) => ({ name: cls, type: 'scatter', itemStyle: { color: colors[cls] }, data: r.ranking.ranked.filter((x) => x.class === cls).map((x) => [x.total, x.score, x.district + x.key]) })),
      });
      body.append(
        h('h2', { text: '街乡镇排名' }),
        table(
          [
            { key: 'rank', label: '名次', num: true },
            { key: 'class', label: '类别', render: (x) => h('span', { class: 'badge c-' + x.class, text: x.class }) },
            { key: 'district', label: '区' },
            { key: 'key', label: '街乡镇', render: (x) => h('a', { href: '/admin/tickets' + qs({ street: x.key, district: x.district, from: r.from, to: r.to }), text: x.key }) },
          ]
            .concat(rateCols)
            .concat([{ key: 'reason', label: '依据' }]),
          r.ranking.ranked,
        ),
      );
    } else {
      body.append(table([{ key: 'key', label: by === 'unit' ? '承办单位' : '区' }].concat(rateCols), r.rows));
    }
    body.append(callinSection(r));
  } catch (err) {
    body.replaceChildren();
    showError(body, err);
  }

  function duration(min) {
    if (min === null || min === undefined) return '—';
    return min < 60 ? Math.round(min) + '分钟' : (min / 60).toFixed(1) + '小时';
  }

  function callinSection(r) {
    const section = h(
      'section',
      { id: 'callin-rates', 'aria-labelledby': 'callin-rates-title' },
      h('h2', { id: 'callin-rates-title', text: '吹哨报到' }),
      h('p', { class: 'muted', text: r.label + '吹哨的单位。报到率 = 按时报到 ÷（已报到 + 超时未报到）；未到报到时限且未报到的不计入。' }),
      h('p', {}, h('a', { class: 'button secondary', href: '/api/admin/rates/callins.csv' + qs({ from: params.from, to: params.to }), text: '导出报到率CSV' })),
    );
    if (!r.callins || !r.callins.length) return section.append(h('p', { class: 'muted', text: '该期间没有吹哨记录。' })), section;
    section.append(
      table(
        [
          { key: 'unit', label: '被吹哨单位' },
          { key: 'called', label: '吹哨次数', num: true },
          { key: 'onTime', label: '按时报到', num: true },
          { key: 'lateReported', label: '超时报到', num: true },
          { key: 'missing', label: '超时未报到', num: true },
          { key: 'reportRate', label: '报到率', num: true, render: (x) => pct(x.reportRate) },
          { key: 'avgReportMinutes', label: '平均报到用时', num: true, render: (x) => duration(x.avgReportMinutes) },
        ],
        r.callins,
      ),
    );
    return section;
  }
})();
