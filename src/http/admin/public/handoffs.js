// 转人工: conversations waiting for a person (oldest first), one conversation's messages, a reply that goes
// out through the citizen's own channel, and 结束人工 to hand the conversation back to the bot. Refreshes
// every few seconds; the reply box is never re-rendered, so a half-written reply survives the refresh.
'use strict';
(function () {
  const { api, h, page, showError, fmtTime, CHANNEL, meta } = window.Admin;
  const BASE = '/api/admin/console/handoffs';
  const REFRESH_MS = 4000;
  const main = page();
  const keyOf = (e) => e.address.channel + ':' + e.address.conversationId;

  const summary = h('p', { class: 'summary', id: 'handoff-summary', text: '加载中…' });
  const list = h('ul', { class: 'handoff-list', id: 'handoff-list' }, h('li', { class: 'loading', text: '加载中…' }));
  const head = h('div', { class: 'handoff-head', id: 'handoff-head' });
  const thread = h('ol', { class: 'handoff-thread', id: 'handoff-thread', 'aria-live': 'polite' });
  const text = h('textarea', { name: 'text', id: 'handoff-text', maxlength: '2000', placeholder: '输入回复，将通过市民所在渠道发送（Ctrl+Enter 发送）', 'aria-label': '回复内容' });
  const send = h('button', { type: 'submit', id: 'handoff-send', text: '发送回复' });
  const release = h('button', { type: 'button', class: 'danger', id: 'handoff-release', text: '结束人工' });
  const msg = h('span', { role: 'status', id: 'handoff-msg' });
  const form = h('form', { class: 'handoff-reply', id: 'handoff-reply' }, text, h('div', { class: 'form-actions' }, send, release, msg));
  const empty = h('p', { class: 'muted handoff-none', text: '请从左侧选择一个会话。' });
  const detail = h('section', { class: 'card handoff-detail', id: 'handoff-detail' }, empty, head, thread, form);
  main.append(summary, h('div', { class: 'handoff-layout' }, h('section', { class: 'card handoff-side' }, h('h2', { text: '等待人工的会话' }), list), detail));

  let items = [];
  let selected = null; // key of the open conversation
  let lastSig = '';
  let busy = false;

  function waited(since) {
    const min = Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 60000));
    if (min < 1) return '不到 1 分钟';
    if (min < 60) return min + ' 分钟';
    const hr = Math.floor(min / 60);
    return hr < 24 ? hr + ' 小时 ' + (min % 60) + ' 分钟' : Math.floor(hr / 24) + ' 天 ' + (hr % 24) + ' 小时';
  }
  const who = (m) => (m.from === 'agent' ? '话务员' : '市民');
  const channelName = (c) => CHANNEL[c] || c;

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
              h('span', { class: 'muted', text: '已等待 ' + waited(e.since) }),
            ),
            h('span', { class: 'handoff-since muted', text: '转人工于 ' + fmtTime(e.since) }),
            last.length
              ? last.map((m) => h('span', { class: 'handoff-preview' }, h('b', { text: who(m) + '：' }), m.text))
              : h('span', { class: 'handoff-preview muted', text: '（暂无消息）' }),
          ),
        );
      }),
    );
  }

  function renderDetail(scroll) {
    const e = items.find((x) => keyOf(x) === selected);
    const open = Boolean(e);
    empty.hidden = open;
    head.hidden = thread.hidden = form.hidden = !open;
    if (!e) {
      if (selected) empty.textContent = '该会话已结束人工或已过期，请选择其他会话。';
      return;
    }
    head.replaceChildren(
      h('h2', { text: channelName(e.address.channel) + ' · 会话 ' + e.address.conversationId }),
      h('p', { class: 'muted', text: '转人工于 ' + fmtTime(e.since) + '（已等待 ' + waited(e.since) + '）' + (e.address.senderId && e.address.senderId !== e.address.conversationId ? ' · 市民 ' + e.address.senderId : '') }),
    );
    thread.replaceChildren(
      ...(e.messages.length
        ? e.messages.map((m) => h('li', { class: 'from-' + (m.from === 'agent' ? 'agent' : 'citizen') }, h('div', { class: 'when', text: who(m) + ' · ' + fmtTime(m.at) }), h('div', { class: 'bubble', text: m.text })))
        : [h('li', { class: 'muted', text: '（暂无消息）' })]),
    );
    if (scroll) thread.scrollTop = thread.scrollHeight;
  }

  function select(k) {
    if (k !== selected) {
      msg.textContent = '';
      msg.className = '';
    }
    selected = k;
    renderList();
    renderDetail(true);
    text.focus();
  }

  async function refresh(background) {
    if (busy) return;
    busy = true;
    try {
      const [r] = await Promise.all([api(BASE, { background }), meta()]);
      items = r.items.slice().sort((a, b) => String(a.since).localeCompare(String(b.since)));
      if (!selected && items.length) selected = keyOf(items[0]);
      const sig = JSON.stringify([selected, items]);
      const changed = sig !== lastSig;
      lastSig = sig;
      renderList(); // always: the waiting times move on
      if (changed) renderDetail(true);
      else renderDetail(false);
    } catch (err) {
      list.replaceChildren();
      showError(list, err);
    } finally {
      busy = false;
    }
  }

  function target() {
    const e = items.find((x) => keyOf(x) === selected);
    return e ? { channel: e.address.channel, conversationId: e.address.conversationId } : null;
  }

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
  release.addEventListener('click', async () => {
    const t = target();
    if (!t || !confirm('结束人工服务，把这个会话交还给机器人？市民会收到结束提示。')) return;
    release.disabled = true;
    try {
      await api(BASE + '/release', { method: 'POST', body: t });
      selected = null;
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

  renderDetail(false);
  refresh();
  setInterval(() => {
    if (!document.hidden) refresh(true);
  }, REFRESH_MS);
})();
