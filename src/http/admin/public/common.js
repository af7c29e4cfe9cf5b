// Shared helpers for the console pages: JSON calls with the CSRF token, a tiny DOM builder that only ever
// sets text (never innerHTML, so ticket text cannot inject markup), labels, formatting and tables.
'use strict';
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  // The hotline's time zone (TZ_NAME), written into every console page by the gateway.
  const tzMeta = document.querySelector('meta[name="time-zone"]');
  const TZ = (tzMeta && tzMeta.getAttribute('content')) || undefined;

  async function api(path, opts) {
    const o = opts || {};
    const headers = { Accept: 'application/json' };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    if (o.method && o.method !== 'GET') headers['X-CSRF-Token'] = csrf;
    // A timer's refresh, not the operator: it does not keep the session from ending when idle.
    if (o.background) headers['X-Jiesu-Background'] = '1';
    const res = await fetch(path, { method: o.method || 'GET', headers, credentials: 'same-origin', body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    if (res.status === 401) {
      location.href = '/admin/login?next=' + encodeURIComponent(location.pathname + location.search);
      throw new Error('需要登录');
    }
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const err = new Error(data.reason || data.error || '请求失败 (' + res.status + ')');
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  }

  function h(tag, attrs) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = String(v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach((x) => append(el, x));
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }

  const STATUS = { received: '已受理', dispatched: '已派单', in_progress: '办理中', resolved: '已办结', visited: '已回访', returned: '已退回', rejected: '不予受理' };
  /** Channel labels, filled from /api/admin/meta (each adapter names its channel): await meta() before reading. */
  const CHANNEL = {};
  const RATING = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };
  const TIER = { '2h': '2小时', '24h': '24小时', '7d': '7天', '15d': '15天' };
  const ROLE = { admin: '管理员', operator: '话务调度', unit: '承办单位', social: '新媒体', analyst: '分析员' };
  /** Who made a change, as stored ('operator:卢沟桥街道', 'citizen:webchat', 'system' …), in an operator's words. */
  function actorLabel(actor) {
    const i = actor.indexOf(':');
    const [who, rest] = i < 0 ? [actor, ''] : [actor.slice(0, i), actor.slice(i + 1)];
    const channel = (c) => CHANNEL[c] || c;
    switch (who) {
      case 'system': return '系统';
      case 'channel': return '市民来信（' + channel(rest) + '）';
      case 'citizen': return '市民（' + channel(rest) + '）';
      case 'operator': return rest ? rest + '（管理台）' : '管理台';
      case 'staff': {
        // staff:<role>:<name> — a staff member acting as themselves.
        const j = rest.indexOf(':');
        return j < 0 ? rest : rest.slice(j + 1) + '（' + (ROLE[rest.slice(0, j)] || rest.slice(0, j)) + '）';
      }
      case 'hotline': return rest ? rest + '（12345系统）' : '12345系统';
      // A staff account: unit:<unit>:<user>, admin:<user>.
      case 'unit': {
        const j = rest.lastIndexOf(':');
        return j < 0 ? rest : rest.slice(j + 1) + '（' + rest.slice(0, j) + '）';
      }
      case 'admin': return rest ? rest + '（管理员）' : '管理员';
      default: return actor;
    }
  }
  let metaCache;
  async function meta() {
    metaCache =
      metaCache ||
      api('/api/admin/meta').then((m) => {
        for (const c of m.channels) CHANNEL[c.id] = c.name;
        return m;
      });
    return metaCache;
  }
  async function categoryName(id) {
    const m = await meta();
    const c = m.categories.find((x) => x.id === id);
    return c ? c.name : id || '未分类';
  }

  function fmtTime(iso) {
    if (!iso) return '';
    return new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  }
  function today(offsetDays) {
    const d = new Date(Date.now() + (offsetDays || 0) * 86400000);
    return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  }
  /** An instant as ISO 8601 from a calendar date and a wall-clock time ('12:00:00') in the hotline's time zone. */
  function zonedIso(ymd, time) {
    const probe = new Date(ymd + 'T' + time + 'Z');
    const name = new Intl.DateTimeFormat('en-US', { timeZone: TZ, timeZoneName: 'longOffset' }).formatToParts(probe).find((p) => p.type === 'timeZoneName');
    const offset = name && /^GMT[+-]\d{2}:\d{2}$/.test(name.value) ? name.value.slice(3) : 'Z';
    return ymd + 'T' + time + offset;
  }
  function pct(x) {
    return x === null || x === undefined ? '—' : (x * 100).toFixed(1) + '%';
  }
  function statusBadge(s) {
    return h('span', { class: 'badge s-' + s, text: STATUS[s] || s });
  }

  /** The page's <main>, emptied, with its title kept. */
  function page() {
    const main = document.getElementById('app');
    const title = main.querySelector('h1');
    main.replaceChildren(title);
    return main;
  }

  /**
   * A data table: columns [{key, label, num?, render?(row)}], rows of plain objects; opts.label names it. Its
   * wrapper scrolls sideways on narrow screens, so it is a labelled region a keyboard can focus and scroll.
   */
  function table(columns, rows, opts) {
    const o = opts || {};
    const thead = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : undefined, scope: 'col', text: c.label }))));
    const tbody = h(
      'tbody',
      {},
      rows.length
        ? rows.map((r) =>
            h(
              'tr',
              { class: o.rowClass ? o.rowClass(r) : undefined },
              columns.map((c) => {
                const v = c.render ? c.render(r) : r[c.key];
                return h('td', { class: c.num ? 'num' : c.cls }, v === null || v === undefined ? '' : v);
              }),
            ),
          )
        : h('tr', {}, h('td', { colspan: columns.length, class: 'muted', text: o.empty || '（无数据）' })),
    );
    const label = o.label || columns.map((c) => c.label).filter(Boolean).join('、');
    return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label }, h('table', { class: 'data' + (o.cls ? ' ' + o.cls : '') }, thead, tbody));
  }

  function kpis(items) {
    return h('div', { class: 'kpis' }, items.map((k) => h('div', { class: 'kpi' }, h('div', { class: 'label', text: k.label }), h('div', { class: 'value', text: k.value === null || k.value === undefined ? '—' : k.value }))));
  }

  function showError(where, err) {
    where.append(h('p', { class: 'error', role: 'alert', text: '出错了：' + (err && err.message ? err.message : err) }));
  }

  /**
   * An ECharts chart in a new div; resized with the window. ECharts' aria option describes it to screen
   * readers, and the same figures follow as a table (in a <details>, closed) for anyone who cannot read the
   * canvas — unless opts.table is false because the page shows them in a table of its own.
   */
  function chart(container, option, cls, opts) {
    const div = h('div', { class: 'chart' + (cls ? ' ' + cls : '') });
    container.append(div);
    if (!window.echarts) {
      div.textContent = '图表库未加载';
      return null;
    }
    const c = window.echarts.init(div, null, { renderer: 'canvas' });
    // Tooltips are drawn on the canvas: ECharts' HTML tooltips carry inline style attributes, which the
    // console's Content-Security-Policy (style-src 'self') rightly blocks.
    if (option.tooltip) option.tooltip = Object.assign({ renderMode: 'richText' }, option.tooltip);
    c.setOption(Object.assign({ animation: false, aria: { enabled: true }, textStyle: { fontFamily: 'WenQuanYi Micro Hei, Microsoft YaHei, sans-serif' } }, option));
    window.addEventListener('resize', () => c.resize());
    const data = opts && opts.table === false ? null : chartTable(option);
    if (data) container.append(h('details', { class: 'chart-data' }, h('summary', { text: '查看图表数据' }), data));
    return c;
  }

  /** The figures of a category-axis chart (bars, lines) or a pie as a plain table; null for other shapes. */
  function chartTable(option) {
    const series = [].concat(option.series || []);
    const axis = [].concat(option.xAxis || [])[0];
    const yAxis = [].concat(option.yAxis || [])[0];
    const cats = (axis && axis.type === 'category' && axis.data) || (yAxis && yAxis.type === 'category' && yAxis.data);
    const value = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v.value : v);
    if (cats && series.every((s) => Array.isArray(s.data) && s.data.length === cats.length)) {
      const cols = [{ key: 'cat', label: '' + ((axis && axis.name) || (yAxis && yAxis.name) || '项目') }].concat(
        series.map((s, i) => ({ key: 's' + i, label: s.name || '数值', num: true })),
      );
      const rows = cats.map((cat, r) => Object.assign({ cat: typeof cat === 'object' ? cat.value : cat }, ...series.map((s, i) => ({ ['s' + i]: value(s.data[r]) }))));
      return table(cols, rows, { label: (option.title && option.title.text) || '图表数据' });
    }
    if (series.length === 1 && series[0].type === 'pie' && Array.isArray(series[0].data)) {
      return table(
        [{ key: 'name', label: '项目' }, { key: 'value', label: series[0].name || '数值', num: true }],
        series[0].data.map((d) => ({ name: d.name, value: d.value })),
        { label: (option.title && option.title.text) || '图表数据' },
      );
    }
    return null;
  }

  // Dates are typed and shown as yyyy/mm/dd, as Chinese readers write them: a native date input follows the
  // browser's locale (mm/dd/yyyy in an English browser), which a Chinese console must not depend on.
  const DATE_TEXT = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/;
  function dateField(attrs) {
    const value = attrs.value ? String(attrs.value).slice(0, 10).replace(/-/g, '/') : '';
    const input = h('input', Object.assign({}, attrs, { type: 'text', inputmode: 'numeric', placeholder: 'yyyy/mm/dd', autocomplete: 'off', size: 10, value }));
    input.setAttribute('data-date', '');
    input.addEventListener('input', () => input.setCustomValidity(''));
    return input;
  }
  /** A date field's day as yyyy-mm-dd, '' when empty, null (and the field marked, with the reason) when it is not a real day. */
  function dateValue(input) {
    const v = input.value.trim();
    if (!v) return '';
    const m = DATE_TEXT.exec(v);
    const iso = m ? m[1] + '-' + m[2].padStart(2, '0') + '-' + m[3].padStart(2, '0') : '';
    const real = iso && new Date(iso + 'T00:00:00Z').toISOString().slice(0, 10) === iso;
    if (real) return iso;
    input.setCustomValidity('请按 yyyy/mm/dd 填写真实日期，如 2026/12/04');
    input.reportValidity();
    input.focus();
    return null;
  }
  /** A filter form's fields as a query (dates as yyyy-mm-dd, empty fields left out); null when a date is wrong. */
  function formQuery(form) {
    const out = {};
    for (const [k, v] of new FormData(form)) if (v !== '') out[k] = v;
    for (const input of form.querySelectorAll('input[data-date]')) {
      const d = dateValue(input);
      if (d === null) return null;
      if (d) out[input.name] = d;
    }
    return out;
  }

  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) u.set(k, String(v));
    const s = u.toString();
    return s ? '?' + s : '';
  }

  /** A citizen's photos as linked thumbnails (each opens the full picture, stored without EXIF); null when none. */
  function photoStrip(photos, label, id) {
    if (!photos || !photos.length) return null;
    return h(
      'ul',
      { class: 'photos', 'aria-label': label, ...(id ? { id } : {}) },
      photos.map((p, i) => h('li', {}, h('a', { href: p.url, target: '_blank', rel: 'noopener' }, h('img', { src: p.thumbUrl, alt: '图片 ' + (i + 1) + '（点击查看原图）', loading: 'lazy' })))),
    );
  }

  window.Admin = { api, h, photoStrip, STATUS, CHANNEL, RATING, TIER, ROLE, actorLabel, meta, categoryName, fmtTime, today, zonedIso, pct, statusBadge, page, table, kpis, showError, chart, qs, csrf, dateField, dateValue, formQuery };
})();
