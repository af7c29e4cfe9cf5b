// The mentions console: polls the summary every 3 seconds and reloads the list when something changed
// (the summary's version) or the filters did. Everything a citizen wrote is set with textContent.
(() => {
  'use strict';
  const API = '/api/admin/mentions';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const $ = (sel, root = document) => root.querySelector(sel);
  const form = $('#filters');
  const tbody = $('#list tbody');
  const rowTemplate = $('#row');
  let lastVersion = -1;
  let lastQuery = '';
  let loading = false;

  const pad = (n) => String(n).padStart(2, '0');
  function clock(ms) {
    const d = new Date(ms);
    return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  function duration(ms) {
    if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}秒`;
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s}秒`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}分${pad(s % 60)}秒`;
    const h = Math.floor(m / 60);
    return h < 48 ? `${h}小时${pad(m % 60)}分` : `${Math.floor(h / 24)}天`;
  }

  // `background`: a timer's refresh, not the operator — it does not keep the session from ending when idle.
  async function call(method, url, body, background) {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json', 'x-csrf-token': csrf } : {}), ...(background ? { 'x-jiesu-background': '1' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status === 401) {
      location.href = `/admin/login?next=${encodeURIComponent(location.pathname)}`;
      throw new Error('请重新登录');
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.reason || `请求失败（${res.status}）`);
    return data;
  }

  /** Where the message shown came from: a background reload clears only its own, never a refused reply's. */
  let errorFrom = '';
  function showError(message, from = 'action') {
    const el = $('#error');
    el.textContent = message || '';
    el.hidden = !message;
    errorFrom = message ? from : '';
  }

  /**
   * The list is rebuilt whenever something changed, which on a busy day is every few seconds: replies being
   * typed (and the cursor in one) are carried over to the new rows, so nobody loses a half-written answer.
   */
  function keepDrafts(rebuild) {
    const drafts = new Map();
    for (const box of tbody.querySelectorAll('textarea')) {
      if (box.value) drafts.set(box.closest('tr').dataset.id, box.value);
    }
    // Whatever control of a row has the keyboard focus keeps it in the rebuilt row.
    const active = document.activeElement;
    const row = active && tbody.contains(active) ? active.closest('tr') : null;
    const focus = row && {
      id: row.dataset.id,
      what: active.matches('textarea') ? 'textarea' : active.dataset.op ? `[data-op="${active.dataset.op}"]` : 'form.reply button',
      start: active.selectionStart,
      end: active.selectionEnd,
    };
    rebuild();
    for (const tr of tbody.children) {
      const box = $('textarea', tr);
      if (!box) continue;
      if (drafts.has(tr.dataset.id)) box.value = drafts.get(tr.dataset.id);
      if (focus && focus.id === tr.dataset.id) {
        const target = $(focus.what, tr);
        if (target && !target.disabled) target.focus();
        else box.focus();
        if (document.activeElement === box && focus.what === 'textarea') box.setSelectionRange(focus.start, focus.end);
      }
    }
  }

  /** A row's button disabled itself while focused (focus fell to <body>): back to that row's reply box. */
  function refocusRow(id) {
    if (document.activeElement && document.activeElement !== document.body) return;
    const box = tbody.querySelector(`tr[data-id="${CSS.escape(id)}"] textarea`);
    if (box) box.focus();
  }

  function query() {
    const f = new FormData(form);
    const q = new URLSearchParams();
    for (const k of ['show', 'category', 'from', 'to']) {
      const v = f.get(k);
      if (v) q.set(k, String(v));
    }
    return q.toString();
  }

  function renderSummary(data) {
    const { summary, poller } = data;
    const now = Date.now();
    $('[data-field="waiting"]').textContent = String(summary.waiting);
    $('#stat-waiting').classList.toggle('alert', summary.waiting > 0);
    $('[data-field="oldest"]').textContent = summary.oldestWaitingAt ? duration(now - summary.oldestWaitingAt) : '无';
    $('#stat-oldest').classList.toggle('alert', !!summary.oldestWaitingAt && now - summary.oldestWaitingAt > 5 * 60_000);
    $('[data-field="total"]').textContent = String(summary.total);
    const p = $('[data-field="poller"]');
    const detail = $('[data-field="poller-detail"]');
    const box = $('#stat-poller');
    box.classList.remove('ok', 'warn', 'alert');
    if (!poller) {
      p.textContent = '未启用';
      detail.textContent = '未配置 WEIBO_ACCESS_TOKEN';
      box.classList.add('warn');
      return;
    }
    const backingOff = poller.backoffUntil && poller.backoffUntil > now;
    if (!poller.running) {
      p.textContent = '已停止';
      box.classList.add('alert');
    } else if (backingOff) {
      p.textContent = poller.lastError?.rateLimited ? `限流退避，${duration(poller.backoffUntil - now)}后重试` : `出错退避，${duration(poller.backoffUntil - now)}后重试`;
      box.classList.add(poller.lastError?.rateLimited ? 'warn' : 'alert');
    } else {
      p.textContent = '正常';
      box.classList.add('ok');
    }
    const parts = [];
    if (poller.lastPollAt) parts.push(`上次抓取 ${clock(poller.lastPollAt)}`);
    parts.push(`间隔 ${duration(poller.intervalMs)}`);
    if (poller.budget) parts.push(`本小时调用 ${poller.budget.used}/${poller.budget.limit}`);
    if (backingOff && poller.lastError) parts.push(`错误：${poller.lastError.message}`);
    detail.textContent = parts.join(' · ');
  }

  function fillRow(v) {
    const tr = rowTemplate.content.firstElementChild.cloneNode(true);
    tr.dataset.id = v.id;
    tr.dataset.action = v.action;
    if (v.urgent) tr.classList.add('urgent');
    if (v.waiting) tr.classList.add('waiting');
    const t = $('time', tr);
    t.textContent = clock(v.createdAt);
    t.dateTime = new Date(v.createdAt).toISOString();
    $('.kind', tr).textContent = v.kind === 'comment' ? '评论' : '微博';
    const a = $('.author', tr);
    a.textContent = `@${v.author.name || v.author.id}`;
    a.href = v.link;
    $('.text', tr).textContent = v.text;
    // Every row has the same controls: their names say whose mention they act on.
    const who = `@${v.author.name || v.author.id}`;
    $('textarea', tr).setAttribute('aria-label', `公开回复 ${who}`);
    for (const button of tr.querySelectorAll('.ops button')) button.setAttribute('aria-label', `${button.textContent} ${who}`);
    const replies = $('.replies', tr);
    for (const r of v.replies) {
      const li = document.createElement('li');
      li.className = r.error ? 'failed' : r.by;
      li.textContent = `${r.by === 'manual' ? '人工' : '自动'} ${clock(r.at)}：${r.text}${r.error ? `（${r.error}）` : ''}`;
      replies.append(li);
    }
    const badge = $('.badge', tr);
    badge.textContent = v.actionLabel;
    badge.className = `badge ${v.action}`;
    const reason = $('.reason', tr);
    reason.textContent = v.reasonLabel ? `原因：${v.reasonLabel}` : v.waiting && v.lastError ? `发送失败：${v.lastError}` : v.faqQuestion ? `知识：${v.faqQuestion}` : '';
    reason.classList.toggle('failed', !v.reasonLabel && v.waiting && !!v.lastError);
    $('.cat', tr).textContent = v.categoryLabel || '–';
    const tier = $('.tier', tr);
    tier.textContent = v.tierLabel ? `${v.tierLabel}（${v.tier}）` : '';
    tier.className = `tier${v.urgent ? ' urgent' : ''}`;
    $('.delay', tr).textContent = v.replyDelayMs !== undefined ? duration(v.replyDelayMs) : v.waiting ? `已等 ${duration(Date.now() - v.createdAt)}` : '–';
    // A ticket is not undone by ignoring its mention; an ignored mention can still become a ticket.
    $('[data-op="ticket"]', tr).disabled = !!v.ticket;
    $('[data-op="ignore"]', tr).disabled = !!v.ticket || v.action === 'ignored';
    return tr;
  }

  async function loadList(background) {
    if (loading) return;
    loading = true;
    try {
      const q = query();
      const data = await call('GET', `${API}?${q}`, undefined, background);
      lastQuery = q;
      lastVersion = data.summary.version;
      keepDrafts(() => tbody.replaceChildren(...data.items.map(fillRow)));
      $('#empty').hidden = data.items.length > 0;
      renderSummary(data);
      if (errorFrom === 'load') showError('');
    } catch (err) {
      showError(err.message, 'load');
    } finally {
      loading = false;
    }
  }

  async function tick() {
    try {
      const data = await call('GET', `${API}/summary`, undefined, true);
      renderSummary(data);
      $('#live').textContent = `实时 · ${clock(Date.now())}`;
      $('#live').classList.remove('offline');
      if (data.summary.version !== lastVersion || query() !== lastQuery) await loadList(true);
    } catch (err) {
      $('#live').textContent = `连接中断：${err.message}`;
      $('#live').classList.add('offline');
    }
  }

  async function loadCategories() {
    const data = await call('GET', `${API}/summary`);
    const select = form.elements.namedItem('category');
    for (const c of data.categories) {
      const o = document.createElement('option');
      o.value = c.id;
      o.textContent = c.label;
      select.append(o);
    }
  }

  tbody.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target;
    const tr = f.closest('tr');
    const text = f.elements.namedItem('text').value.trim();
    if (!text) return;
    const button = $('button', f);
    button.disabled = true;
    try {
      await call('POST', `${API}/${encodeURIComponent(tr.dataset.id)}/reply`, { text });
      f.reset();
      // The list may have been rebuilt while this was sent, carrying the draft into a new row: sent is sent.
      const now = tbody.querySelector(`tr[data-id="${CSS.escape(tr.dataset.id)}"] textarea`);
      if (now && now.value.trim() === text) now.value = '';
      button.textContent = '已提交';
      showError('');
    } catch (err) {
      showError(err.message);
    } finally {
      button.disabled = false;
      refocusRow(tr.dataset.id);
    }
  });

  tbody.addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-op]');
    if (!b) return;
    const tr = b.closest('tr');
    const op = b.dataset.op;
    if (op === 'ticket' && !confirm('将这条提及立为工单？')) return;
    b.disabled = true;
    try {
      await call('POST', `${API}/${encodeURIComponent(tr.dataset.id)}/${op}`, {});
      showError('');
      await loadList();
    } catch (err) {
      b.disabled = false;
      showError(err.message);
    }
    refocusRow(tr.dataset.id);
  });

  form.addEventListener('change', () => void loadList());
  form.addEventListener('reset', () => setTimeout(() => void loadList(), 0));

  void loadCategories().catch((err) => showError(err.message));
  void tick();
  setInterval(() => void tick(), 3000);
})();
