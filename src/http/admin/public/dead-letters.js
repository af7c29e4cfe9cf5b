// 失败任务: complaints that could not be filed as tickets after all attempts (the citizen was told a person
// will follow up) and tickets the external hotline never accepted, each with a retry button.
'use strict';
(async function () {
  const { api, h, page, table, showError, fmtTime, CHANNEL, meta, categoryName } = window.Admin;
  const main = page();
  const all = h('input', { type: 'checkbox', id: 'dead-all' });
  const msg = h('span', { role: 'status' });
  const body = h('div', { id: 'dead-letters-body' }, h('p', { class: 'loading', text: '加载中…' }));
  main.append(h('div', { class: 'toolbar' }, h('label', { class: 'inline' }, all, '包括已生成工单的'), msg), body);

  function retryButton(path, label) {
    const b = h('button', { type: 'button', text: label });
    b.addEventListener('click', async () => {
      b.disabled = true;
      msg.className = '';
      msg.textContent = '提交中…';
      try {
        await api(path, { method: 'POST' });
        msg.className = 'ok';
        msg.textContent = '已重新排队。';
        await render();
      } catch (err) {
        msg.className = 'error';
        msg.textContent = err.message;
        b.disabled = false;
      }
    });
    return b;
  }

  async function render() {
    try {
      const [d] = await Promise.all([api('/api/admin/dead-letters' + (all.checked ? '?all=1' : '')), meta()]);
      const names = {};
      for (const x of d.tickets.items) if (x.category) names[x.category] = await categoryName(x.category);
      const ticketCols = [
        { key: 'id', label: '编号', num: true },
        { key: 'failedAt', label: '失败时间', render: (x) => fmtTime(x.failedAt) },
        { key: 'channel', label: '渠道', render: (x) => CHANNEL[x.channel] || x.channel },
        { key: 'category', label: '类别', render: (x) => (x.category ? names[x.category] : '') },
        { key: 'text', label: '诉求内容', cls: 'wrap' },
        { key: 'reservedNumber', label: '预留工单号' },
        { key: 'error', label: '错误', cls: 'wrap' },
        { key: 'attempts', label: '尝试次数', num: true },
        {
          key: 'action',
          label: '处理',
          render: (x) => (x.ticketNumber ? h('a', { href: '/admin/tickets/' + x.ticketNumber, text: '已生成 ' + x.ticketNumber }) : retryButton('/api/admin/dead-letters/tickets/' + x.id + '/retry', x.status === 'retried' ? '再次重试' : '重试')),
        },
      ];
      const hotlineCols = [
        { key: 'failedAt', label: '失败时间', render: (x) => (x.failedAt ? fmtTime(x.failedAt) : '') },
        { key: 'number', label: '工单号', render: (x) => h('a', { href: '/admin/tickets/' + x.number, text: x.number }) },
        { key: 'kind', label: '类型', render: (x) => (x.kind === 'event' ? '状态变更' : '工单') },
        { key: 'failedReason', label: '错误', cls: 'wrap' },
        { key: 'attemptsMade', label: '尝试次数', num: true },
        { key: 'action', label: '处理', render: (x) => retryButton('/api/admin/dead-letters/hotline/' + encodeURIComponent(x.id) + '/retry', '重试') },
      ];
      body.replaceChildren(
        h('h2', { text: '未能生成工单的诉求（' + d.tickets.total + '）' }),
        h('p', { class: 'muted', text: '市民已收到“将由工作人员人工跟进”的答复。重试会沿用预留的工单号，同一诉求只会生成一张工单。' }),
        table(ticketCols, d.tickets.items, { empty: '没有未能生成工单的诉求。' }),
        h('h2', { text: '未能推送到12345系统的工单（' + d.hotline.total + '）' }),
        d.hotline.enabled ? table(hotlineCols, d.hotline.items, { empty: '没有推送失败的工单。' }) : h('p', { class: 'muted', text: '未配置12345系统对接（HOTLINE_URL）。' }),
      );
    } catch (err) {
      body.replaceChildren();
      showError(body, err);
    }
  }
  all.addEventListener('change', render);
  render();
})();
