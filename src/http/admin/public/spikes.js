// 突发预警: categories rising well above their usual level at a street in the last 24 hours (live), the
// alerts raised so far (also sent to the staff channel when configured), and a button to check now.
'use strict';
(async function () {
  const { api, h, page, table, showError, fmtTime, categoryName } = window.Admin;
  const main = page();
  const body = h('div', { id: 'spikes-body' }, h('p', { class: 'loading', text: '检测中…' }));
  const msg = h('span', { role: 'status' });
  const check = h('button', { type: 'button', id: 'spike-check', text: '立即检测并预警' });
  main.append(h('div', { class: 'toolbar' }, check, msg), body);
  const tickets = (list) => list.slice(0, 12).map((n, i) => [i ? ' ' : '', h('a', { href: '/admin/tickets/' + n, text: n })]).concat(list.length > 12 ? [' 等' + list.length + '件'] : []);

  async function render() {
    try {
      const s = await api('/api/admin/spikes');
      const names = {};
      for (const x of s.live.concat(s.alerts)) names[x.category] = await categoryName(x.category);
      const cols = [
        { key: 'place', label: '区 / 街乡镇', render: (x) => x.district + ' ' + x.street },
        { key: 'category', label: '类别', render: (x) => names[x.category] },
        { key: 'count', label: '24小时件数', num: true },
        { key: 'mean', label: '平时日均', num: true },
        { key: 'z', label: '偏离（σ）', num: true },
        { key: 'tickets', label: '相关工单', cls: 'wrap', render: (x) => tickets(x.tickets) },
      ];
      body.replaceChildren(
        h('h2', { text: '当前激增（截至 ' + fmtTime(s.asOf) + '）' }),
        h('p', { class: 'muted', text: '同一街乡镇、同一类别过去24小时≥6件，且高出前28天日均值4个标准差以上（标准差至少按泊松波动√均值计）。' }),
        table(cols, s.live, { empty: '当前没有激增。' }),
        h('h2', { text: '已发出的预警' }),
        table([{ key: 'raisedAt', label: '预警时间', render: (x) => fmtTime(x.raisedAt) }].concat(cols).concat([{ key: 'notified', label: '已通知值班', render: (x) => (x.notified ? '是' : '否（未配置 STAFF_ALERT_CHANNEL）') }]), s.alerts, { empty: '暂无预警记录。' }),
      );
    } catch (err) {
      body.replaceChildren();
      showError(body, err);
    }
  }
  check.addEventListener('click', async () => {
    check.disabled = true;
    msg.className = '';
    msg.textContent = '检测中…';
    try {
      const r = await api('/api/admin/spikes/check', { method: 'POST' });
      msg.className = 'ok';
      msg.textContent = r.raised.length ? '新发出 ' + r.raised.length + ' 条预警。' : '没有新的预警。';
      await render();
    } catch (err) {
      msg.className = 'error';
      msg.textContent = err.message;
    } finally {
      check.disabled = false;
    }
  });
  render();
})();
