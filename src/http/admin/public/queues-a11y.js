// Names for the queue dashboard's icon buttons (bull-board draws them with an icon and no text, so a screen
// reader announces only "button"), and a name for its logo. bull-board renders and re-renders with React, so
// names are given as buttons appear. Each icon is a lucide icon whose class names what it does.
'use strict';
(function () {
  const NAMES = {
    'lucide-maximize': '全屏显示',
    'lucide-minimize': '退出全屏',
    'lucide-settings': '看板设置',
    'lucide-circle-user': '账户菜单',
    'lucide-ellipsis-vertical': '更多操作',
    'lucide-ellipsis': '更多操作',
    'lucide-refresh-cw': '刷新',
    'lucide-trash-2': '删除',
    'lucide-rotate-ccw': '重试',
    'lucide-play': '继续',
    'lucide-pause': '暂停',
    'lucide-x': '关闭',
    'lucide-menu': '菜单',
    'lucide-copy': '复制',
    'lucide-chevron-down': '展开',
    'lucide-chevron-up': '收起',
  };
  function iconName(el) {
    const svg = el.querySelector('svg[class*="lucide-"]');
    if (!svg) return null;
    for (const c of svg.classList) if (NAMES[c]) return NAMES[c];
    return null;
  }
  function name(root) {
    for (const b of root.querySelectorAll('button:not([aria-label]):not([title])')) {
      if (b.textContent.trim() || b.getAttribute('aria-labelledby')) continue;
      b.setAttribute('aria-label', iconName(b) || '操作');
    }
    for (const svg of root.querySelectorAll('svg[role="img"]:not([aria-label])')) svg.setAttribute('aria-label', '接诉即办 · 队列');
  }
  const start = () => {
    name(document);
    new MutationObserver(() => name(document)).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
