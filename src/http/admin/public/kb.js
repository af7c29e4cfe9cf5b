// 知识库: the entries (search, edit, create, delete — each a new version in the database, served by every
// gateway within seconds), what a change does to the eval cases (a regression is shown and must be confirmed),
// a "try a question" box, the review queue (questions the bot could not answer or had to clarify, answers
// rated 没解决, corrected categories — attach to an entry, make an entry, or mark "not a question"), how often
// each entry helped, and the version history with restore and export.
'use strict';
(async function () {
  const { api, h, fmtTime, page, table, showError } = window.Admin;
  const main = page();
  let entries = [];
  let current = null;

  const pct = (x) => (x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%');
  const CHANGE = { fixed: '变对', broken: '变错' };

  /** What a change did to the eval cases: the rates before → after and the cases that flipped. */
  function diffView(diff) {
    if (!diff || !diff.cases) return h('p', { class: 'muted', text: '未配置评测用例，未做对比。' });
    const rate = (label, key) => h('li', {}, label + '：' + pct(diff.before[key]) + ' → ', h('strong', { text: pct(diff.after[key]) }));
    return h(
      'div',
      { class: 'kb-diff' },
      h('p', {}, '评测用例 ' + diff.cases + ' 条：', diff.regression ? h('strong', { class: 'error', text: '有退步' }) : h('span', { class: 'ok', text: '没有退步' })),
      h('ul', {}, rate('首选答对率（top-1）', 'faqTop1'), rate('答错率', 'faqWrong'), rate('投诉被当作咨询答复', 'falseAnswer'), rate('有帮助（含追问）', 'helped')),
      diff.flipped.length
        ? table(
            [
              { key: 'change', label: '变化', render: (f) => h('span', { class: f.change === 'broken' ? 'error' : 'ok', text: CHANGE[f.change] }) },
              { key: 'text', label: '用例', cls: 'wrap' },
              { key: 'expected', label: '应为' },
              { key: 'before', label: '之前' },
              { key: 'after', label: '之后' },
            ],
            diff.flipped.slice(0, 30),
            { label: '结果变化的评测用例' },
          )
        : h('p', { class: 'muted', text: '没有用例结果发生变化。' }),
    );
  }

  /**
   * Publishes a change: `path` without confirm first; a regression comes back as 409 with the diff, shown in
   * `out` with a button that publishes it anyway. Resolves with the result once published (null if not).
   */
  function publish(path, opts, out) {
    const sep = path.includes('?') ? '&' : '?';
    return new Promise((resolve, reject) => {
      api(path, opts)
        .then((r) => {
          out.replaceChildren(h('p', { class: 'ok', role: 'status', text: '已发布为第 ' + r.version + ' 版，所有网关将在几秒内生效。' }), diffView(r.diff));
          resolve(r);
        })
        .catch((err) => {
          if (err.status !== 409 || !err.data || err.data.error !== 'regression') return reject(err);
          const go = h('button', { type: 'button', class: 'danger', text: '仍然发布' });
          const cancel = h('button', { type: 'button', class: 'secondary', text: '取消' });
          out.replaceChildren(h('p', { class: 'error', role: 'alert', text: '这次修改会让部分评测用例变差，请确认后再发布。' }), diffView(err.data.diff), h('div', { class: 'form-actions' }, go, cancel));
          cancel.addEventListener('click', () => (out.replaceChildren(h('p', { class: 'muted', role: 'status', text: '未发布。' })), resolve(null)));
          go.addEventListener('click', () => {
            api(path + sep + 'confirm=true', opts)
              .then((r) => {
                out.replaceChildren(h('p', { class: 'ok', role: 'status', text: '已确认并发布为第 ' + r.version + ' 版。' }), diffView(r.diff));
                resolve(r);
              })
              .catch(reject);
          });
          go.focus();
        });
    });
  }

  const search = h('input', { type: 'search', 'aria-label': '搜索条目', placeholder: '搜索问题、主题或编号', class: 'wide', id: 'kb-search' });
  const list = h('ul', { class: 'kb-list', id: 'kb-list' });
  const count = h('p', { class: 'muted' });
  const editor = h('section', { class: 'card', id: 'kb-editor' });
  main.append(
    h('div', { class: 'kb-layout' }, h('section', { class: 'card' }, h('h2', { text: '条目' }), count, search, h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'kb-new', text: '新建条目', onclick: () => edit(null, undefined, true) })), list), editor),
  );
  const tryBox = h('section', { class: 'card', id: 'kb-try' });
  const review = h('section', { class: 'card', id: 'kb-review' });
  const stats = h('section', { class: 'card', id: 'kb-stats' });
  const versionsBox = h('section', { class: 'card', id: 'kb-versions' });
  main.append(review, h('div', { class: 'cols-2' }, tryBox, stats), versionsBox);

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
  function edit(entry, prefill, focus, reviewKey) {
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
    const result = h('div', { class: 'kb-result' });
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
        const r = await publish('/api/admin/kb/' + encodeURIComponent(entry.id), { method: 'DELETE' }, result);
        if (!r) return;
        await load();
        edit(null);
        editor.append(result);
        refreshSide();
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
        const saved = entry
          ? await publish('/api/admin/kb/' + encodeURIComponent(entry.id), { method: 'PUT', body }, result)
          : reviewKey
            ? await publish('/api/admin/review/create', { method: 'POST', body: { key: reviewKey, text: prefill, entry: { id: body.id, topic: body.topic, answer: body.answer, questions: body.questions.filter((q) => q !== prefill) } } }, result)
            : await publish('/api/admin/kb', { method: 'POST', body }, result);
        msg.textContent = '';
        if (!saved) return;
        await load();
        edit(entries.find((x) => x.id === body.id) || null, undefined, true);
        editor.append(result);
        refreshSide();
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
      }
    });
    editor.replaceChildren(h('h2', { text: entry ? '编辑条目 ' + entry.id : reviewKey ? '从待处理问题新建条目' : '新建条目' }), form, result);
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

  const KIND = { unanswered: '未能答复', clarified: '需要追问', unsolved: '答复后“没解决”', ticket: '提问变成了工单', recategorized: '分类被人工更正' };

  async function renderReview() {
    review.replaceChildren(h('h2', { text: '待处理问题' }), h('p', { class: 'loading', text: '加载中…' }));
    try {
      const { items } = await api('/api/admin/review');
      const ids = h('datalist', { id: 'kb-entry-ids' }, entries.map((e) => h('option', { value: e.id, text: e.questions[0] })));
      const out = h('div', { class: 'kb-result', id: 'kb-review-result' });
      const actions = (it) => {
        if (it.kind === 'recategorized') return h('button', { type: 'button', class: 'secondary', text: '已阅', onclick: () => dismiss(it) });
        const target = h('input', { list: 'kb-entry-ids', name: 'faqId', 'aria-label': '挂到条目（编号）：' + it.text, placeholder: '条目编号', value: it.faqId || '', size: 14 });
        return h(
          'div',
          { class: 'kb-actions' },
          target,
          h('button', { type: 'button', text: '挂到条目', onclick: () => attach(it, target.value.trim()) }),
          h('button', { type: 'button', class: 'secondary', text: '新建条目', onclick: () => (edit(null, it.text, true, it.key), editor.scrollIntoView()) }),
          h('button', { type: 'button', class: 'secondary', text: '不是问题', onclick: () => dismiss(it) }),
        );
      };
      async function attach(it, faqId) {
        if (!faqId) return out.replaceChildren(h('p', { class: 'error', role: 'alert', text: '请填写要挂到的条目编号。' }));
        try {
          const r = await publish('/api/admin/review/attach', { method: 'POST', body: { key: it.key, text: it.text, faqId } }, out);
          if (r) await Promise.all([load(), renderReview()]);
        } catch (err) {
          out.replaceChildren(h('p', { class: 'error', role: 'alert', text: err.message }));
        }
      }
      async function dismiss(it) {
        try {
          await api('/api/admin/review/dismiss', { method: 'POST', body: { key: it.key } });
          await renderReview();
        } catch (err) {
          out.replaceChildren(h('p', { class: 'error', role: 'alert', text: err.message }));
        }
      }
      review.replaceChildren(
        h('h2', { text: '待处理问题' }),
        h('p', { class: 'muted', text: '机器人没有答好的提问：未能答复、需要追问、答复后被评为“没解决”、提问变成了工单，以及分类被人工更正的诉求。挂到条目后该问法立即生效。' }),
        ids,
        out,
        table(
          [
            { key: 'kind', label: '类型', render: (it) => KIND[it.kind] || it.kind },
            { key: 'text', label: '市民提问', cls: 'wrap', render: (it) => h('span', { title: it.text, text: it.text }) },
            { key: 'count', label: '次数', num: true },
            { key: 'at', label: '最近', render: (it) => fmtTime(it.at) },
            {
              key: 'src',
              label: '相关',
              render: (it) =>
                it.ticket
                  ? h('a', { href: '/admin/tickets/' + it.ticket, text: it.ticket + (it.toCategory ? '（' + (it.fromCategory || '未分类') + ' → ' + it.toCategory + '）' : '') })
                  : it.faqId || '',
            },
            { key: 'act', label: '操作', render: actions },
          ],
          items.slice(0, 50),
          { empty: '暂无待处理问题', label: '待处理问题' },
        ),
      );
      // The rows are rendered with their index for unique input ids.
      review.querySelectorAll('input[list=kb-entry-ids]').forEach((el, i) => (el.id = 'kb-attach-' + i));
    } catch (err) {
      showError(review, err);
    }
  }

  async function renderStats() {
    try {
      const s = await api('/api/admin/kb/stats');
      const cols = [
        { key: 'id', label: '条目', render: (e) => h('span', { title: e.question, text: e.id }) },
        { key: 'given', label: '答复次数', num: true },
        { key: 'helpful', label: '有帮助', num: true },
        { key: 'unsolved', label: '没解决', num: true },
        { key: 'helpfulRate', label: '有帮助率', num: true, render: (e) => pct(e.helpfulRate) },
        { key: 'unsolvedRate', label: '没解决率', num: true, render: (e) => pct(e.unsolvedRate) },
      ];
      stats.replaceChildren(
        h('h2', { text: '条目效果' }),
        h('h3', { text: '没解决率最高的条目' }),
        table(cols, s.worst, { empty: '还没有“没解决”的评价', label: '没解决率最高的条目' }),
        h('h3', { text: '最常答复的条目' }),
        table(cols, s.entries.filter((e) => e.given > 0).slice(0, 20), { empty: '还没有答复记录', label: '最常答复的条目' }),
      );
    } catch (err) {
      showError(stats, err);
    }
  }

  const ACTION = { seed: '初始导入', import: '导入', create: '新建', edit: '编辑', delete: '删除', restore: '恢复', attach: '挂问法' };
  async function renderVersions() {
    try {
      const { versions } = await api('/api/admin/kb/versions');
      const out = h('div', { class: 'kb-result', id: 'kb-versions-result' });
      const restore = async (v) => {
        try {
          const r = await publish('/api/admin/kb/versions/' + v.version + '/restore', { method: 'POST' }, out);
          if (r) {
            await load();
            await renderVersions();
            versionsBox.append(out);
          }
        } catch (err) {
          out.replaceChildren(h('p', { class: 'error', role: 'alert', text: err.message }));
        }
      };
      versionsBox.replaceChildren(
        h('h2', { text: '版本记录' }),
        h('p', {}, h('a', { href: '/api/admin/kb/export.yaml', download: '', text: '导出当前版本（YAML）' })),
        out,
        table(
          [
            { key: 'version', label: '版本', num: true },
            { key: 'createdAt', label: '时间', render: (v) => fmtTime(v.createdAt) },
            { key: 'actor', label: '操作人' },
            { key: 'action', label: '修改', render: (v) => (ACTION[v.action] || v.action) + (v.note ? ' ' + v.note : '') },
            { key: 'size', label: '条目数', num: true },
            {
              key: 'act',
              label: '操作',
              render: (v) =>
                h(
                  'div',
                  { class: 'kb-actions' },
                  h('a', { href: '/api/admin/kb/export.yaml?version=' + v.version, download: '', text: '导出', 'aria-label': '导出第 ' + v.version + ' 版' }),
                  versions[0] === v ? h('span', { class: 'muted', text: '当前' }) : h('button', { type: 'button', class: 'secondary', text: '恢复此版', 'aria-label': '恢复第 ' + v.version + ' 版', onclick: () => restore(v) }),
                ),
            },
          ],
          versions.slice(0, 30),
          { label: '版本记录' },
        ),
      );
    } catch (err) {
      showError(versionsBox, err);
    }
  }

  function refreshSide() {
    renderReview();
    renderStats();
    renderVersions();
  }

  try {
    await load();
    edit(null);
    renderTry();
    refreshSide();
  } catch (err) {
    showError(main, err);
  }
})();
