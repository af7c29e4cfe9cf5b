/*
 * Jiesu web chat widget — 12345 在线咨询.
 *
 * Embed with one tag on any page:
 *   <script src="https://gateway.example/widget/widget.js" defer></script>
 * Optional attributes on that tag:
 *   data-endpoint="https://gateway.example/prefix"  API base (default: the origin this script was loaded from)
 *   data-lang="zh" | "en"                            UI language (default: <html lang>, then navigator.language; zh unless English)
 *   data-open="true"                                 open the panel on load
 *
 * Plain modern JS, no build step, no framework, no eval, no inline styles: it links the sibling widget.css, so it
 * works under `script-src 'self'; style-src 'self'`. Every piece of user or server text is rendered with
 * textContent / createTextNode — never innerHTML.
 *
 * Accessibility (WCAG 2.1 AA): focus stays in the conversation after every button (a button that disables itself
 * while focused would drop it to <body>); at phone width the full-screen panel is modal (aria-modal, the host
 * page inert) until closed; Escape closes and returns to the launcher; replies that arrive while the panel is
 * closed are read out by a polite live region outside the panel.
 *
 * Test hooks (stable): data-jiesu = root | toggle | badge | panel | close | status | log | welcome | message
 * (with data-from, data-id, data-kind) | bubble | ticket | ticket-number | quick-reply | notice | retry | typing |
 * input | counter | send | announce.  window.Jiesu = { open(), close(), toggle(), sessionId }.
 */
