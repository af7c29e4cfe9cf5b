// 工单列表: filters and search kept in the URL (so a heat-map cell or a link can open a filtered list),
// overdue first, paging, CSV export of the selection. Tickets a unit is called in to (吹哨报到) are marked 协办
// for that unit's staff, and for anyone filtering by 协办单位.
'use strict';
(async function () {
  const { api, h, STATUS, CHANNEL, TIER, meta, fmtTime, statusBadge, page, table, showError, qs, dateField, formQuery } = window.Admin;
  const main = page();
  const params = Object.fromEntries(new URLSearchParams(location.search));
  // A unit's start page (landing.ts): its own open tickets, soonest due first.
  if (params.open && params.sort === 'due' && Object.keys(params).length === 2) main.querySelector('h1').textContent = '我的待办工单';
  else if (params.status === 'received' && Object.keys(params).length === 1) main.querySelector('h1').textContent = '待派单工单';
  let m;
  try {
    m = await meta();
  } catch (err) {
    return showError(main, err);
  }
  const catName = (id) => (m.categories.find((c) => c.id === id) || { name: id || '未分类' }).name;
  const who = await api('/api/admin/session').catch(() => ({}));
  const assistingUnit = params.calledIn || (who.role === 'unit' ? who.unit : undefined);

  const sel = (name, label, options) =>
    h('label', {}, label, h('select', { name }, h('option', { value: '', text: '全部' }), options.map(([v, t]) => h('option', { value: v, text: t, selected: params[name] === v }))));
  const streetList = h('datalist', { id: 'streets' }, m.streets.map((s) => h('option', { value: s.name, text: s.district })));
  const form = h(
    'form',
    { class: 'filters card', id: 'filters' },
    h('label', {}, '搜索', h('input', { name: 'q', type: 'search', placeholder: '工单号 / 内容 / 街道 / 单位', value: params.q || '', size: 24 })),
    sel('status', '状态', Object.entries(STATUS)),
    sel('category', '类别', m.categories.map((c) => [c.id, c.name])),
    sel('district', '区', m.districts.map((d) => [d, d])),
    h('label', {}, '街乡镇', h('input', { name: 'street', list: 'streets', value: params.street || '', size: 12 })),
    sel('channel', '渠道', Object.entries(CHANNEL)),
    h('label', {}, '协办单位', h('input', { name: 'calledIn', placeholder: '被吹哨的单位', value: params.calledIn || '', size: 14 })),
    h('label', {}, '受理日期从', dateField({ name: 'from', value: params.from || '' })),
    h('label', {}, '到', dateField({ name: 'to', value: params.to || '' })),
    h('label', { class: 'inline' }, h('input', { name: 'overdue', type: 'checkbox', value: 'true', checked: params.overdue === 'true' }), '只看逾期'),
    h('label', { class: 'inline' }, h('input', { name: 'open', type: 'checkbox', value: '1', checked: params.open === '1' || params.open === 'true' }), '只看未办结'),
    h('label', {}, '排序', h('select', { name: 'sort' }, h('option', { value: '', text: '逾期优先，其余最新在前' }), h('option', { value: 'due', text: '最先到期在前', selected: params.sort === 'due' }))),
    h('button', { type: 'submit', text: '查询' }),
    h('a', { class: 'button secondary', href: '/admin/tickets', text: '重置' }),
    // Unit staff: the tickets their unit is called in to, one click away.
    who.role === 'unit' && who.unit ? h('a', { class: 'button secondary', id: 'my-callins', href: '/admin/tickets' + qs({ calledIn: who.unit }), text: '本单位协办' }) : null,
    h('a', { class: 'button secondary', id: 'export-csv', href: '/api/admin/tickets.csv' + qs({ ...params, page: undefined }), text: '导出CSV' }),
    streetList,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = formQuery(form);
    if (data) location.search = qs(data);
  });
  main.append(form);

  const results = h('div', { id: 'results' }, h('p', { class: 'loading', text: '加载中…' }));
  main.append(results);
  try {
    const pageNo = Number(params.page || 1);
    const list = await api('/api/admin/tickets' + qs({ ...params, page: pageNo, size: 50 }));
    const total = list.totalCapped ? list.total + '+' : list.total;
    const summary = h(
      'p',
      { class: 'summary' },
      '共 ',
      h('strong', { text: total }),
      ' 件，其中逾期未办结 ',
      h('strong', { class: 'error', text: list.overdueTotal }),
      ' 件（逾期件排在最前）',
      list.searchDays ? '；未指定日期时搜索近' + list.searchDays + '天' : '',
    );
    const rows = table(
      [
        { key: 'number', label: '工单号', render: (t) => h('a', { href: '/admin/tickets/' + t.number, text: t.number }) },
        {
          key: 'status',
          label: '状态',
          render: (t) => [
            statusBadge(t.status),
            t.overdue ? h('span', { class: 'badge overdue', text: '逾期' }) : null,
            assistingUnit && (t.calledIn || []).includes(assistingUnit) ? h('span', { class: 'badge callin', text: '协办' }) : null,
          ],
        },
        { key: 'category', label: '类别', render: (t) => catName(t.category) },
        { key: 'tier', label: '时限', render: (t) => TIER[t.tier] || t.tier },
        { key: 'place', label: '区 / 街乡镇', cls: 'narrow', render: (t) => [t.district || '', t.street ? ' ' + t.street : ''].join('') },
        { key: 'unit', label: '承办单位', cls: 'narrow', render: (t) => [t.unit || '', (t.calledIn || []).length ? h('div', { class: 'muted', text: '协办：' + t.calledIn.join('、') }) : null] },
        { key: 'channel', label: '渠道', render: (t) => CHANNEL[t.channel] || t.channel },
        { key: 'createdAt', label: '受理时间', cls: 'when', render: (t) => fmtTime(t.createdAt) },
        { key: 'dueAt', label: '办理期限', cls: 'when', render: (t) => fmtTime(t.dueAt) },
        { key: 'text', label: '诉求内容', cls: 'text', render: (t) => h('span', { title: t.text, text: t.text }) },
      ],
      list.items,
      { rowClass: (t) => (t.overdue ? 'overdue' : undefined), empty: '没有符合条件的工单' },
    );
    const lastPage = Math.max(1, Math.ceil(list.total / list.size));
    const pager = h(
      'div',
      { class: 'pager' },
      pageNo > 1 ? h('a', { class: 'button secondary', href: qs({ ...params, page: pageNo - 1 }), text: '上一页' }) : null,
      h('span', { text: '第 ' + pageNo + ' 页' + (list.totalCapped ? '' : ' / 共 ' + lastPage + ' 页') }),
      list.items.length === list.size && (list.totalCapped || pageNo < lastPage) ? h('a', { class: 'button secondary', href: qs({ ...params, page: pageNo + 1 }), text: '下一页' }) : null,
    );
    results.replaceChildren(summary, rows, pager);
  } catch (err) {
    results.replaceChildren();
    showError(results, err);
  }
})();
