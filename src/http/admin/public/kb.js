// 知识库: the entries (search, edit, create, delete — saved to the KB file and hot-reloaded), a "try a
// question" box showing the NLU's decision with its top candidates, and the questions the bot could not
// answer, each one click away from a new entry.
'use strict';
(async function () {
  const { api, h, fmtTime, page, table, showError } = window.Admin;
  const main = page();
  let entries = [];
  let current = null;

  const search = h('input', { type: 'search', 'aria-label': '搜索条目', placeholder: '搜索问题、主题或编号', class: 'wide', id: 'kb-search' });
  const list = h('ul', { class: 'kb-list', id: 'kb-list' });
  const count = h('p', { class: 'muted' });
  const editor = h('section', { class: 'card', id: 'kb-editor' });
  main.append(
    h('div', { class: 'kb-layout' }, h('section', { class: 'card' }, h('h2', { text: '条目' }), count, search, h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'kb-new', text: '新建条目', onclick: () => edit(null, undefined, true) })), list), editor),
  );
  const tryBox = h('section', { class: 'card', id: 'kb-try' });
  const unanswered = h('section', { class: 'card', id: 'kb-unanswered' });
  main.append(h('div', { class: 'cols-2' }, tryBox, unanswered));

  function renderList() {
    const q = search.value.trim().toLowerCase();
    const shown = entries.filter((e) => !q || e.id.includes(q) || (e.topic || '').toLowerCase().includes(q) || e.questions.some((x) => x.toLowerCase().includes(q)));
    count.textContent = '共 ' + entries.length + ' 条' + (q ? '，匹配 ' + shown.length + ' 条' : '');
    list.replaceChildren(
      ...shown.map((e) =>
        h(
          'li',
          { class: current && current.id === e.id ? 'active' : undefined },
          h(
            'button',
            { type: 'button', class: 'kb-item', 'aria-current': current && current.id === e.id ? 'true' : undefined, onclick: () => edit(e, undefined, true) },
            h('span', { class: 'q', text: e.questions[0] }),
            h('span', { class: 'id', text: e.id + (e.topic ? ' · ' + e.topic : '') }),
          ),
        ),
      ),
    );
  }
  search.addEventListener('input', renderList);

  async function load() {
    const data = await api('/api/admin/kb');
    entries = data.entries;
    renderList();
  }

  /** Opens an entry (or a new one) in the editor; `focus` moves the keyboard there (a choice from a list). */
  function edit(entry, prefill, focus) {
    current = entry;
    renderList();
    const e = entry || { id: '', topic: '', questions: prefill ? [prefill] : [''], answer: '', lang: 'zh' };
    const id = h('input', { name: 'id', value: e.id, required: true, pattern: '[a-z0-9][a-z0-9_-]*', placeholder: '如 social-card-replace', class: 'wide' });
    const topic = h('input', { name: 'topic', value: e.topic || '', placeholder: '如 社保医保', class: 'wide' });
    const questions = h('textarea', { name: 'questions', placeholder: '每行一个问法' });
    questions.value = e.questions.join('\n');
    const answer = h('textarea', { name: 'answer', class: 'tall' });
    answer.value = e.answer;
    const lang = h('select', { name: 'lang' }, h('option', { value: 'zh', text: '中文', selected: e.lang !== 'en' }), h('option', { value: 'en', text: 'English', selected: e.lang === 'en' }));
    const msg = h('span', { role: 'status' });
    const form = h(
      'form',
      { class: 'form-grid', id: 'kb-form' },
      h('label', {}, '编号（id）', id),
      h('label', {}, '主题', topic),
      h('label', {}, '问法（每行一个）', questions),
      h('label', {}, '答案', answer),
      h('label', {}, '语言', lang),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', text: entry ? '保存' : '创建' }), entry ? h('button', { type: 'button', class: 'danger', text: '删除', onclick: remove }) : null, msg),
    );
    async function remove() {
      if (!confirm('删除条目 ' + entry.id + '？')) return;
      try {
        await api('/api/admin/kb/' + encodeURIComponent(entry.id), { method: 'DELETE' });
        await load();
        edit(null);
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    }
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { id: id.value.trim(), topic: topic.value.trim() || undefined, questions: questions.value.split('\n').map((s) => s.trim()).filter(Boolean), answer: answer.value, lang: lang.value };
      msg.className = '';
      msg.textContent = '保存中…';
      try {
        const saved = entry ? await api('/api/admin/kb/' + encodeURIComponent(entry.id), { method: 'PUT', body }) : await api('/api/admin/kb', { method: 'POST', body });
        await load();
        edit(entries.find((x) => x.id === saved.id) || saved, undefined, true);
        editor.querySelector('[role=status]').className = 'ok';
        editor.querySelector('[role=status]').textContent = '已保存，机器人已重新加载知识库。';
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    editor.replaceChildren(h('h2', { text: entry ? '编辑条目 ' + entry.id : '新建条目' }), form);
    if (focus) (entry ? questions : id).focus();
  }

  function renderTry() {
    const input = h('input', { name: 'text', class: 'wide', placeholder: '输入市民可能会问的话，如：社保卡丢了怎么补办', id: 'kb-try-input' });
    const out = h('div', { id: 'kb-try-result' });
    const form = h('form', { class: 'form-grid' }, input, h('div', { class: 'form-actions' }, h('button', { type: 'submit', text: '试一试' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      out.replaceChildren(h('p', { class: 'loading', text: '分析中…' }));
      try {
        const d = await api('/api/admin/kb/try', { method: 'POST', body: { text: input.value } });
        const kind = { faq: '直接答复（FAQ）', ticket: '生成工单', chitchat: '闲聊' }[d.kind] || d.kind;
        out.replaceChildren(
          h('p', {}, '判断：', h('strong', { text: kind }), d.clarify ? '（需要追问确认）' : '', '，得分 ', h('strong', { text: Number(d.score).toFixed(3) })),
          h('p', { class: 'muted', text: [d.category && '类别 ' + d.category, d.tier && '时限 ' + d.tier, d.district, d.street].filter(Boolean).join(' · ') }),
          table(
            [
              { key: 'faqId', label: '候选条目', render: (c) => h('a', { href: '#', text: c.faqId, onclick: (ev) => (ev.preventDefault(), edit(entries.find((x) => x.id === c.faqId) || null, undefined, true)) }) },
              { key: 'question', label: '标准问法' },
              { key: 'score', label: '得分', num: true, render: (c) => Number(c.score).toFixed(3) },
            ],
            d.candidates || [],
          ),
          h('pre', { class: 'json', text: JSON.stringify(d, null, 2) }),
        );
      } catch (err) {
        out.replaceChildren();
        showError(out, err);
      }
    });
    tryBox.replaceChildren(h('h2', { text: '试一试' }), form, out);
  }

  async function renderUnanswered() {
    unanswered.replaceChildren(h('h2', { text: '未能答复的问题' }), h('p', { class: 'loading', text: '加载中…' }));
    try {
      const u = await api('/api/admin/unanswered');
      const items = u.recorded.concat(u.tickets);
      const add = (it) => h('button', { type: 'button', class: 'secondary', text: '新建条目', onclick: () => (edit(null, it.text, true), window.scrollTo(0, 0)) });
      unanswered.replaceChildren(
        h('h2', { text: '未能答复的问题' }),
        h('p', { class: 'muted', text: '机器人没有把握答复、转为人工或工单的提问（近7天），可据此补充知识库。' }),
        table(
          [
            { key: 'text', label: '市民提问', cls: 'wrap', render: (it) => h('span', { title: it.text, text: it.text }) },
            { key: 'at', label: '时间', render: (it) => fmtTime(it.at) },
            { key: 'src', label: '来源', render: (it) => (it.ticket ? h('a', { href: '/admin/tickets/' + it.ticket, text: it.ticket }) : '对话' + (it.topFaq ? '（最接近 ' + it.topFaq + '）' : '')) },
            { key: 'act', label: '操作', render: add },
          ],
          items.slice(0, 50),
          { empty: '暂无' },
        ),
      );
    } catch (err) {
      showError(unanswered, err);
    }
  }

  try {
    await load();
    edit(null);
    renderTry();
    renderUnanswered();
  } catch (err) {
    showError(main, err);
  }
})();