// @ts-check
(() => {
  'use strict';

  /**
   * What the page can call, as `window.Jiesu`.
   * @typedef {{ version: string, open(): void, close(): void, toggle(): void, sessionId: string | null }} JiesuApi
   */
  const host = /** @type {Window & { Jiesu?: JiesuApi }} */ (window);
  if (host.Jiesu && host.Jiesu.version) return; // included twice: keep the first

  const VERSION = '1';
  const MAX_LEN = 2000;
  const SEND_RETRY_DELAYS = [1000, 2000, 4000, 8000]; // 503 / network: up to 4 retries, then a retry button
  const WS_MAX_DELAY = 30000;
  const SESSION_KEY = 'jiesu.sessionId';
  const MAX_PHOTOS = 3;
  const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
  // What the server stores (re-encoded). HEIC is not listed: given this list, iPhones convert to JPEG on upload.
  const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
  const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  /** A phrase, or one built from a count (and the text it is about). */
  /** @typedef {string | ((n: number, text: string) => string)} Phrase */
  const I18N = /** @satisfies {Record<'zh' | 'en', Record<string, Phrase>>} */ ({
    zh: {
      toggle: '12345 在线咨询',
      title: '12345 在线咨询',
      subtitle: '北京市民服务热线 · 接诉即办',
      close: '关闭',
      welcome:
        '您好，这里是12345市民服务热线在线咨询。请直接描述您要咨询的事项或反映的问题，' +
        '例如“社保卡丢了怎么补办”“小区门口的井盖丢了”，我们会即时答复或为您登记工单。',
      placeholder: '请输入您要咨询或反映的问题…',
      send: '发送',
      inputLabel: '输入消息',
      logLabel: '对话记录',
      busy: '系统繁忙，正在重试…',
      offline: '连接已断开，正在重新连接…',
      failed: '发送失败',
      failedHint: '消息未能送达，请点击“重试”。',
      retry: '重试',
      tooLong: `内容过长，最多 ${MAX_LEN} 字。`,
      badRequest: '消息无法发送，请修改后重试。',
      emptyText: '消息不能为空。',
      rateLimited: '发送过于频繁，请稍后再试。',
      ticket: '工单号',
      copy: '复制',
      copied: '已复制',
      typing: '正在回复…',
      quickReplies: '快捷回复',
      newReply: (n, text) => `12345 在线咨询有 ${n} 条新消息：${text}`,
      bot: '12345 智能客服',
      agent: '人工客服',
      sending: '发送中…',
      foot: '紧急情况请拨打 110 / 119 / 120',
      unread: (n) => `${n} 条新消息`,
      addPhoto: '添加图片',
      photos: '待发送的图片',
      removePhoto: (n) => `移除第 ${n} 张图片`,
      photo: (n) => `图片 ${n}`,
      photoTooLarge: '每张图片不能超过 10 MB。',
      photoType: '只能发送 JPG、PNG 或 WebP 格式的图片。',
      tooManyPhotos: `每条消息最多 ${MAX_PHOTOS} 张图片。`,
      photoUnreadable: '这张图片无法识别，请换一张。',
      photosOnly: '[图片]',
    },
    en: {
      toggle: '12345 Online Help',
      title: '12345 Online Help',
      subtitle: 'Beijing Citizen Service Hotline',
      close: 'Close',
      welcome:
        'Hello, this is the 12345 Citizen Service Hotline online desk. Ask a question or describe a problem, ' +
        'e.g. "How do I replace a lost social security card?" — we answer at once or register a ticket for you.',
      placeholder: 'Type your question or report…',
      send: 'Send',
      inputLabel: 'Message',
      logLabel: 'Conversation',
      busy: 'The service is busy, retrying…',
      offline: 'Connection lost, reconnecting…',
      failed: 'Not sent',
      failedHint: 'The message could not be delivered. Press "Retry".',
      retry: 'Retry',
      tooLong: `Too long: at most ${MAX_LEN} characters.`,
      badRequest: 'This message cannot be sent. Please edit it and try again.',
      emptyText: 'The message is empty.',
      rateLimited: 'Too many messages. Please wait a moment.',
      ticket: 'Ticket',
      copy: 'Copy',
      copied: 'Copied',
      typing: 'Replying…',
      quickReplies: 'Quick replies',
      newReply: (n, text) => `12345 Online Help, ${n} new message${n === 1 ? '' : 's'}: ${text}`,
      bot: '12345 Assistant',
      agent: 'Agent',
      sending: 'Sending…',
      foot: 'Emergencies: call 110 / 119 / 120',
      unread: (n) => `${n} new message${n === 1 ? '' : 's'}`,
      addPhoto: 'Add a photo',
      photos: 'Photos to send',
      removePhoto: (n) => `Remove photo ${n}`,
      photo: (n) => `Photo ${n}`,
      photoTooLarge: 'Each photo must be 10 MB or smaller.',
      photoType: 'Only JPG, PNG or WebP photos can be sent.',
      tooManyPhotos: `At most ${MAX_PHOTOS} photos per message.`,
      photoUnreadable: 'This photo cannot be read. Please choose another.',
      photosOnly: '[Photo]',
    },
  });

  // ---- where we come from -------------------------------------------------------------------------------------

  const script =
    /** @type {HTMLScriptElement | null} */ (document.currentScript) ||
    Array.from(document.getElementsByTagName('script')).find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src)) ||
    null;
  const scriptUrl = new URL(script && script.src ? script.src : '/widget/widget.js', location.href);
  const dataset = (script && script.dataset) || {};
  const base = (dataset.endpoint ? new URL(dataset.endpoint, location.href).href : scriptUrl.origin).replace(/\/+$/, '');
  const wsBase = base.replace(/^http/i, 'ws');

  const lang = pickLang();
  const t = I18N[lang];

  function pickLang() {
    const wanted = String(dataset.lang || document.documentElement.lang || navigator.language || 'zh').toLowerCase();
    return wanted.startsWith('en') ? 'en' : 'zh';
  }

  // ---- small utilities ----------------------------------------------------------------------------------------

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') {
      try {
        return crypto.randomUUID(); // needs a secure context; fall through on plain http
      } catch (_) {
        /* fall through */
      }
    }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** @type {string | null} */
  let memorySessionId = null; // when localStorage is blocked (private mode, sandboxed iframes)
  function getSessionId() {
    let id = null;
    try {
      id = localStorage.getItem(SESSION_KEY);
    } catch (_) {
      id = memorySessionId;
    }
    if (!id || !UUID_RE.test(id)) {
      id = uuid();
      memorySessionId = id;
      try {
        localStorage.setItem(SESSION_KEY, id);
      } catch (_) {
        /* memory only */
      }
    }
    return id;
  }
  function hasStoredSession() {
    try {
      return UUID_RE.test(localStorage.getItem(SESSION_KEY) || '');
    } catch (_) {
      return false;
    }
  }

  /** @param {number} ms */
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** @param {number} ms */
  const jitter = (ms) => Math.round(ms * (0.75 + Math.random() * 0.5));
  /** @param {unknown} s */
  const norm = (s) => String(s == null ? '' : s).normalize('NFKC').replace(/\s+/g, ' ').trim();

  /**
   * Builds an element. Attributes go through setAttribute (never `style`), text through textContent.
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string | null} [className]
   * @param {Record<string, string | number | null | undefined> | null} [attrs]
   * @param {string | number | null} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, className, attrs, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (attrs) for (const k of Object.keys(attrs)) if (attrs[k] != null) node.setAttribute(k, String(attrs[k]));
    if (text != null) node.textContent = String(text);
    return node;
  }

  /**
   * @param {string[]} paths
   * @param {number} [size]
   */
  function svgIcon(paths, size) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', String(size || 20));
    svg.setAttribute('height', String(size || 20));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const d of paths) {
      const p = document.createElementNS(NS, 'path');
      p.setAttribute('d', d);
      p.setAttribute('fill', 'currentColor');
      svg.appendChild(p);
    }
    return svg;
  }
  const ICON_CHAT = [
    'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-4.3 3.4A.5.5 0 0 1 4 21v-3a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.25 1.25 0 1 0 0 2.5A1.25 1.25 0 0 0 7 10zm5 0a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5zm5 0a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5z',
  ];
  const ICON_CAMERA = [
    'M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9zm0 2a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z',
  ];
  const ICON_CLOSE = [
    'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z',
  ];

  /**
   * Appends text to `parent`, turning http(s) URLs into links; everything else stays a text node.
   * @param {HTMLElement} parent
   * @param {string} text
   */
  function appendRichText(parent, text) {
    const re = /https?:\/\/[^\s<>"'，。；、！？）】」]+/gi;
    let last = 0;
    let m;
    while ((m = re.exec(text))) {
      let href = m[0].replace(/[.,;:!?)\]]+$/, '');
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      let url = null;
      try {
        url = new URL(href);
      } catch (_) {
        url = null;
      }
      if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
        const a = el('a', 'jiesu-link', { href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, href);
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(href));
      }
      last = m.index + href.length;
      re.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Times are shown in the hotline's time zone (the gateway names it in every answer), not the browser's: a
  // ticket's deadline is written in the hotline's time, and a visitor abroad must read both on one clock.
  /** @type {Record<string, Intl.DateTimeFormat>} */
  const timeFormats = {};
  /**
   * @param {'hm' | 'day' | 'ymd'} kind
   * @returns {Intl.DateTimeFormat}
   */
  function timeFormat(kind) {
    const key = `${kind}|${state.timeZone}`;
    if (!timeFormats[key]) {
      /** @type {Intl.DateTimeFormatOptions} */
      const opts = { timeZone: state.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
      if (kind === 'day') Object.assign(opts, { month: lang === 'zh' ? 'long' : 'short', day: 'numeric' });
      if (kind === 'ymd') Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit', hour: undefined, minute: undefined, hourCycle: undefined });
      try {
        timeFormats[key] = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', opts);
      } catch (_) {
        state.timeZone = DEFAULT_TIME_ZONE; // an unknown zone from an old gateway: fall back, never throw
        return timeFormat(kind);
      }
    }
    return timeFormats[key];
  }
  /** @param {number} ms */
  function formatTime(ms) {
    if (!Number.isFinite(ms)) return '';
    const sameDay = timeFormat('ymd').format(ms) === timeFormat('ymd').format(Date.now());
    return timeFormat(sameDay ? 'hm' : 'day').format(ms);
  }
  /** @param {{ timeZone?: unknown } | null} data a server answer, which names the hotline's time zone */
  function noteTimeZone(data) {
    if (!data || typeof data.timeZone !== 'string' || !data.timeZone || data.timeZone === state.timeZone) return;
    state.timeZone = data.timeZone;
    for (const li of ui.log ? ui.log.querySelectorAll('[data-at]') : []) {
      const t = li.querySelector('.jiesu-time');
      if (t) t.textContent = formatTime(Number(li.getAttribute('data-at')));
    }
  }

  // ---- DOM ----------------------------------------------------------------------------------------------------

  /**
   * The widget's elements, made once by build().
   * @typedef {{ root: HTMLDivElement, toggle: HTMLButtonElement, badge: HTMLSpanElement, panel: HTMLElement,
   *   close: HTMLButtonElement, status: HTMLDivElement, scroller: HTMLDivElement, welcome: HTMLDivElement,
   *   log: HTMLOListElement, typing: HTMLDivElement, form: HTMLFormElement, input: HTMLTextAreaElement,
   *   counter: HTMLDivElement, send: HTMLButtonElement, announce: HTMLDivElement, photoButton: HTMLButtonElement,
   *   fileInput: HTMLInputElement, photos: HTMLUListElement }} Ui
   */
  const ui = /** @type {Ui} */ ({});
  const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
  /**
   * A message on its way: queued, being sent, or waiting to be retried.
   * @typedef {{ messageId: string, text: string, action?: string, photos: Photo[], photoIds: string[] | null, node: MessageNode, notice: HTMLElement | null }} Outgoing
   */
  /**
   * A message in the log, with what the widget keeps on it: its text as compared with the server's items, the
   * outgoing message it shows while that is not confirmed, and whether a reply without an id was matched to it.
   * @typedef {HTMLLIElement & { _jiesuText?: string, _jiesuJob?: Outgoing | null, _jiesuClaimed?: boolean }} MessageNode
   */
  /**
   * Who wrote a message in the log.
   * @typedef {'citizen' | 'agent' | 'bot'} From
   */
  /**
   * One message as the server sends it (history, a POST's answer, a WebSocket frame). Read defensively: a field
   * may be missing, or of another type from an older gateway.
   * @typedef {{ id?: string | number | null, from?: string, kind?: string, text?: string | null, ticketNumber?: string,
   *   quickReplies?: unknown, at?: string | number }} ServerItem
   */
  /**
   * An error answer: a code and a reason a person can read.
   * @typedef {{ error?: unknown, reason?: unknown, field?: unknown, rule?: unknown }} ErrorBody
   */
  /**
   * What the server's JSON answers may carry: the messages (history, a POST's answer), the replies (an older
   * gateway's POST answer), uploaded photos, the hotline's time zone, or an error. Each use checks what it reads.
   * @typedef {ErrorBody & { messages?: unknown, replies?: unknown, photos?: unknown, timeZone?: unknown }} ServerAnswer
   */
  /**
   * A picture chosen for the next message, with its preview as a data: URL once read.
   * @typedef {{ file: File, preview: string }} Photo
   */
  /**
   * @type {{ timeZone: string, open: boolean, started: boolean, sessionId: string, byId: Map<string, MessageNode>,
   *   echoes: Map<string, MessageNode>, queue: Outgoing[], sending: boolean, ws: WebSocket | null, wsAttempts: number,
   *   wsTimer: ReturnType<typeof setTimeout> | undefined, offlineTimer: ReturnType<typeof setTimeout> | undefined,
   *   historyRetries: number, unread: number, busyShown: boolean, stick: boolean, scrollFrame: number, photos: Photo[] }}
   */
  const state = {
    timeZone: DEFAULT_TIME_ZONE,
    open: false,
    started: false,
    sessionId: '', // set when the conversation starts
    byId: new Map(), // server message id -> element
    echoes: new Map(), // messageId -> local echo element, until a server item adopts it
    queue: [],
    sending: false,
    ws: null,
    wsAttempts: 0,
    wsTimer: undefined,
    offlineTimer: undefined,
    historyRetries: 0,
    unread: 0,
    busyShown: false,
    stick: true, // the log is scrolled to the bottom (set by the reader's scrolling)
    scrollFrame: 0,
    photos: [], // {file, preview} chosen for the next message
  };

  function build() {
    const root = el('div', 'jiesu-root', { 'data-jiesu': 'root', lang: lang === 'zh' ? 'zh-CN' : 'en' });
    root.hidden = true; // until widget.css has loaded, so the host page never sees raw markup

    const toggle = el('button', 'jiesu-toggle', {
      type: 'button',
      'data-jiesu': 'toggle',
      'aria-expanded': 'false',
      'aria-controls': 'jiesu-panel',
    });
    const toggleIcon = el('span', 'jiesu-toggle-icon');
    toggleIcon.appendChild(svgIcon(ICON_CHAT, 22));
    const badge = el('span', 'jiesu-badge', { 'data-jiesu': 'badge' });
    badge.hidden = true;
    toggle.append(toggleIcon, el('span', 'jiesu-toggle-label', null, t.toggle), badge);

    const panel = el('section', 'jiesu-panel', {
      id: 'jiesu-panel',
      'data-jiesu': 'panel',
      role: 'dialog',
      'aria-label': t.title,
    });
    panel.hidden = true;

    // A <div>, not <header>: a <header> here would add a second banner landmark to the host page.
    const header = el('div', 'jiesu-header');
    const logo = el('span', 'jiesu-logo', { 'aria-hidden': 'true' }, '12345');
    const titles = el('div', 'jiesu-titles');
    titles.append(el('div', 'jiesu-title', null, t.title), el('div', 'jiesu-subtitle', null, t.subtitle));
    const close = el('button', 'jiesu-close', { type: 'button', 'data-jiesu': 'close', 'aria-label': t.close, title: t.close });
    close.appendChild(svgIcon(ICON_CLOSE, 20));
    header.append(logo, titles, close);

    const status = el('div', 'jiesu-status', { 'data-jiesu': 'status', role: 'status', 'aria-live': 'polite' });
    status.hidden = true;

    const scroller = el('div', 'jiesu-scroll', { 'data-jiesu': 'scroll' });
    // The log role sits on a wrapper so the <ol> keeps its list semantics, and the welcome is part of the log.
    const conversation = el('div', 'jiesu-conversation', { role: 'log', 'aria-live': 'polite', 'aria-label': t.logLabel });
    const welcome = el('div', 'jiesu-welcome', { 'data-jiesu': 'welcome' });
    const welcomeBubble = el('div', 'jiesu-bubble', null, t.welcome);
    welcome.appendChild(welcomeBubble);
    const log = el('ol', 'jiesu-log', { 'data-jiesu': 'log' });
    conversation.append(welcome, log);
    const typing = el('div', 'jiesu-typing', { 'data-jiesu': 'typing', role: 'status' });
    typing.append(el('span', null, { 'aria-hidden': 'true' }), el('span', null, { 'aria-hidden': 'true' }), el('span', null, { 'aria-hidden': 'true' }));
    typing.append(el('span', 'jiesu-sr', null, t.typing));
    typing.hidden = true;
    scroller.append(conversation, typing);

    const form = el('form', 'jiesu-composer', { 'data-jiesu': 'composer', novalidate: '' });
    const inputWrap = el('div', 'jiesu-input-wrap');
    const input = el('textarea', 'jiesu-input', {
      'data-jiesu': 'input',
      rows: '1',
      maxlength: String(MAX_LEN),
      placeholder: t.placeholder,
      'aria-label': t.inputLabel,
      enterkeyhint: 'send',
    });
    const counter = el('div', 'jiesu-counter', { 'data-jiesu': 'counter', 'aria-live': 'off' }, `0/${MAX_LEN}`);
    inputWrap.append(input, counter);
    const send = el('button', 'jiesu-send', { type: 'submit', 'data-jiesu': 'send' }, t.send);
    send.disabled = true;
    // The photo button opens the phone's chooser (camera or gallery); the file input itself is never focused.
    const photoButton = el('button', 'jiesu-photo-button', { type: 'button', 'data-jiesu': 'photo-button', 'aria-label': t.addPhoto, title: t.addPhoto });
    photoButton.appendChild(svgIcon(ICON_CAMERA, 22));
    const fileInput = el('input', null, { type: 'file', accept: PHOTO_TYPES.join(','), multiple: '', 'data-jiesu': 'photo-input', tabindex: '-1', 'aria-hidden': 'true' });
    fileInput.hidden = true;
    const photos = el('ul', 'jiesu-photos', { 'data-jiesu': 'photos', 'aria-label': t.photos });
    photos.hidden = true;
    form.append(photoButton, fileInput, inputWrap, send);

    const foot = el('div', 'jiesu-foot', null, t.foot);

    panel.append(header, status, scroller, photos, form, foot);
    // Outside the panel, so it is heard while the panel is closed.
    const announce = el('div', 'jiesu-sr', { 'data-jiesu': 'announce', role: 'status', 'aria-live': 'polite' });
    root.append(panel, toggle, announce);

    Object.assign(ui, { root, toggle, badge, panel, close, status, scroller, welcome, log, typing, form, input, counter, send, announce, photoButton, fileInput, photos });
    photoButton.addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      addPhotos(Array.from(fileInput.files || []));
      fileInput.value = '';
      photoButton.focus();
    });

    toggle.addEventListener('click', () => setOpen(!state.open));
    close.addEventListener('click', () => setOpen(false));
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
      } else if (e.key === 'Tab' && ui.panel.getAttribute('aria-modal') === 'true') {
        trapTab(e);
      }
    });
    PHONE.addEventListener('change', applyModal);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitInput();
    });
    input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter is a newline; never send while an IME (pinyin) is composing.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submitInput();
      }
    });
    input.addEventListener('input', onInputChange);
    scroller.addEventListener('scroll', () => {
      if (!state.scrollFrame) state.stick = isNearBottom();
    }, { passive: true });
    // The composer growing, the phone keyboard opening, the panel showing: stay at the bottom if we were there.
    if (window.ResizeObserver) new ResizeObserver(() => scrollToBottom(false)).observe(scroller);

    // Styles: the sibling widget.css (style-src 'self' allows it; no inline <style> needed).
    const link = el('link', null, { rel: 'stylesheet', href: new URL('widget.css', scriptUrl).href, 'data-jiesu': 'css' });
    let shown = false;
    const reveal = () => {
      if (shown) return;
      shown = true;
      root.hidden = false;
    };
    link.addEventListener('load', reveal);
    link.addEventListener('error', reveal);
    setTimeout(reveal, 4000);
    (document.head || document.documentElement).appendChild(link);
    document.body.appendChild(root);
  }

  function onInputChange() {
    const len = ui.input.value.length;
    ui.counter.textContent = `${len}/${MAX_LEN}`;
    ui.counter.classList.toggle('jiesu-counter--warn', len > MAX_LEN * 0.9);
    ui.send.disabled = (ui.input.value.trim().length === 0 && state.photos.length === 0) || len > MAX_LEN;
    autosize();
  }

  function autosize() {
    // CSSOM writes are allowed under style-src 'self' (only style attributes in markup are blocked).
    ui.input.style.height = 'auto';
    ui.input.style.height = `${Math.min(ui.input.scrollHeight + 2, 132)}px`;
  }

  // ---- open / close -------------------------------------------------------------------------------------------

  const PHONE = window.matchMedia('(max-width: 480px)');

  /** @param {boolean} open */
  function setOpen(open) {
    state.open = open;
    ui.panel.hidden = !open;
    ui.toggle.setAttribute('aria-expanded', String(open));
    ui.root.classList.toggle('jiesu-is-open', open);
    document.documentElement.classList.toggle('jiesu-lock', open);
    applyModal();
    if (open) {
      start();
      state.unread = 0;
      renderBadge();
      ui.announce.textContent = '';
      scrollToBottom(true);
      if (!PHONE.matches) ui.input.focus();
      else ui.close.focus({ preventScroll: true });
      refreshOfflineNotice();
    } else if (ui.root.contains(document.activeElement) || document.activeElement === document.body) {
      ui.toggle.focus({ preventScroll: true });
    }
  }

  /**
   * At phone width the open panel covers the page: it is a modal dialog and everything else on the page is
   * inert (out of the Tab order and the accessibility tree). Undone on close or when the window grows.
   */
  /** @type {HTMLElement[]} */
  const madeInert = [];
  function applyModal() {
    const modal = state.open && PHONE.matches;
    if (modal) {
      ui.panel.setAttribute('aria-modal', 'true');
      if (madeInert.length) return;
      for (const node of /** @type {HTMLCollectionOf<HTMLElement>} */ (document.body.children)) {
        if (node === ui.root || node.inert || node.tagName === 'SCRIPT') continue;
        node.inert = true;
        madeInert.push(node);
      }
    } else {
      ui.panel.removeAttribute('aria-modal');
      for (let node = madeInert.pop(); node; node = madeInert.pop()) node.inert = false;
    }
  }

  /**
   * Tab from the last control goes round to the first (Shift+Tab the other way): the modal keeps the focus.
   * @param {KeyboardEvent} e
   */
  function trapTab(e) {
    const controls = /** @type {NodeListOf<HTMLElement & { disabled?: boolean }>} */ (ui.panel.querySelectorAll('button, textarea, a[href], [tabindex="0"]'));
    const focusable = Array.from(controls).filter(
      (n) => !n.disabled && n.getClientRects().length > 0,
    );
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    }
  }

  /** After an action whose button disabled or removed itself, the conversation keeps the focus: the input. */
  function keepFocus() {
    if (state.open && (ui.panel.contains(document.activeElement) || document.activeElement === document.body)) {
      ui.input.focus({ preventScroll: true });
    }
  }

  function renderBadge() {
    ui.badge.hidden = state.unread === 0;
    ui.badge.textContent = state.unread === 0 ? '' : state.unread > 99 ? '99+' : String(state.unread);
    ui.badge.setAttribute('aria-label', t.unread(state.unread));
  }

  function start() {
    if (state.started) return;
    state.started = true;
    state.sessionId = getSessionId();
    api.sessionId = state.sessionId;
    syncHistory();
    connectWs();
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  function isNearBottom() {
    const s = ui.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }
  /**
   * Follows new messages while the reader is at the bottom; leaves them alone when they scrolled up to read.
   * @param {boolean} force
   */
  function scrollToBottom(force) {
    if (!force && !state.stick) return;
    state.stick = true;
    if (state.scrollFrame) return;
    state.scrollFrame = requestAnimationFrame(() => {
      state.scrollFrame = 0;
      ui.scroller.scrollTop = ui.scroller.scrollHeight;
    });
  }

  /**
   * @param {unknown} list the server's quick replies
   * @returns {{ label: string, payload: string }[]}
   */
  function cleanQuickReplies(list) {
    if (!Array.isArray(list)) return [];
    return list
      .filter((q) => q && typeof q.label === 'string' && q.label.trim())
      .slice(0, 12)
      .map((q) => ({ label: q.label, payload: typeof q.payload === 'string' ? q.payload : q.label }));
  }

  /**
   * @param {ServerItem} item
   * @param {From} from
   * @returns {MessageNode}
   */
  function buildMessage(item, from) {
    /** @type {MessageNode} */
    const li = el('li', `jiesu-msg jiesu-msg--${from}`, { 'data-jiesu': 'message', 'data-from': from });
    const kind = typeof item.kind === 'string' && /^[a-z][a-z0-9_-]{0,31}$/i.test(item.kind) ? item.kind : null;
    if (kind) {
      li.setAttribute('data-kind', kind);
      li.classList.add(`jiesu-kind-${kind}`);
    }
    if (from === 'agent') li.appendChild(el('div', 'jiesu-sender', null, t.agent));
    const text = typeof item.text === 'string' ? item.text : '';
    li._jiesuText = norm(text);
    if (text) {
      const bubble = el('div', 'jiesu-bubble', { 'data-jiesu': 'bubble' });
      appendRichText(bubble, text);
      li.appendChild(bubble);
    }
    if (typeof item.ticketNumber === 'string' && item.ticketNumber) li.appendChild(buildTicket(item.ticketNumber));
    const quick = cleanQuickReplies(item.quickReplies);
    if (quick.length && from !== 'citizen') li.appendChild(buildQuickReplies(quick));
    const meta = el('div', 'jiesu-meta');
    const time = el('time', 'jiesu-time');
    meta.appendChild(time);
    li.appendChild(meta);
    setTimestamp(li, item.at);
    return li;
  }

  /**
   * @param {HTMLElement} li
   * @param {unknown} at
   */
  function setTimestamp(li, at) {
    const ms = typeof at === 'string' || typeof at === 'number' ? Date.parse(String(at)) : NaN;
    const time = li.querySelector('.jiesu-time');
    if (Number.isFinite(ms)) {
      li.setAttribute('data-at', String(ms));
      if (time) {
        time.setAttribute('datetime', new Date(ms).toISOString());
        time.textContent = formatTime(ms);
      }
    } else if (time && !time.textContent) {
      time.textContent = formatTime(Date.now());
    }
  }

  /** @param {string} number */
  function buildTicket(number) {
    const card = el('div', 'jiesu-ticket', { 'data-jiesu': 'ticket' });
    card.append(
      el('span', 'jiesu-ticket-label', null, t.ticket),
      el('strong', 'jiesu-ticket-no', { 'data-jiesu': 'ticket-number' }, number),
    );
    if (navigator.clipboard && window.isSecureContext) {
      const copy = el('button', 'jiesu-ticket-copy', { type: 'button', 'data-jiesu': 'ticket-copy' }, t.copy);
      copy.addEventListener('click', () => {
        navigator.clipboard.writeText(number).then(
          () => {
            copy.textContent = t.copied;
            setTimeout(() => (copy.textContent = t.copy), 1500);
          },
          () => {},
        );
      });
      card.appendChild(copy);
    }
    return card;
  }

  /** @param {{ label: string, payload: string }[]} quick */
  function buildQuickReplies(quick) {
    const box = el('div', 'jiesu-quick', { role: 'group', 'aria-label': t.quickReplies });
    for (const q of quick) {
      const b = el('button', 'jiesu-quick-btn', { type: 'button', 'data-jiesu': 'quick-reply', 'data-payload': q.payload }, q.label);
      b.addEventListener('click', () => {
        if (b.disabled) return;
        b.classList.add('jiesu-chosen');
        enqueue(q.label, q.payload);
        keepFocus();
      });
      box.appendChild(b);
    }
    return box;
  }

  /** Quick replies are live only on bot messages after the citizen's last message. */
  function refreshQuickReplies() {
    const items = Array.from(ui.log.children);
    let lastCitizen = -1;
    items.forEach((n, i) => {
      if (n.getAttribute('data-from') === 'citizen') lastCitizen = i;
    });
    items.forEach((n, i) => {
      const buttons = /** @type {NodeListOf<HTMLButtonElement>} */ (n.querySelectorAll('[data-jiesu="quick-reply"]'));
      for (const b of buttons) b.disabled = i < lastCitizen;
    });
  }

  function lastTimed() {
    const nodes = ui.log.querySelectorAll('[data-at]');
    return nodes.length ? nodes[nodes.length - 1] : null;
  }

  /**
   * Appends, unless the item is older than the newest timestamped message: then it goes into time order.
   * @param {MessageNode} node
   */
  function insert(node) {
    const at = Number(node.getAttribute('data-at'));
    const last = lastTimed();
    if (!node.hasAttribute('data-at') || !last || at >= Number(last.getAttribute('data-at'))) {
      ui.log.appendChild(node);
      return;
    }
    for (const other of ui.log.querySelectorAll('[data-at]')) {
      if (Number(other.getAttribute('data-at')) > at) {
        ui.log.insertBefore(node, other);
        return;
      }
    }
    ui.log.appendChild(node);
  }

  /**
   * Finds a rendered element without a server id that this server item is the confirmation of.
   * @param {ServerItem} item
   * @param {From} from
   * @returns {MessageNode | null}
   */
  function adopt(item, from) {
    const id = String(item.id);
    if (from === 'citizen') {
      for (const [messageId, node] of state.echoes) {
        if (id === messageId || id.endsWith(`:${messageId}`) || id.includes(messageId)) {
          state.echoes.delete(messageId);
          return node;
        }
      }
    }
    const text = norm(item.text);
    for (const node of /** @type {HTMLCollectionOf<MessageNode>} */ (ui.log.children)) {
      if (node.hasAttribute('data-id') || node.getAttribute('data-from') !== from) continue;
      if (node.classList.contains('jiesu-msg--failed') && !node._jiesuJob) continue; // rejected (4xx): never stored
      if (node._jiesuText === text) {
        for (const [messageId, n] of state.echoes) if (n === node) state.echoes.delete(messageId);
        return node;
      }
    }
    return null;
  }

  /**
   * Renders one server item (history, POST response, WebSocket frame), once per id.
   * opts.live: it just happened (counts as unread while the panel is closed).
   * @param {ServerItem | null | undefined} raw
   * @param {{ live: boolean, fromHistory?: boolean }} [opts]
   */
  function renderItem(raw, opts) {
    if (!raw || typeof raw !== 'object') return;
    /** @type {From} */
    const from = raw.from === 'citizen' || raw.from === 'agent' ? raw.from : 'bot';
    const hasId = raw.id != null && raw.id !== '';
    const item = { ...raw, from };
    // The number card belongs to the confirmation; later feedback about the same ticket mentions it in text.
    if (item.kind && item.kind !== 'ticket') delete item.ticketNumber;
    if (typeof item.text !== 'string') item.text = item.text == null ? '' : String(item.text);
    if (!item.text && !item.ticketNumber) return;

    const existing = hasId ? state.byId.get(String(raw.id)) : undefined;
    if (existing) {
      if (item.ticketNumber && !existing.querySelector('[data-jiesu="ticket"]')) {
        existing.insertBefore(buildTicket(item.ticketNumber), existing.querySelector('.jiesu-meta'));
      }
      return;
    }

    let node = hasId ? adopt(item, from) : null;
    if (node) {
      node.setAttribute('data-id', String(raw.id));
      node.classList.remove('jiesu-msg--pending', 'jiesu-msg--failed');
      if (node._jiesuJob) confirmJob(node._jiesuJob); // the server has it after all: no retry needed
      setTimestamp(node, item.at);
      if (item.ticketNumber && !node.querySelector('[data-jiesu="ticket"]')) {
        node.insertBefore(buildTicket(item.ticketNumber), node.querySelector('.jiesu-meta'));
      }
      state.byId.set(String(raw.id), node);
      return;
    }

    node = buildMessage(item, from);
    if (hasId) {
      node.setAttribute('data-id', String(raw.id));
      state.byId.set(String(raw.id), node);
    }
    insert(node);
    refreshQuickReplies();
    if (from !== 'citizen' && opts && opts.live && !state.open) {
      state.unread += 1;
      renderBadge();
      const text = item.ticketNumber ? `${item.text} ${t.ticket} ${item.ticketNumber}` : item.text;
      ui.announce.textContent = t.newReply(state.unread, text.length > 120 ? `${text.slice(0, 120)}…` : text);
    }
    scrollToBottom(from === 'citizen' && !(opts && opts.fromHistory));
  }

  /**
   * @param {string} text
   * @param {HTMLElement} [afterNode]
   */
  function addNotice(text, afterNode) {
    const n = el('li', 'jiesu-notice', { 'data-jiesu': 'notice', role: 'alert' }, text);
    if (afterNode && afterNode.parentNode === ui.log) afterNode.after(n);
    else ui.log.appendChild(n);
    scrollToBottom(true);
    return n;
  }

  /** @param {string} text */
  function setStatus(text) {
    ui.status.textContent = text || '';
    ui.status.hidden = !text;
  }

  // ---- sending ------------------------------------------------------------------------------------------------

  function submitInput() {
    const raw = ui.input.value;
    const text = raw.trim();
    const photos = state.photos.splice(0);
    if (!text && !photos.length) return;
    if (raw.length > MAX_LEN) {
      state.photos.push(...photos);
      addNotice(t.tooLong);
      return;
    }
    ui.input.value = '';
    renderPhotos();
    onInputChange(); // disables 发送, which may hold the focus
    enqueue(text, undefined, photos);
    keepFocus();
  }

  // ---- photos -------------------------------------------------------------------------------------------------

  /**
   * Takes the chosen files that fit (type, size, count), saying in the citizen's language why any did not.
   * @param {File[]} files
   */
  function addPhotos(files) {
    for (const file of files) {
      if (state.photos.length >= MAX_PHOTOS) {
        addNotice(t.tooManyPhotos);
        break;
      }
      if (PHOTO_TYPES.indexOf(file.type) < 0) {
        addNotice(t.photoType);
        continue;
      }
      if (file.size > MAX_PHOTO_BYTES) {
        addNotice(t.photoTooLarge);
        continue;
      }
      const photo = { file, preview: '' };
      state.photos.push(photo);
      const reader = new FileReader();
      // A data: URL, not a blob: one — the host page's CSP allows data: images more often than blob: ones.
      reader.onload = () => {
        photo.preview = String(reader.result || '');
        renderPhotos();
      };
      reader.readAsDataURL(file);
    }
    renderPhotos();
    onInputChange();
  }

  function renderPhotos() {
    ui.photos.replaceChildren(
      ...state.photos.map((photo, i) => {
        const li = el('li', 'jiesu-photo', { 'data-jiesu': 'photo' });
        if (photo.preview) li.appendChild(el('img', null, { src: photo.preview, alt: t.photo(i + 1) }));
        else li.appendChild(el('span', 'jiesu-photo-name', null, t.photo(i + 1)));
        const remove = el('button', 'jiesu-photo-remove', { type: 'button', 'aria-label': t.removePhoto(i + 1), title: t.removePhoto(i + 1) });
        remove.appendChild(svgIcon(ICON_CLOSE, 14));
        remove.addEventListener('click', () => {
          state.photos.splice(i, 1);
          renderPhotos();
          onInputChange();
          ui.photoButton.focus();
        });
        li.appendChild(remove);
        return li;
      }),
    );
    ui.photos.hidden = state.photos.length === 0;
  }

  /**
   * Uploads a message's photos once; a retried message reuses the ids. Returns a Response when it failed.
   * @param {Outgoing} job
   */
  async function uploadPhotos(job) {
    const form = new FormData();
    form.append('sessionId', state.sessionId);
    for (const p of job.photos) form.append('photos', p.file, p.file.name || 'photo');
    let res = null;
    try {
      res = await fetch(`${base}/api/webchat/photos`, { method: 'POST', headers: { accept: 'application/json' }, body: form });
    } catch (_) {
      return null;
    }
    if (!res.ok) return res;
    const data = (await readJson(res)) || {};
    job.photoIds = Array.isArray(data.photos) ? data.photos.map((/** @type {{ id?: unknown }} */ p) => p.id).filter((/** @type {unknown} */ id) => typeof id === 'string') : [];
    return res;
  }

  /**
   * @param {number} status
   * @param {ErrorBody} data
   */
  function explainPhoto(status, data) {
    const code = typeof data.error === 'string' ? data.error : '';
    if (code === 'photo_too_large' || status === 413) return t.photoTooLarge;
    if (code === 'invalid_request' && data.rule === 'too_many') return t.tooManyPhotos;
    if (code === 'photo_unsupported_type' || status === 415) return t.photoType;
    if (code === 'invalid_request' && data.rule === 'unreadable') return t.photoUnreadable;
    return explain(status, data);
  }

  /**
   * @param {string} text
   * @param {string} [action]
   * @param {Photo[]} [photos]
   */
  function enqueue(text, action, photos) {
    start();
    const chosen = photos || [];
    const echo = buildMessage({ text: text || (chosen.length ? t.photosOnly : '') }, 'citizen');
    /** @type {Outgoing} */
    const job = { messageId: uuid(), text, action, photos: chosen, photoIds: null, node: echo, notice: null };
    if (job.photos.length) {
      const strip = el('div', 'jiesu-msg-photos');
      job.photos.forEach((p, i) => p.preview && strip.appendChild(el('img', null, { src: p.preview, alt: t.photo(i + 1) })));
      echo.insertBefore(strip, echo.querySelector('.jiesu-meta'));
    }
    echo.classList.add('jiesu-msg--pending');
    /** @type {HTMLElement} */ (echo.querySelector('.jiesu-time')).textContent = t.sending;
    echo._jiesuJob = job;
    state.echoes.set(job.messageId, echo);
    ui.log.appendChild(echo);
    refreshQuickReplies();
    scrollToBottom(true);
    state.queue.push(job);
    pump();
  }

  async function pump() {
    if (state.sending) return;
    const job = state.queue.shift();
    if (!job) {
      ui.typing.hidden = true;
      return;
    }
    state.sending = true;
    ui.typing.hidden = false;
    scrollToBottom(false);
    try {
      await deliver(job);
    } finally {
      state.sending = false;
      if (!state.queue.length) ui.typing.hidden = true;
      pump();
    }
  }

  /** @param {Response | null} res */
  function retryAfterMs(res) {
    const h = res && res.headers.get('Retry-After');
    if (!h) return null;
    const secs = Number(h);
    if (Number.isFinite(secs)) return secs * 1000;
    const when = Date.parse(h);
    return Number.isFinite(when) ? when - Date.now() : null;
  }

  /**
   * The body as JSON, or null when it is not.
   * @param {Response} res
   * @returns {Promise<ServerAnswer | null>}
   */
  async function readJson(res) {
    try {
      return await res.json();
    } catch (_) {
      return null;
    }
  }

  /**
   * POSTs the message (after its photos, once): the response (null when the network failed) and whether it is
   * the photo upload's, which failed, or the message's.
   * @param {Outgoing} job
   * @param {Record<string, unknown>} body
   * @returns {Promise<{ res: Response | null, photosFailed: boolean }>}
   */
  async function post(job, body) {
    if (job.photos.length && !job.photoIds) {
      const up = await uploadPhotos(job);
      if (!up || !up.ok) return { res: up, photosFailed: true };
      body.photos = job.photoIds;
    }
    try {
      const res = await fetch(`${base}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      return { res, photosFailed: false };
    } catch (_) {
      return { res: null, photosFailed: false }; // network error: retried like a 503
    }
  }

  /** @param {Outgoing} job */
  async function deliver(job) {
    /** @type {Record<string, unknown>} */
    const body = { sessionId: state.sessionId, messageId: job.messageId, text: job.text };
    if (job.action != null) body.action = job.action;
    if (job.photoIds) body.photos = job.photoIds;
    for (let attempt = 0; ; attempt++) {
      const { res, photosFailed } = await post(job, body);
      if (photosFailed && res && res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        clearBusy();
        failed(job, explainPhoto(res.status, (await readJson(res)) || {}), false);
        return;
      }
      if (res && res.ok) {
        const data = (await readJson(res)) || {};
        noteTimeZone(data);
        clearBusy();
        sent(job);
        const messages = Array.isArray(data.messages) ? data.messages : null;
        if (messages && messages.length) for (const m of messages) renderItem(m, { live: true });
        else if (Array.isArray(data.replies)) {
          for (const r of data.replies) {
            if (r && !claimDelivered(job.node, r)) renderItem({ ...r, from: 'bot', id: null }, { live: true });
          }
        }
        return;
      }
      if (res && res.status >= 400 && res.status < 500 && res.status !== 408) {
        const data = (await readJson(res)) || {};
        clearBusy();
        failed(job, explain(res.status, data), res.status === 429);
        return;
      }
      // 503 (Redis down, overloaded), other 5xx, 408, or no response: same messageId again — the server is idempotent.
      if (attempt >= SEND_RETRY_DELAYS.length) {
        clearBusy();
        failed(job, t.failedHint, true);
        return;
      }
      state.busyShown = true;
      setStatus(t.busy);
      const hinted = retryAfterMs(res);
      // Backoff 1, 2, 4, 8 s (±25 %), never sooner than the server's Retry-After, at most 30 s.
      const wait = Math.min(Math.max(hinted || 0, jitter(SEND_RETRY_DELAYS[attempt])), 30000);
      await sleep(wait);
    }
  }

  /**
   * The server's `reason` — unless it is English in a Chinese UI and the error code is one we can say in Chinese.
   * @param {number} status
   * @param {ErrorBody} data
   */
  function explain(status, data) {
    const code = typeof data.error === 'string' ? data.error : '';
    const reason = typeof data.reason === 'string' ? data.reason.trim() : '';
    const rule = code === 'invalid_request' && data.field === 'text' ? data.rule : undefined;
    const known =
      rule === 'empty'
        ? t.emptyText
        : rule === 'too_long' || code === 'too_large' || status === 413
          ? t.tooLong
          : status === 429 || /rate|throttl|too_many/.test(code)
            ? t.rateLimited
            : /invalid|malformed/.test(code)
              ? t.badRequest
              : '';
    if (reason && (lang === 'en' || /[\u3400-\u9fff]/.test(reason) || !known)) return reason;
    return known || t.badRequest;
  }

  /**
   * A reply without an id (POST response without `messages`) may already be on screen with its id, pushed over the
   * WebSocket before the POST returned: look for it after the citizen's message and count it once.
   * @param {MessageNode} echo
   * @param {ServerItem} reply
   */
  function claimDelivered(echo, reply) {
    const text = norm(reply.text);
    /** @param {Element | null} n */
    const next = (n) => /** @type {MessageNode | null} */ (n);
    for (let n = next(echo.nextElementSibling); n; n = next(n.nextElementSibling)) {
      if (!n.hasAttribute('data-id') || n.getAttribute('data-from') === 'citizen' || n._jiesuClaimed) continue;
      if (n._jiesuText === text) {
        n._jiesuClaimed = true;
        return true;
      }
    }
    return false;
  }

  function clearBusy() {
    if (state.busyShown) {
      state.busyShown = false;
      setStatus('');
      refreshOfflineNotice();
    }
  }

  /** @param {Outgoing} job */
  function sent(job) {
    const node = job.node;
    node._jiesuJob = null;
    node.classList.remove('jiesu-msg--pending', 'jiesu-msg--failed');
    const time = node.querySelector('.jiesu-time');
    if (time && !node.hasAttribute('data-at')) time.textContent = formatTime(Date.now());
    const old = node.querySelector('[data-jiesu="retry"]');
    if (old) old.remove();
  }

  /**
   * @param {Outgoing} job
   * @param {string} reason
   * @param {boolean} retryable
   */
  function failed(job, reason, retryable) {
    const node = job.node;
    node.classList.remove('jiesu-msg--pending');
    node.classList.add('jiesu-msg--failed');
    const meta = node.querySelector('.jiesu-meta');
    const time = node.querySelector('.jiesu-time');
    if (time) time.textContent = t.failed;
    if (job.notice) job.notice.remove();
    job.notice = addNotice(reason, node);
    if (retryable && meta && !meta.querySelector('[data-jiesu="retry"]')) {
      const retry = el('button', 'jiesu-retry', { type: 'button', 'data-jiesu': 'retry' }, t.retry);
      retry.addEventListener('click', () => {
        retry.remove();
        if (job.notice) job.notice.remove();
        job.notice = null;
        node.classList.remove('jiesu-msg--failed');
        node.classList.add('jiesu-msg--pending');
        if (time) time.textContent = t.sending;
        state.queue.push(job); // same messageId: never a second ticket
        pump();
        keepFocus();
      });
      meta.appendChild(retry);
    }
    if (!retryable) {
      state.echoes.delete(job.messageId);
      node._jiesuJob = null;
    }
  }

  /**
   * A failed or queued message turned up in the server's history: it was stored, so drop the retry.
   * @param {Outgoing} job
   */
  function confirmJob(job) {
    job.node._jiesuJob = null;
    const queued = state.queue.indexOf(job);
    if (queued >= 0) state.queue.splice(queued, 1);
    const retry = job.node.querySelector('[data-jiesu="retry"]');
    if (retry) retry.remove();
    if (job.notice) job.notice.remove();
    job.notice = null;
  }

  // ---- history and live updates -------------------------------------------------------------------------------

  /** @type {Promise<void> | null} */
  let historyInFlight = null;
  function syncHistory() {
    if (historyInFlight) return historyInFlight;
    historyInFlight = (async () => {
      try {
        const res = await fetch(`${base}/api/webchat/sessions/${encodeURIComponent(state.sessionId)}/messages`, {
          headers: { accept: 'application/json' },
          cache: 'no-store',
        });
        if (res.status === 404) return; // a brand-new session
        if (!res.ok) throw new Error(`history ${res.status}`);
        const data = (await readJson(res)) || {};
        noteTimeZone(data);
        const items = Array.isArray(data.messages) ? data.messages : [];
        for (const m of items) renderItem(m, { live: false, fromHistory: true });
        state.historyRetries = 0;
      } catch (_) {
        if (state.historyRetries < 5) {
          const delay = jitter(1000 * 2 ** state.historyRetries++);
          setTimeout(syncHistory, delay);
        }
      } finally {
        historyInFlight = null;
      }
    })();
    return historyInFlight;
  }

  function connectWs() {
    clearTimeout(state.wsTimer);
    state.wsTimer = undefined;
    if (state.ws) return;
    let ws;
    try {
      ws = new WebSocket(`${wsBase}/api/webchat/ws?sessionId=${encodeURIComponent(state.sessionId)}`);
    } catch (_) {
      scheduleWs();
      return;
    }
    state.ws = ws;
    ws.addEventListener('open', () => {
      const reconnected = state.wsAttempts > 0;
      state.wsAttempts = 0;
      markOnline(true);
      if (reconnected) syncHistory(); // fill whatever was sent while we were away
    });
    ws.addEventListener('message', (ev) => {
      let frame;
      try {
        frame = JSON.parse(typeof ev.data === 'string' ? ev.data : '');
      } catch (_) {
        return;
      }
      if (frame && frame.type === 'message' && frame.message) renderItem(frame.message, { live: true });
    });
    ws.addEventListener('close', () => {
      if (state.ws !== ws) return;
      state.ws = null;
      markOnline(false);
      scheduleWs();
    });
  }

  function scheduleWs() {
    if (state.wsTimer) return;
    const delay = jitter(Math.min(WS_MAX_DELAY, 1000 * 2 ** Math.min(state.wsAttempts, 5)));
    state.wsAttempts += 1;
    state.wsTimer = setTimeout(connectWs, delay);
  }

  function reconnectNow() {
    if (!state.started || state.ws) return;
    state.wsAttempts = Math.max(state.wsAttempts, 1); // counts as a reconnect: re-fetch history on open
    clearTimeout(state.wsTimer);
    state.wsTimer = undefined;
    connectWs();
  }

  let online = true;
  /** @param {boolean} value */
  function markOnline(value) {
    online = value;
    clearTimeout(state.offlineTimer);
    if (value) refreshOfflineNotice();
    else state.offlineTimer = setTimeout(refreshOfflineNotice, 4000); // brief blips stay invisible
  }
  function refreshOfflineNotice() {
    if (state.busyShown) return;
    setStatus(!online && state.started ? t.offline : '');
  }

  // ---- boot ---------------------------------------------------------------------------------------------------

  /** @type {JiesuApi} */
  const api = {
    version: VERSION,
    sessionId: null,
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!state.open),
  };
  host.Jiesu = api;

  function boot() {
    build();
    window.addEventListener('online', reconnectNow);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') reconnectNow();
    });
    window.addEventListener('pageshow', (e) => {
      if (e.persisted) reconnectNow();
    });
    // A returning visitor: load the conversation and listen, so ticket numbers raise the badge while closed.
    if (hasStoredSession()) start();
    if (dataset.open === 'true') setOpen(true);
  }

  if (document.body) boot();
  else document.addEventListener('DOMContentLoaded', boot, { once: true });
})();
