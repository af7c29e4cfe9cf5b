// 工单详情: the ticket, its event timeline, linked duplicate reports, the conversation that produced it with the
// staff's notes on it, the citizen's photos, the status actions the lifecycle allows from its current status
// (re-dispatch = 派单 to another unit), and 吹哨报到: the units called in with their reports, calling units in
// (the category's departments suggested first), and a called unit's report.
'use strict';
(async function () {
  const { api, h, STATUS, CHANNEL, RATING, TIER, actorLabel, meta, fmtTime, statusBadge, page, showError, photoStrip } = window.Admin;
  const main = page();
  const number = decodeURIComponent(location.pathname.split('/').pop());
  const KIND = { created: '受理', dispatched: '派单', redispatched: '改派', routed: '待分派', in_progress: '开始办理', resolved: '办结', visited: '回访', returned: '退回', rejected: '不予受理', reopened: '重新办理', linked: '关联重复诉求', overdue: '逾期', rating: '评价', called_in: '吹哨', reported: '报到', callin_late: '报到超时' };
  const OPEN = ['received', 'dispatched', 'in_progress', 'returned'];
  const who = await api('/api/admin/session').catch(() => ({ role: 'admin' }));

  async function render() {
    let t, m;
    try {
      [t, m] = await Promise.all([api('/api/admin/tickets/' + encodeURIComponent(number)), meta()]);
    } catch (err) {
      main.replaceChildren(main.querySelector('h1'));
      return showError(main, err);
    }
    const catName = (m.categories.find((c) => c.id === t.category) || { name: t.category || '未分类' }).name;
    const assisting = who.role === 'unit' && t.callins.some((c) => c.unit === who.unit);
    main.replaceChildren(
      h('h1', {}, '工单 ', t.number, ' ', statusBadge(t.status), t.overdue ? h('span', { class: 'badge overdue', text: '逾期' }) : null, assisting ? [' ', h('span', { class: 'badge callin', text: '协办' })] : null),
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
        ['联系电话', t.phoneMasked ? phoneField(t) : t.phone || '—'],
        ['12345系统', t.hotline && t.hotline.syncedAt ? '已同步 ' + fmtTime(t.hotline.syncedAt) + (t.hotline.ref ? ' · ' + t.hotline.ref : '') : '—'],
      ].map(([k, v]) => [h('dt', { text: k }), v instanceof Node ? h('dd', {}, v) : h('dd', { text: v || '—' })]),
    );
    const links = [];
    if (t.duplicateOf) links.push(h('p', {}, '本工单是重复诉求，主工单：', h('a', { href: '/admin/tickets/' + t.duplicateOf, text: t.duplicateOf })));
    if (t.duplicates && t.duplicates.length)
      links.push(h('p', {}, '关联的重复诉求（' + t.duplicates.length + '件）：', t.duplicates.map((n, i) => [i ? '、' : '', h('a', { href: '/admin/tickets/' + n, text: n })])));
    const info = h('section', { class: 'card grow', id: 'ticket-info' }, h('h2', { text: '诉求内容' }), h('div', { class: 'ticket-text', text: t.text }), photoStrip(t.photos, '市民上传的图片', 'ticket-photos'), fields, links);

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
    const conversation = h('section', { class: 'card', id: 'ticket-conversation', 'aria-labelledby': 'ticket-conversation-h' }, h('h2', { id: 'ticket-conversation-h', text: '来源对话' }), h('p', { class: 'loading', text: '加载中…' }));
    main.append(h('div', { class: 'row' }, info, h('section', { class: 'card grow' }, h('h2', { text: '办理过程' }), timeline)), callinSection(t, m), conversation, actions, who.role === 'admin' || who.role === 'operator' ? categoryForm(t, m) : null);
    conversationCard(t, conversation);
  }

  /** After a change the page is rebuilt: the keyboard goes back to the same place. */
  async function rerender(selector) {
    await render();
    const next = document.querySelector(selector) || document.querySelector('#app h1');
    if (/^H[1-6]$/.test(next.tagName)) next.setAttribute('tabindex', '-1');
    next.focus();
  }

  function callinSection(t, m) {
    const box = h('section', { class: 'card', id: 'callins', 'aria-labelledby': 'callins-title' }, h('h2', { id: 'callins-title', text: '吹哨报到' }));
    const mine = who.role === 'unit' ? t.callins.find((c) => c.unit === who.unit) : undefined;
    if (mine) box.append(h('p', {}, h('span', { class: 'badge callin', text: '协办' }), ' 本单位（' + who.unit + '）被吹哨参与办理本工单。'));
    box.append(
      t.callins.length
        ? h(
            'ul',
            { class: 'callins' },
            t.callins.map((c) =>
              h(
                'li',
                {},
                h('div', {}, h('strong', { text: c.unit }), ' ', c.reportedAt ? h('span', { class: 'badge s-resolved', text: '已报到' }) : h('span', { class: 'badge s-dispatched', text: '待报到' }), c.late ? h('span', { class: 'badge overdue', text: c.reportedAt ? '超时报到' : '报到超时' }) : null),
                h('div', { class: 'when', text: '吹哨：' + fmtTime(c.calledAt) + ' · ' + actorLabel(c.calledBy) + ' · 报到时限 ' + fmtTime(c.dueAt) }),
                c.note ? h('div', { text: '事由：' + c.note }) : null,
                c.reportedAt ? h('div', { text: '报到：' + fmtTime(c.reportedAt) + ' · ' + actorLabel(c.reportedBy || '') + (c.reportNote ? ' · ' + c.reportNote : '') }) : null,
              ),
            ),
          )
        : h('p', { class: 'muted', text: '尚未吹哨。' }),
    );
    const pending = t.callins.filter((c) => !c.reportedAt);
    if (who.role === 'unit' ? mine && !mine.reportedAt : who.role === 'admin' && pending.length) box.append(reportForm(t, pending));
    const handles = who.role === 'admin' || who.role === 'operator' || (who.role === 'unit' && who.unit === t.unit);
    if (t.canCallIn && handles && OPEN.includes(t.status)) box.append(callInForm(t, m));
    return box;
  }

  function callInForm(t, m) {
    const suggested = h(
      'fieldset',
      { class: 'units' },
      h('legend', { text: '建议吹哨单位（本类别主管部门）' }),
      t.callinSuggestions.length ? t.callinSuggestions.map((u) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'suggested', value: u }), u)) : h('span', { class: 'muted', text: '无' }),
    );
    const other = h('input', { name: 'other', list: 'callin-units', placeholder: '其他街乡镇或部门（选填）', size: 28 });
    const note = h('textarea', { name: 'callin-note', placeholder: '需要协同办理的事项（选填）' });
    const msg = h('p', { role: 'status' });
    const list = h('datalist', { id: 'callin-units' }, m.streets.map((s) => h('option', { value: s.name, text: s.district })));
    const form = h(
      'form',
      { class: 'form-grid', id: 'callin-form', 'aria-label': '吹哨' },
      suggested,
      h('label', {}, '其他单位', other),
      h('label', {}, '吹哨事由', note),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', text: '吹哨' }), msg),
      list,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const units = [...form.querySelectorAll('input[name=suggested]:checked')].map((x) => x.value);
      if (other.value.trim()) units.push(other.value.trim());
      msg.className = '';
      if (!units.length) {
        msg.className = 'error';
        msg.textContent = '请选择或填写要吹哨的单位。';
        return;
      }
      msg.textContent = '提交中…';
      try {
        const body = { units };
        if (note.value.trim()) body.note = note.value.trim();
        await api('/api/admin/tickets/' + encodeURIComponent(t.number) + '/callins', { method: 'POST', body });
        await rerender('#callin-form button[type=submit]');
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    return form;
  }

  function reportForm(t, pending) {
    // Unit staff report for their own unit; an admin picks the unit it reports for.
    const unit = who.role === 'unit' ? null : h('select', { name: 'report-unit' }, pending.map((c) => h('option', { value: c.unit, text: c.unit })));
    const note = h('textarea', { name: 'report-note', required: true, placeholder: '报到情况：到场时间、处置意见等' });
    const msg = h('p', { role: 'status' });
    const form = h(
      'form',
      { class: 'form-grid', id: 'report-form', 'aria-label': '报到' },
      unit ? h('label', {}, '报到单位', unit) : null,
      h('label', {}, '报到说明', note),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', text: '报到' }), msg),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      msg.className = '';
      msg.textContent = '提交中…';
      try {
        const body = { note: note.value.trim() };
        if (unit) body.unit = unit.value;
        await api('/api/admin/tickets/' + encodeURIComponent(t.number) + '/callins/report', { method: 'POST', body });
        await rerender('#callins h2');
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    return form;
  }

  // The conversation that produced the ticket (the citizen's and the bot's turns, operators' replies) and the
  // staff's internal notes on it; the turn that became this ticket is marked.
  async function conversationCard(t, box) {
    const WHO = { citizen: '市民', bot: '机器人', agent: '话务员' };
    let c;
    try {
      c = await api('/api/admin/tickets/' + encodeURIComponent(t.number) + '/conversation');
    } catch (err) {
      box.replaceChildren(box.firstChild);
      return showError(box, err);
    }
    const turns = c.transcript.length
      ? h(
          'ol',
          { class: 'handoff-thread', id: 'ticket-thread', 'aria-label': '来源对话记录', tabindex: '0' },
          c.transcript.map((x) =>
            h(
              'li',
              { class: 'from-' + x.from + (x.id === c.sourceMessageId ? ' source-turn' : '') },
              h('div', { class: 'when', text: (x.from === 'agent' && x.agent ? '话务员 ' + x.agent : WHO[x.from] || x.from) + ' · ' + fmtTime(x.at) + (x.id === c.sourceMessageId ? ' · 本工单来自这条消息' : '') }),
              h('div', { class: 'bubble', text: x.text }),
              photoStrip(x.photos, '市民发送的图片'),
            ),
          ),
        )
      : h('p', { class: 'muted', text: '对话记录已过期或未保留（保留最近 30 天）。' });
    const notes = c.notes.length
      ? h('ul', { class: 'handoff-notes', id: 'ticket-notes' }, c.notes.map((n) => h('li', {}, h('div', { class: 'when', text: n.author + ' · ' + fmtTime(n.at) }), h('div', { class: 'note-text', text: n.text }))))
      : h('p', { class: 'muted', text: '暂无备注。' });
    box.replaceChildren(box.firstChild, turns, h('h3', { text: '内部备注（市民不可见）' }), notes);
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
  /** A masked number and 显示: the real one is fetched (and the reveal recorded in the audit log) on request. */
  function phoneField(t) {
    const shown = h('span', { id: 'ticket-phone', text: t.phone });
    const button = h('button', { type: 'button', class: 'reveal', 'aria-describedby': 'ticket-phone-hint', text: '显示' });
    const hint = h('span', { id: 'ticket-phone-hint', class: 'muted', text: '（查看将记入审计日志）' });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const r = await api('/api/admin/tickets/' + encodeURIComponent(t.number) + '/phone', { method: 'POST' });
        shown.textContent = r.phone || '—';
        button.remove();
        hint.remove();
        shown.setAttribute('tabindex', '-1');
        shown.focus();
      } catch (err) {
        button.disabled = false;
        hint.textContent = err.message;
      }
    });
    return h('span', {}, shown, ' ', button, hint);
  }

  function actionForm(t, m) {
    const box = h('section', { class: 'card', id: 'actions' }, h('h2', { text: '处理' }));
    if (t.readOnly) return box.append(h('p', { class: 'muted', text: '只读：你的角色不能变更工单。' })), box;
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
