// 转人工, an agent inbox: conversations waiting for a person (oldest first) with who holds each and how many of
// the citizen's messages its holder has not read; one conversation's whole transcript (the bot's part before
// 转人工 too), the citizen's other open tickets, internal notes the citizen never sees; 认领 / 指派 to a named
// colleague; canned replies (knowledge-base answers and saved replies); a reply that goes out through the
// citizen's own channel; and 结束人工 to hand the conversation back to the bot. Refreshes every few seconds; the
// text boxes are never re-rendered, so half-written text survives the refresh.
'use strict';
(function () {
  const { api, h, page, showError, fmtTime, photoStrip, CHANNEL, STATUS, meta } = window.Admin;
  const BASE = '/api/admin/console/handoffs';
  const REFRESH_MS = 4000;
  const main = page();
  const keyOf = (e) => e.address.channel + ':' + e.address.conversationId;

  const summary = h('p', { class: 'summary', id: 'handoff-summary', text: '加载中…' });
  const list = h('ul', { class: 'handoff-list', id: 'handoff-list' }, h('li', { class: 'loading', text: '加载中…' }));
  const head = h('div', { class: 'handoff-head', id: 'handoff-head' });

  // 认领 / 指派
  const claimInfo = h('p', { id: 'handoff-claim-info', role: 'status' });
  const claimBtn = h('button', { type: 'button', id: 'handoff-claim', text: '认领' });
  const assignUser = h('select', { id: 'handoff-assign-user', name: 'assign' });
  const assignBtn = h('button', { type: 'button', class: 'secondary', id: 'handoff-assign', text: '指派' });
  const claimMsg = h('span', { role: 'status', id: 'handoff-claim-msg' });
  const claimBar = h(
    'div',
    { class: 'handoff-claim', id: 'handoff-claim-bar' },
    claimInfo,
    h('div', { class: 'form-actions' }, claimBtn, h('label', { class: 'inline' }, '指派给 ', assignUser), assignBtn, claimMsg),
  );

  // Focusable, so the keyboard can scroll a long transcript.
  const thread = h('ol', { class: 'handoff-thread', id: 'handoff-thread', 'aria-label': '完整对话记录', tabindex: '0' });
  const tickets = h('ul', { class: 'handoff-tickets', id: 'handoff-tickets' });
  const ticketsBox = h('section', { class: 'handoff-aside', 'aria-labelledby': 'handoff-tickets-h' }, h('h3', { id: 'handoff-tickets-h', text: '市民未办结的工单' }), tickets);

  // 快捷回复: search the knowledge base and the saved replies; 使用 puts the text in the reply box.
  const cannedQ = h('input', { type: 'search', id: 'canned-q', name: 'q', maxlength: '200', placeholder: '搜索知识库答案或已保存的回复', 'aria-label': '搜索快捷回复' });
  const cannedSearch = h('button', { type: 'submit', class: 'secondary', id: 'canned-search', text: '搜索' });
  const cannedList = h('ul', { class: 'canned-list', id: 'canned-list', 'aria-live': 'polite' });
  const cannedForm = h('form', { class: 'canned-search', id: 'canned-form', role: 'search' }, cannedQ, cannedSearch);
  const cannedBox = h('details', { class: 'handoff-canned', id: 'handoff-canned' }, h('summary', { text: '快捷回复' }), cannedForm, cannedList);

  const text = h('textarea', { name: 'text', id: 'handoff-text', maxlength: '2000', placeholder: '输入回复，将通过市民所在渠道发送（Ctrl+Enter 发送）', 'aria-label': '回复内容' });
  const send = h('button', { type: 'submit', id: 'handoff-send', text: '发送回复' });
  const release = h('button', { type: 'button', class: 'danger', id: 'handoff-release', text: '结束人工' });
  const saveTitle = h('input', { type: 'text', id: 'canned-title', name: 'title', maxlength: '60', placeholder: '标题', 'aria-label': '快捷回复标题' });
  const saveBtn = h('button', { type: 'button', class: 'secondary', id: 'canned-save', text: '保存为快捷回复' });
  const msg = h('span', { role: 'status', id: 'handoff-msg' });
  const form = h('form', { class: 'handoff-reply', id: 'handoff-reply' }, text, h('div', { class: 'form-actions' }, send, release, msg), h('div', { class: 'form-actions canned-save' }, saveTitle, saveBtn));

  // 内部备注: staff only.
  const notes = h('ul', { class: 'handoff-notes', id: 'handoff-notes' });
  const noteText = h('textarea', { name: 'note', id: 'note-text', maxlength: '2000', placeholder: '仅工作人员可见，不会发给市民', 'aria-label': '内部备注内容' });
  const noteAdd = h('button', { type: 'submit', class: 'secondary', id: 'note-add', text: '添加备注' });
  const noteMsg = h('span', { role: 'status', id: 'note-msg' });
  const noteForm = h('form', { class: 'handoff-note-form', id: 'note-form' }, noteText, h('div', { class: 'form-actions' }, noteAdd, noteMsg));
  const notesBox = h('section', { class: 'handoff-aside handoff-notes-box', 'aria-labelledby': 'handoff-notes-h' }, h('h3', { id: 'handoff-notes-h', text: '内部备注（市民不可见）' }), notes, noteForm);

  const empty = h('p', { class: 'muted handoff-none', text: '请从左侧选择一个会话。' });
  const body = h('div', { class: 'handoff-body' }, h('div', { class: 'handoff-main' }, thread, cannedBox, form), h('div', { class: 'handoff-side-info' }, ticketsBox, notesBox));
  const detail = h('section', { class: 'card handoff-detail', id: 'handoff-detail', 'aria-label': '会话详情' }, empty, head, claimBar, body);
  main.append(summary, h('div', { class: 'handoff-layout' }, h('section', { class: 'card handoff-side' }, h('h2', { text: '等待人工的会话' }), list), detail));

  let items = [];
  let me = null; // the signed-in user
  let selected = null; // key of the open conversation
  let view = null; // the open conversation: {entry, transcript, notes, openTickets}
  let lastSig = '';
  let lastViewSig = '';
  let busy = false;

  function waited(since) {
    const min = Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 60000));
    if (min < 1) return '不到 1 分钟';
    if (min < 60) return min + ' 分钟';
    const hr = Math.floor(min / 60);
    return hr < 24 ? hr + ' 小时 ' + (min % 60) + ' 分钟' : Math.floor(hr / 24) + ' 天 ' + (hr % 24) + ' 小时';
  }
  const WHO = { citizen: '市民', bot: '机器人', agent: '话务员' };
  const who = (m) => (m.from === 'agent' && m.agent ? '话务员 ' + m.agent : WHO[m.from] || m.from);
  const channelName = (c) => CHANNEL[c] || c;
  const holder = (e) => (e.claim ? e.claim.user : null);

  function renderList() {
    summary.textContent = items.length ? '共 ' + items.length + ' 个会话等待人工，最早的已等待 ' + waited(items[0].since) + '。' : '';
    if (!items.length) {
      list.replaceChildren(h('li', { class: 'muted handoff-empty', text: '目前没有等待人工的会话。' }));
      return;
    }
    list.replaceChildren(
      ...items.map((e) => {
        const last = e.messages.slice(-2);
        const k = keyOf(e);
        const awaiting = e.messages.length && e.messages[e.messages.length - 1].from === 'citizen';
        return h(
          'li',
          { class: k === selected ? 'active' : undefined },
          h(
            'button',
            { type: 'button', class: 'handoff-item', 'data-key': k, 'aria-current': k === selected ? 'true' : undefined, onclick: () => select(k) },
            h(
              'span',
              { class: 'handoff-meta' },
              h('span', { class: 'badge', text: channelName(e.address.channel) }),
              e.lang === 'en' ? h('span', { class: 'badge', text: '英文' }) : null,
              awaiting ? h('span', { class: 'badge overdue', text: '待回复' }) : null,
              e.unread ? h('span', { class: 'badge unread', 'data-unread': String(e.unread), text: e.unread + ' 条未读' }) : null,
              h('span', { class: 'badge holder', text: holder(e) ? holder(e) + ' 处理中' : '未认领' }),
              h('span', { class: 'muted', text: '已等待 ' + waited(e.since) }),
            ),
            h('span', { class: 'handoff-since muted', text: '转人工于 ' + fmtTime(e.since) }),
            last.length
              ? last.map((m) => h('span', { class: 'handoff-preview' }, h('b', { text: (m.from === 'agent' ? '话务员' : '市民') + '：' }), m.text))
              : h('span', { class: 'handoff-preview muted', text: '（暂无消息）' }),
          ),
        );
      }),
    );
  }

  function turnItem(t, since) {
    const cls = 'from-' + (t.from === 'agent' ? 'agent' : t.from === 'bot' ? 'bot' : 'citizen') + (t.at < since ? ' before-handoff' : '');
    return h(
      'li',
      { class: cls },
      h('div', { class: 'when', text: who(t) + ' · ' + fmtTime(t.at) }),
      h('div', { class: 'bubble', text: t.text }),
      photoStrip(t.photos, '市民发送的图片'),
      t.ticketNumber || t.faqId
        ? h(
            'div',
            { class: 'turn-tags' },
            t.ticketNumber ? h('a', { href: '/admin/tickets/' + encodeURIComponent(t.ticketNumber), text: '工单 ' + t.ticketNumber }) : null,
            t.faqId ? h('span', { class: 'badge', text: '知识库 ' + t.faqId }) : null,
          )
        : null,
    );
  }

  function renderDetail(scroll) {
    const e = items.find((x) => keyOf(x) === selected);
    const open = Boolean(e);
    empty.hidden = open;
    head.hidden = claimBar.hidden = body.hidden = !open;
    if (!e) {
      if (selected) empty.textContent = '该会话已结束人工或已过期，请选择其他会话。';
      return;
    }
    head.replaceChildren(
      h('h2', { text: channelName(e.address.channel) + ' · 会话 ' + e.address.conversationId }),
      h('p', { class: 'muted', text: '转人工于 ' + fmtTime(e.since) + '（已等待 ' + waited(e.since) + '）' + (e.address.senderId && e.address.senderId !== e.address.conversationId ? ' · 市民 ' + e.address.senderId : '') }),
    );
    const c = e.claim;
    claimInfo.textContent = c ? '处理人：' + c.user + (c.assignedBy ? '（' + c.assignedBy + ' 指派）' : '（认领于 ' + fmtTime(c.at) + '）') : '尚未认领：认领后其他同事会看到由您处理。';
    claimBtn.hidden = Boolean(c && me && c.user === me);
    const v = view && view.key === selected ? view : null;
    if (!v) {
      thread.replaceChildren(h('li', { class: 'muted', text: '加载中…' }));
      return;
    }
    const turns = v.transcript;
    const before = turns.filter((t) => t.at < e.since);
    const after = turns.filter((t) => t.at >= e.since);
    thread.replaceChildren(
      ...(turns.length
        ? [
            ...before.map((t) => turnItem(t, e.since)),
            before.length ? h('li', { class: 'handoff-mark', text: '—— ' + fmtTime(e.since) + ' 转人工 ——' }) : null,
            ...after.map((t) => turnItem(t, e.since)),
          ].filter(Boolean)
        : [h('li', { class: 'muted', text: '（暂无消息）' })]),
    );
    tickets.replaceChildren(
      ...(v.openTickets.length
        ? v.openTickets.map((t) =>
            h('li', {}, h('a', { href: '/admin/tickets/' + encodeURIComponent(t.number), text: t.number }), ' ', h('span', { class: 'badge s-' + t.status, text: STATUS[t.status] || t.status }), h('div', { class: 'muted ticket-snippet', text: t.text })),
          )
        : [h('li', { class: 'muted', text: '没有未办结的工单。' })]),
    );
    notes.replaceChildren(
      ...(v.notes.length
        ? v.notes.map((n) => h('li', {}, h('div', { class: 'when', text: n.author + ' · ' + fmtTime(n.at) }), h('div', { class: 'note-text', text: n.text })))
        : [h('li', { class: 'muted', text: '暂无备注。' })]),
    );
    if (scroll) thread.scrollTop = thread.scrollHeight;
  }

  function target() {
    const e = items.find((x) => keyOf(x) === selected);
    return e ? { channel: e.address.channel, conversationId: e.address.conversationId } : null;
  }
  const query = (t) => '?channel=' + encodeURIComponent(t.channel) + '&conversationId=' + encodeURIComponent(t.conversationId);

  /** Loads the open conversation; the holder's view marks it read. */
  async function loadView(background) {
    const t = target();
    if (!t) return false;
    const key = selected;
    const v = await api(BASE + '/conversation' + query(t), { background });
    if (key !== selected) return false;
    view = Object.assign({ key }, v);
    const sig = JSON.stringify([key, v.transcript.length, v.notes.length, v.openTickets.map((x) => x.number + x.status)]);
    const changed = sig !== lastViewSig;
    lastViewSig = sig;
    if (v.entry.claim && v.entry.claim.user === me && v.entry.unread > 0) {
      await api(BASE + '/read', { method: 'POST', body: t, background });
      const e = items.find((x) => keyOf(x) === key);
      if (e) e.unread = 0;
    }
    return changed;
  }

  async function select(k) {
    if (k !== selected) {
      msg.textContent = claimMsg.textContent = noteMsg.textContent = '';
      msg.className = claimMsg.className = noteMsg.className = '';
    }
    selected = k;
    renderList();
    renderDetail(false);
    text.focus();
    try {
      await loadView();
      renderList();
      renderDetail(true);
    } catch (err) {
      showError(thread, err);
    }
  }

  async function refresh(background) {
    if (busy) return;
    busy = true;
    try {
      const [r] = await Promise.all([api(BASE, { background }), meta()]);
      items = r.items.slice().sort((a, b) => String(a.since).localeCompare(String(b.since)));
      if (!selected && items.length) selected = keyOf(items[0]);
      const viewChanged = selected && items.some((x) => keyOf(x) === selected) ? await loadView(background) : false;
      const sig = JSON.stringify([selected, items]);
      const changed = sig !== lastSig || viewChanged;
      lastSig = sig;
      renderList(); // always: the waiting times move on
      renderDetail(changed);
    } catch (err) {
      list.replaceChildren();
      showError(list, err);
    } finally {
      busy = false;
    }
  }

  async function act(button, status, fn, done) {
    button.disabled = true;
    status.className = '';
    status.textContent = '处理中…';
    try {
      await fn();
      status.className = 'ok';
      status.textContent = done;
      await refresh();
    } catch (err) {
      status.className = 'error';
      status.textContent = '操作失败：' + err.message;
    } finally {
      button.disabled = false;
      if (document.activeElement === document.body) button.focus();
    }
  }

  claimBtn.addEventListener('click', () => {
    const t = target();
    if (t) act(claimBtn, claimMsg, () => api(BASE + '/claim', { method: 'POST', body: t }), '已认领。');
  });
  assignBtn.addEventListener('click', () => {
    const t = target();
    if (t && assignUser.value) act(assignBtn, claimMsg, () => api(BASE + '/assign', { method: 'POST', body: Object.assign({}, t, { user: assignUser.value }) }), '已指派给 ' + assignUser.value + '。');
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const t = target();
    const value = text.value.trim();
    if (!t || !value) return;
    send.disabled = true;
    msg.className = '';
    msg.textContent = '发送中…';
    try {
      await api(BASE + '/reply', { method: 'POST', body: Object.assign({}, t, { text: value }) });
      text.value = '';
      msg.className = 'ok';
      msg.textContent = '已发送。';
      await refresh();
    } catch (err) {
      msg.className = 'error';
      msg.textContent = '发送失败：' + err.message;
    } finally {
      send.disabled = false;
      // The button disabled itself while focused: the keyboard goes back to the reply box.
      if (document.activeElement === document.body || document.activeElement === send) text.focus();
    }
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });

  cannedForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    cannedList.replaceChildren(h('li', { class: 'muted', text: '搜索中…' }));
    try {
      const r = await api(BASE + '/canned?q=' + encodeURIComponent(cannedQ.value.trim()));
      cannedList.replaceChildren(
        ...(r.items.length
          ? r.items.map((c) =>
              h(
                'li',
                {},
                h('div', {}, h('span', { class: 'badge', text: c.source === 'kb' ? '知识库' : '已保存' }), ' ', h('strong', { text: c.title })),
                h('div', { class: 'canned-text', text: c.text }),
                h(
                  'div',
                  { class: 'form-actions' },
                  h('button', {
                    type: 'button',
                    class: 'secondary canned-use',
                    text: '使用',
                    'aria-label': '使用：' + c.title,
                    onclick: () => {
                      text.value = c.text;
                      text.focus();
                    },
                  }),
                  c.source === 'saved'
                    ? h('button', {
                        type: 'button',
                        class: 'danger canned-delete',
                        text: '删除',
                        'aria-label': '删除快捷回复：' + c.title,
                        onclick: async () => {
                          if (!confirm('删除快捷回复「' + c.title + '」？')) return;
                          try {
                            await api(BASE + '/saved-replies/' + encodeURIComponent(c.id), { method: 'DELETE' });
                            cannedForm.requestSubmit();
                            cannedQ.focus();
                          } catch (err) {
                            showError(cannedList, err);
                          }
                        },
                      })
                    : null,
                ),
              ),
            )
          : [h('li', { class: 'muted', text: '没有找到匹配的回复。' })]),
      );
    } catch (err) {
      cannedList.replaceChildren();
      showError(cannedList, err);
    }
  });
  saveBtn.addEventListener('click', () => {
    const title = saveTitle.value.trim();
    const value = text.value.trim();
    if (!title || !value) {
      msg.className = 'error';
      msg.textContent = '请先填写回复内容和标题。';
      return;
    }
    act(saveBtn, msg, () => api(BASE + '/saved-replies', { method: 'POST', body: { title, text: value } }).then(() => (saveTitle.value = '')), '已保存为快捷回复。');
  });

  noteForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const t = target();
    const value = noteText.value.trim();
    if (!t || !value) return;
    await act(
      noteAdd,
      noteMsg,
      () => api(BASE + '/notes', { method: 'POST', body: Object.assign({}, t, { text: value }) }).then(() => (noteText.value = '')),
      '备注已保存（市民不可见）。',
    );
  });

  release.addEventListener('click', async () => {
    const t = target();
    if (!t || !confirm('结束人工服务，把这个会话交还给机器人？市民会收到结束提示。')) return;
    release.disabled = true;
    try {
      await api(BASE + '/release', { method: 'POST', body: t });
      selected = null;
      view = null;
      text.value = '';
      msg.className = 'ok';
      msg.textContent = '';
      empty.textContent = '已结束人工，会话已交还机器人。';
      await refresh();
    } catch (err) {
      msg.className = 'error';
      msg.textContent = '操作失败：' + err.message;
    } finally {
      release.disabled = false;
      if (document.activeElement === document.body) (list.querySelector('button') || text).focus();
    }
  });

  async function start() {
    renderDetail(false);
    try {
      const [session, staff] = await Promise.all([api('/api/admin/session'), api(BASE + '/staff')]);
      me = session.user;
      assignUser.replaceChildren(...staff.items.filter((s) => s.user !== me).map((s) => h('option', { value: s.user, text: s.user })));
      assignBtn.disabled = !assignUser.options.length;
    } catch (err) {
      showError(claimBar, err);
    }
    await refresh();
    setInterval(() => {
      if (!document.hidden) refresh(true);
    }, REFRESH_MS);
  }
  start();
})();
