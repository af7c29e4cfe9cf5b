// 工单详情: the ticket, its event timeline, linked duplicate reports, and the status actions the lifecycle
// allows from its current status (re-dispatch = 派单 to another unit).
'use strict';
(async function () {
  const { api, h, STATUS, CHANNEL, RATING, TIER, actorLabel, meta, fmtTime, statusBadge, page, showError } = window.Admin;
  const main = page();
  const number = decodeURIComponent(location.pathname.split('/').pop());
  const KIND = { created: '受理', dispatched: '派单', redispatched: '改派', routed: '待分派', in_progress: '开始办理', resolved: '办结', visited: '回访', returned: '退回', rejected: '不予受理', reopened: '重新办理', linked: '关联重复诉求', overdue: '逾期', rating: '评价' };

  async function render() {
    let t, m;
    try {
      [t, m] = await Promise.all([api('/api/admin/tickets/' + encodeURIComponent(number)), meta()]);
    } catch (err) {
      main.replaceChildren(main.querySelector('h1'));
      return showError(main, err);
    }
    const catName = (m.categories.find((c) => c.id === t.category) || { name: t.category || '未分类' }).name;
    main.replaceChildren(
      h('h1', {}, '工单 ', t.number, ' ', statusBadge(t.status), t.overdue ? h('span', { class: 'badge overdue', text: '逾期' }) : null),
      h('p', {}, h('a', { href: '/admin/tickets', text: '← 返回工单列表' })),
    );
    const fields = h(
      'dl',
      { class: 'fields' },
      [
        ['类别', catName],
        ['时限', TIER[t.tier] || t.tier],
        ['区', t.district],
        ['街乡镇', t.street],
        ['承办单位', t.unit],
        ['渠道', (CHANNEL[t.channel] || t.channel) + (t.isPublic ? '（公开）' : '')],
        ['受理时间', fmtTime(t.createdAt)],
        ['办理期限', fmtTime(t.dueAt)],
        ['满意度', t.rating ? RATING[t.rating] || t.rating : '—'],
        ['联系电话', t.phone || '—'],
        ['12345系统', t.hotline && t.hotline.syncedAt ? '已同步 ' + fmtTime(t.hotline.syncedAt) + (t.hotline.ref ? ' · ' + t.hotline.ref : '') : '—'],
      ].map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v || '—' })]),
    );
    const links = [];
    if (t.duplicateOf) links.push(h('p', {}, '本工单是重复诉求，主工单：', h('a', { href: '/admin/tickets/' + t.duplicateOf, text: t.duplicateOf })));
    if (t.duplicates && t.duplicates.length)
      links.push(h('p', {}, '关联的重复诉求（' + t.duplicates.length + '件）：', t.duplicates.map((n, i) => [i ? '、' : '', h('a', { href: '/admin/tickets/' + n, text: n })])));
    const info = h('section', { class: 'card grow', id: 'ticket-info' }, h('h2', { text: '诉求内容' }), h('div', { class: 'ticket-text', text: t.text }), fields, links);

    const timeline = h(
      'ol',
      { class: 'timeline', id: 'timeline' },
      (t.events || []).map((e) =>
        h(
          'li',
          {},
          h('div', {}, h('strong', { text: KIND[e.kind] || e.kind }), e.toStatus ? [' → ', statusBadge(e.toStatus)] : null, e.unit ? ' · ' + e.unit : ''),
          h('div', { class: 'when', text: fmtTime(e.at) + ' · ' + actorLabel(e.actor) }),
          e.note ? h('div', { text: e.note }) : null,
          // Changes made here that the external hotline must hear about (HOTLINE_URL).
          e.hotline ? h('div', { class: 'when hotline-sync', text: e.hotline.sentAt ? '已同步至12345系统' : '待同步至12345系统' }) : null,
        ),
      ),
    );
    const actions = actionForm(t, m);
    main.append(h('div', { class: 'row' }, info, h('section', { class: 'card grow' }, h('h2', { text: '办理过程' }), timeline)), actions, categoryForm(t, m));
  }

  /** Correcting the category: the ticket gets it, and the category model learns from it on every gateway. */
  function categoryForm(t, m) {
    const select = h('select', { name: 'category' }, m.categories.map((c) => h('option', { value: c.id, text: c.name, selected: c.id === t.category })));
    const msg = h('p', { role: 'status' });
    const form = h('form', { class: 'form-grid' }, h('label', {}, '正确的分类', select), h('div', { class: 'form-actions' }, h('button', { type: 'submit', text: '更正分类' }), msg));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      msg.className = '';
      msg.textContent = '提交中…';
      try {
        const r = await api('/api/admin/tickets/' + encodeURIComponent(t.number) + '/category', { method: 'POST', body: { category: select.value } });
        await render();
        const again = document.querySelector('#category-fix [role=status]');
        again.className = 'ok';
        again.textContent = r.changed ? '已更正；分类模型已据此学习。' : '分类未变。';
        document.querySelector('#category-fix select').focus();
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    return h('section', { class: 'card', id: 'category-fix' }, h('h2', { text: '更正分类' }), h('p', { class: 'muted', text: '分类判断错了时在此更正：工单改为新分类，机器人的分类模型也会学习这条更正。' }), form);
  }

  function actionForm(t, m) {
    const box = h('section', { class: 'card', id: 'actions' }, h('h2', { text: '处理' }));
    if (!t.canChange) return box.append(h('p', { class: 'muted', text: '本进程未启用工单变更。' })), box;
    if (!t.allowedNext.length) return box.append(h('p', { class: 'muted', text: '工单已结束，不能再变更状态。' })), box;
    const status = h('select', { name: 'status' }, t.allowedNext.map((s) => h('option', { value: s, text: s === 'dispatched' && t.status === 'dispatched' ? '改派' : STATUS[s] || s })));
    const unit = h('input', { name: 'unit', list: 'units', placeholder: '派往的街乡镇或部门', size: 28 });
    const note = h('textarea', { name: 'note', placeholder: '办理说明（选填）' });
    const msg = h('p', { role: 'status' });
    const units = h('datalist', { id: 'units' }, m.streets.map((s) => h('option', { value: s.name, text: s.district })));
    const unitLabel = h('label', {}, '承办单位', unit);
    const sync = () => (unitLabel.hidden = status.value !== 'dispatched');
    status.addEventListener('change', sync);
    sync();
    const form = h('form', { class: 'form-grid' }, h('div', { class: 'row' }, h('label', {}, '新状态', status), unitLabel), h('label', {}, '说明', note), h('div', { class: 'form-actions' }, h('button', { type: 'submit', text: '提交' }), msg), units);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      msg.className = '';
      msg.textContent = '提交中…';
      try {
        const body = { status: status.value };
        if (note.value.trim()) body.note = note.value.trim();
        if (status.value === 'dispatched' && unit.value.trim()) body.unit = unit.value.trim();
        await api('/api/admin/tickets/' + encodeURIComponent(t.number) + '/events', { method: 'POST', body });
        await render();
        // The page was rebuilt under the keyboard: back to the next action, or the title if none is left.
        const next = document.querySelector('#actions select[name=status]') || document.querySelector('#app h1');
        if (next.tagName === 'H1') next.setAttribute('tabindex', '-1');
        next.focus();
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    box.append(form);
    return box;
  }
  render();
})();
