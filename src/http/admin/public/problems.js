// 问题清单 (举一反三): the candidates the scheduled check found (one place and category recurring over the
// weeks, or one organisation behind complaints at several streets), each with a form to make it a problem;
// then the problems, filtered by status and unit, overdue ones marked.
'use strict';
(async function () {
  const { api, h, page, table, showError, fmtTime, qs, categoryName, dateField, dateValue } = window.Admin;
  const STATUS = { open: '待处理', in_progress: '治理中', needs_project: '需立项', solved: '已解决', monitoring: '持续监测' };
  const main = page();
  const params = Object.fromEntries(new URLSearchParams(location.search));
  const suggestionsBox = h('section', { id: 'suggestions', 'aria-labelledby': 'suggestions-h' }, h('h2', { id: 'suggestions-h', text: '系统发现的候选问题' }), h('p', { class: 'loading', text: '加载中…' }));
  const listBox = h('section', { id: 'problems', 'aria-labelledby': 'problems-h' }, h('h2', { id: 'problems-h', text: '问题清单' }));
  main.append(suggestionsBox, listBox);

  const weekly = (w) => h('span', { class: 'weekly', title: '近8周每周件数（由远到近）', text: '每周件数：' + w.join(' · ') });

  function suggestionCard(s, i, category) {
    const msg = h('span', { role: 'status' });
    const lead = h('input', { name: 'leadUnit', id: 'lead-' + i, required: true, value: s.units[0] || '' });
    const target = dateField({ name: 'targetDate', id: 'target-' + i });
    const form = h(
      'form',
      { class: 'make-problem' },
      h('label', { for: 'lead-' + i }, '牵头单位', lead),
      h('label', { for: 'target-' + i }, '目标日期', target),
      h('button', { type: 'submit', text: '立为问题' }),
      msg,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const targetDate = dateValue(target);
      if (targetDate === null) return;
      msg.className = '';
      msg.textContent = '提交中…';
      try {
        const body = { title: s.title, leadUnit: lead.value.trim(), suggestionKey: s.key, involvedUnits: s.units.filter((u) => u !== lead.value.trim()) };
        if (targetDate) body.targetDate = targetDate;
        const p = await api('/api/admin/problems', { method: 'POST', body });
        location.href = '/admin/problems/' + p.id;
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    return h(
      'article',
      { class: 'card suggestion', 'data-key': s.key },
      h(
        'div',
        {},
        h('h3', { text: s.title }),
        h('p', { class: 'muted' }, (s.kind === 'across' ? '跨地点 · ' : '同一地点 · ') + category + ' · ' + s.tickets.length + ' 件 · 涉及单位：' + (s.units.join('、') || '—'), ' ', weekly(s.weekly)),
        h('details', {}, h('summary', { text: '查看工单' }), h('ul', {}, s.tickets.map((t) => h('li', {}, h('a', { href: '/admin/tickets/' + t.number, text: t.number }), ' ' + fmtTime(t.createdAt) + ' ' + (t.street || '') + ' ' + t.text)))),
      ),
      form,
    );
  }

  try {
    const s = await api('/api/admin/problems/suggestions');
    const cards = [];
    for (let i = 0; i < s.items.length; i++) cards.push(suggestionCard(s.items[i], i, await categoryName(s.items[i].category)));
    suggestionsBox.replaceChildren(
      suggestionsBox.firstChild,
      h('p', { class: 'muted', text: '同一街乡镇或小区、道路（同类诉求）近8周至少3周有相似诉求，或多个街乡镇的相似诉求指向同一物业、工地。由定时任务更新' + (s.items[0] ? '（' + fmtTime(s.items[0].computedAt) + '）' : '') + '。' }),
      ...(cards.length ? cards : [h('p', { class: 'muted', text: '暂无候选问题。' })]),
    );
  } catch (err) {
    suggestionsBox.replaceChildren(suggestionsBox.firstChild);
    showError(suggestionsBox, err);
  }

  const filters = h(
    'form',
    { class: 'filters card', id: 'problem-filters' },
    h('label', { for: 'f-status' }, '状态', h('select', { name: 'status', id: 'f-status' }, [h('option', { value: '', text: '全部' })].concat(Object.keys(STATUS).map((k) => h('option', { value: k, text: STATUS[k], selected: params.status === k }))))),
    h('label', { for: 'f-unit' }, '单位（牵头或参与）', h('input', { name: 'unit', id: 'f-unit', value: params.unit || '' })),
    h('label', { class: 'inline', for: 'f-overdue' }, h('input', { type: 'checkbox', name: 'overdue', id: 'f-overdue', value: 'true', checked: params.overdue === 'true' }), '仅逾期'),
    h('button', { type: 'submit', text: '筛选' }),
  );
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    location.search = qs(Object.fromEntries([...new FormData(filters)].filter(([, v]) => v !== '')));
  });
  listBox.append(filters);
  try {
    const r = await api('/api/admin/problems' + qs({ status: params.status, unit: params.unit, overdue: params.overdue, limit: 200 }));
    listBox.append(
      h('p', { class: 'summary', text: '共 ' + r.total + ' 个问题' }),
      table(
        [
          { key: 'title', label: '问题', cls: 'wrap', render: (p) => h('a', { href: '/admin/problems/' + p.id, text: p.title }) },
          { key: 'status', label: '状态', render: (p) => [h('span', { class: 'badge p-' + p.status, text: STATUS[p.status] || p.status }), p.overdue ? [' ', h('span', { class: 'badge overdue', text: '逾期' })] : null] },
          { key: 'leadUnit', label: '牵头单位' },
          { key: 'linked', label: '关联工单', num: true },
          { key: 'proposed', label: '待确认', num: true },
          { key: 'targetDate', label: '目标日期', render: (p) => (p.targetDate ? fmtTime(p.targetDate).slice(0, 10) : '') },
          { key: 'updatedAt', label: '更新时间', render: (p) => fmtTime(p.updatedAt) },
        ],
        r.items,
        { empty: '还没有问题。可从上面的候选问题立项。', rowClass: (p) => (p.overdue ? 'overdue' : undefined) },
      ),
    );
  } catch (err) {
    showError(listBox, err);
  }
})();
