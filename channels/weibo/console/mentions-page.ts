// The console page's HTML shell. Everything dynamic is filled in by /admin/mentions/static/mentions.js from
// the JSON API (with textContent, so nothing a citizen wrote is ever parsed as HTML). The CSRF token travels
// in a <meta> tag, as in the rest of the console.
import { ASSET_VERSION, consoleHeader, documentHead } from '../../../src/http/admin/layout.js';
import type { Session } from '../../../src/http/admin/session-store.js';

const VERSION = '2';

export function mentionsPage(session: Session): string {
  return `<!doctype html>
<html lang="zh-CN">
${documentHead({
    title: '微博提及',
    csrf: session.csrf,
    // The console's stylesheet first (header, controls, focus rings), then this page's own.
    stylesheets: [`/admin/static/admin.css?v=${ASSET_VERSION}`, `/admin/mentions/static/mentions.css?v=${VERSION}`],
    scripts: [`/admin/mentions/static/mentions.js?v=${VERSION}`],
  })}
<body data-page="mentions">
${consoleHeader(session, 'mentions')}
<main id="mentions">
  <div class="title-row">
    <h1>微博提及</h1>
    <span class="live" id="live">连接中…</span>
  </div>
  <section class="stats" aria-label="概况">
    <div class="stat" id="stat-waiting"><span class="label">待回复</span><span class="value" data-field="waiting">–</span></div>
    <div class="stat" id="stat-oldest"><span class="label">最久等待</span><span class="value" data-field="oldest">–</span></div>
    <div class="stat" id="stat-total"><span class="label">近30天提及</span><span class="value" data-field="total">–</span></div>
    <div class="stat poller" id="stat-poller"><span class="label">抓取状态</span><span class="value" data-field="poller">–</span><span class="detail" data-field="poller-detail"></span></div>
  </section>
  <form class="filters" id="filters">
    <fieldset class="show">
      <legend>显示</legend>
      <label><input type="radio" name="show" value="all" checked> 全部</label>
      <label><input type="radio" name="show" value="unhandled"> 未处理</label>
      <label><input type="radio" name="show" value="urgent"> 紧急</label>
    </fieldset>
    <label>类别 <select name="category"><option value="">全部类别</option></select></label>
    <label>从 <input type="date" name="from"></label>
    <label>到 <input type="date" name="to"></label>
    <button type="reset" class="secondary">清除</button>
  </form>
  <p class="error" id="error" role="alert" hidden></p>
  <div class="table-wrap" tabindex="0" role="region" aria-label="提及列表">
  <table class="mentions" id="list">
    <thead><tr><th scope="col">时间</th><th scope="col">作者与内容</th><th scope="col">处理</th><th scope="col">类别 / 时限</th><th scope="col">首次回复</th><th scope="col">操作</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <p class="empty" id="empty" hidden>没有符合条件的提及。</p>
</main>
<template id="row">
  <tr>
    <td class="time"><time></time><span class="kind"></span></td>
    <td class="content"><a class="author" target="_blank" rel="noopener noreferrer"></a><p class="text"></p><ul class="replies"></ul></td>
    <td class="action"><span class="badge"></span><span class="reason"></span></td>
    <td class="category"><span class="cat"></span><span class="tier"></span></td>
    <td class="delay"></td>
    <td class="ops">
      <form class="reply"><textarea name="text" rows="2" maxlength="280" placeholder="公开回复（≤140字，勿含个人信息）"></textarea><button type="submit">回复</button></form>
      <div class="buttons"><button type="button" class="secondary" data-op="ticket">立工单</button><button type="button" class="secondary" data-op="ignore">忽略</button></div>
    </td>
  </tr>
</template>
</body>
</html>`;
}
