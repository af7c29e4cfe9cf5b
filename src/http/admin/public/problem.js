// 问题详情: one problem — its status (changed along the lifecycle), owners, the tickets per week before and
// after it was solved (chart, and the same figures as a table), tickets proposed for linking (a person
// confirms or rejects), linked tickets, link by number, and its projects (项目清单).
'use strict';
(async function () {
  const { api, h, page, table, kpis, chart, showError, fmtTime, today, actorLabel, dateField, dateValue, zonedIso } = window.Admin;
  const EVENT = { created: '立为问题', status: '状态变更', edited: '修改', linked: '关联工单', rejected: '不予关联', recurred: '解决后再次来电', project: '新建项目' };
  const FIELD = { title: '标题', leadUnit: '牵头单位', involvedUnits: '参与单位', targetDate: '目标日期', notes: '备注' };
  const STATUS = { open: '待处理', in_progress: '治理中', needs_project: '需立项', solved: '已解决', monitoring: '持续监测' };
  const main = page();
  const id = location.pathname.split('/').pop();
  const base = '/api/admin/problems/' + id;
  const body = h('div', { id: 'problem-body' }, h('p', { class: 'loading', text: '加载中…' }));
  main.append(body);

  /** A form whose submit runs `send` and re-renders; errors show next to its button. */
  function action(form, send) {
    const msg = h('span', { role: 'status' });
    form.append(msg);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      msg.className = '';
      msg.textContent = '提交中…';
      try {
        render(await send(new FormData(form)));
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    return form;
  }
  const decide = (numbers, decision) => api(base + '/tickets', { method: 'POST', body: { numbers, decision } });

  function render(p) {
    main.querySelector('h1').textContent = '问题详情：' + p.title;
    const t = p.trend;
    const week = (w) => fmtTime(w.start).slice(5, 10);
    const proposed = p.tickets.filter((x) => x.state === 'proposed');
    const linked = p.tickets.filter((x) => x.state === 'linked');
    const ticketCols = [
      { key: 'number', label: '工单号', render: (x) => h('a', { href: '/admin/tickets/' + x.number, text: x.number }) },
      { key: 'createdAt', label: '受理时间', render: (x) => fmtTime(x.createdAt) },
      { key: 'street', label: '街乡镇' },
      { key: 'text', label: '诉求内容', cls: 'wrap' },
    ];
    const statusForm = action(
      h(
        'form',
        { class: 'filters', id: 'status-form' },
        h('label', { for: 'p-status' }, '改为', h('select', { name: 'status', id: 'p-status', required: true }, p.allowedNext.map((s) => h('option', { value: s, text: STATUS[s] })))),
        h('label', { for: 'p-solved' }, '解决日期（改为已解决时）', dateField({ name: 'solvedAt', id: 'p-solved' })),
        h('button', { type: 'submit', text: '更新状态', disabled: !p.allowedNext.length }),
      ),
      (f) => {
        const b = { status: f.get('status') };
        const solved = dateValue(document.getElementById('p-solved'));
        if (solved === null) return Promise.reject(new Error('请按 yyyy/mm/dd 填写解决日期'));
        if (b.status === 'solved' && solved) b.solvedAt = zonedIso(solved, '12:00:00');
        return api(base, { method: 'PATCH', body: b });
      },
    );
    const linkForm = action(
      h('form', { class: 'filters', id: 'link-form' }, h('label', { for: 'p-link' }, '按工单号关联（多个用逗号分隔）', h('input', { name: 'numbers', id: 'p-link', required: true, size: 40 })), h('button', { type: 'submit', text: '关联' })),
      (f) => decide(String(f.get('numbers')).split(/[\s,，]+/).filter(Boolean), 'link'),
    );
    const projectForm = action(
      h(
        'form',
        { class: 'filters', id: 'project-form' },
        h('label', { for: 'j-title' }, '项目名称', h('input', { name: 'title', id: 'j-title', required: true })),
        h('label', { for: 'j-owner' }, '责任单位', h('input', { name: 'owner', id: 'j-owner', required: true, value: p.leadUnit })),
        h('label', { for: 'j-budget' }, '预算（万元）', h('input', { type: 'number', min: 0, name: 'budget', id: 'j-budget' })),
        h('label', { for: 'j-milestone' }, '首个节点', h('input', { name: 'milestone', id: 'j-milestone' })),
        h('button', { type: 'submit', text: '新建项目' }),
      ),
      async (f) => {
        const b = { title: String(f.get('title')).trim(), owner: String(f.get('owner')).trim() };
        if (f.get('budget')) b.budget = Number(f.get('budget'));
        if (String(f.get('milestone')).trim()) b.milestones = [{ title: String(f.get('milestone')).trim() }];
        await api(base + '/projects', { method: 'POST', body: b });
        return api(base);
      },
    );

    const editForm = action(
      h(
        'form',
        { class: 'filters', id: 'edit-form' },
        h('label', { for: 'e-lead' }, '牵头单位', h('input', { name: 'leadUnit', id: 'e-lead', required: true, value: p.leadUnit })),
        h('label', { for: 'e-involved' }, '参与单位（逗号分隔）', h('input', { name: 'involvedUnits', id: 'e-involved', size: 36, value: p.involvedUnits.join('，') })),
        h('label', { for: 'e-target' }, '目标日期', dateField({ name: 'targetDate', id: 'e-target', value: p.targetDate ? fmtTime(p.targetDate).slice(0, 10) : '' })),
        h('label', { for: 'e-notes', class: 'grow' }, '备注', h('textarea', { name: 'notes', id: 'e-notes', text: p.notes || '' })),
        h('button', { type: 'submit', text: '保存' }),
      ),
      (f) => {
        // Only what changed: the record says which fields someone edited.
        const next = {
          leadUnit: String(f.get('leadUnit')).trim(),
          involvedUnits: String(f.get('involvedUnits')).split(/[,，、\s]+/).filter(Boolean),
          targetDate: dateValue(document.getElementById('e-target')) ? zonedIso(dateValue(document.getElementById('e-target')), '23:59:59') : null,
          notes: String(f.get('notes')).trim() || null,
        };
        const was = { leadUnit: p.leadUnit, involvedUnits: p.involvedUnits, targetDate: p.targetDate, notes: p.notes };
        const body = {};
        for (const k of Object.keys(next)) {
          const same = k === 'targetDate' ? (next[k] ? new Date(next[k]).toISOString().slice(0, 10) : null) === (was[k] ? new Date(was[k]).toISOString().slice(0, 10) : null) : JSON.stringify(next[k]) === JSON.stringify(was[k]);
          if (!same) body[k] = next[k];
        }
        return api(base, { method: 'PATCH', body });
      },
    );
    const eventText = (e) =>
      (EVENT[e.kind] || e.kind) +
      (e.toStatus ? '：' + (e.fromStatus ? (STATUS[e.fromStatus] || e.fromStatus) + ' → ' : '') + (STATUS[e.toStatus] || e.toStatus) : '') +
      (e.kind === 'edited' && e.note ? '：' + e.note.split(', ').map((k) => FIELD[k] || k).join('、') : e.kind !== 'created' && e.kind !== 'recurred' && e.note ? '：' + e.note : '');
    const trendCard = h('section', { class: 'card', id: 'trend', 'aria-labelledby': 'trend-h' }, h('h2', { id: 'trend-h', text: t.solvedAt ? '解决前后每周诉求量' : '近8周每周诉求量' }));
    const summary = [{ label: t.solvedAt ? '解决前周均' : '周均', value: t.before.perWeek }];
    if (t.after) summary.push({ label: '解决后周均', value: t.after.perWeek }, { label: '解决后件数（' + t.after.weeks + '周）', value: t.after.tickets });
    body.replaceChildren(
      h(
        'p',
        {},
        h('span', { class: 'badge p-' + p.status, id: 'problem-status', text: STATUS[p.status] || p.status }),
        p.overdue ? [' ', h('span', { class: 'badge overdue', text: '逾期' })] : null,
        ' 牵头：' + p.leadUnit + (p.involvedUnits.length ? ' · 参与：' + p.involvedUnits.join('、') : '') + (p.targetDate ? ' · 目标日期：' + fmtTime(p.targetDate).slice(0, 10) : ''),
        p.solvedAt ? ' · 解决于 ' + fmtTime(p.solvedAt) : '',
        p.recurredAt ? [' · ', h('strong', { class: 'error', text: '解决后该处再次来电（' + fmtTime(p.recurredAt) + '），已转持续监测' })] : null,
      ),
      h('section', { class: 'card' }, h('h2', { text: '状态' }), statusForm),
      trendCard,
      h('section', { id: 'proposed', 'aria-labelledby': 'proposed-h' }, h('h2', { id: 'proposed-h', text: '待确认关联的新工单（' + proposed.length + '）' }), table(
        ticketCols.concat([{ key: 'act', label: '操作', render: (x) => [
          h('button', { type: 'button', class: 'link-yes', text: '确认关联', onclick: () => decide([x.number], 'link').then(render, (err) => showError(body, err)) }), ' ',
          h('button', { type: 'button', class: 'secondary', text: '不关联', onclick: () => decide([x.number], 'reject').then(render, (err) => showError(body, err)) }),
        ] }]),
        proposed,
        { empty: '没有待确认的工单。' },
      )),
      h('section', { id: 'linked', 'aria-labelledby': 'linked-h' }, h('h2', { id: 'linked-h', text: '已关联工单（' + linked.length + '）' }), linkForm, table(ticketCols, linked)),
      h('section', { id: 'projects', 'aria-labelledby': 'projects-h' }, h('h2', { id: 'projects-h', text: '项目清单' }), table(
        [
          { key: 'title', label: '项目' },
          { key: 'owner', label: '责任单位' },
          { key: 'budget', label: '预算（万元）', num: true },
          { key: 'milestones', label: '节点', cls: 'wrap', render: (j) => j.milestones.map((m) => m.title + (m.due ? '（' + m.due + '）' : '') + (m.done ? ' ✓' : '')).join('；') },
        ],
        p.projects,
        { empty: '未立项目。' },
      ), projectForm),
      h('section', { class: 'card', id: 'edit' }, h('h2', { text: '牵头、目标与备注' }), editForm),
      h('section', { id: 'events', 'aria-labelledby': 'events-h' }, h('h2', { id: 'events-h', text: '办理记录' }), h('ol', { class: 'timeline' }, p.events.map((e) => h('li', {}, fmtTime(e.at) + ' ' + actorLabel(e.actor) + ' ' + eventText(e))))),
    );
    trendCard.append(kpis(summary));
    const c = chart(trendCard, {
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 30, bottom: 40 },
      legend: { data: t.solvedAt ? ['解决前', '解决后'] : ['每周诉求'], top: 0 },
      xAxis: { type: 'category', name: '周起', data: t.weeks.map(week) },
      yAxis: { type: 'value', name: '件', minInterval: 1 },
      series: [
        { name: t.solvedAt ? '解决前' : '每周诉求', type: 'bar', stack: 'w', itemStyle: { color: '#c62828' }, data: t.weeks.map((w) => (w.phase === 'before' ? w.count : null)) },
        { name: '解决后', type: 'bar', stack: 'w', itemStyle: { color: '#2e7d32' }, data: t.weeks.map((w) => (w.phase === 'after' ? w.count : null)) },
      ],
      // The table below carries the same figures with the phase named, so the chart adds none of its own.
    }, undefined, { table: false });
    if (c) {
      c.getDom().setAttribute('role', 'img');
      c.getDom().setAttribute('aria-label', '每周诉求量柱状图，数据见下表');
    }
    trendCard.append(
      h('h3', { id: 'trend-table-h', text: '每周诉求量（图表数据）' }),
      table(
        [
          { key: 'start', label: '周起', render: (w) => fmtTime(w.start).slice(0, 10) },
          { key: 'phase', label: '阶段', render: (w) => (w.phase === 'before' ? (t.solvedAt ? '解决前' : '—') : '解决后') },
          { key: 'count', label: '件数', num: true },
        ],
        t.weeks,
      ),
    );
  }

  try {
    render(await api(base));
  } catch (err) {
    body.replaceChildren();
    showError(body, err);
  }
})();
