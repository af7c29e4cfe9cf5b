// 账号管理 (administrators): every staff account with its role, unit, state and API tokens (how many are live and
// when one was last used); add an account, disable it, reset its password, issue a token (shown once, here
// only) and revoke all of an account's tokens.
'use strict';
(async function () {
  const { api, h, ROLE, page, table, showError, fmtTime } = window.Admin;
  const main = page();
  const msg = h('p', { role: 'status', id: 'users-status' });
  const tokenBox = h('div', { id: 'users-token' });
  const body = h('div', { id: 'users-body' }, h('p', { class: 'loading', text: '加载中…' }));

  const say = (text, cls) => {
    msg.className = cls || '';
    msg.textContent = text;
  };

  const name = h('input', { name: 'name', required: true, autocomplete: 'off', maxlength: '64' });
  const role = h('select', { name: 'role' }, Object.entries(ROLE).map(([id, label]) => h('option', { value: id, text: label })));
  const unitList = h('datalist', { id: 'users-units' });
  const unit = h('input', { name: 'unit', list: 'users-units', autocomplete: 'off', maxlength: '80', 'aria-describedby': 'users-unit-hint' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', maxlength: '512', 'aria-describedby': 'users-password-hint' });
  const form = h(
    'form',
    { class: 'filters', id: 'users-add' },
    h('label', {}, '用户名 ', name),
    h('label', {}, '角色 ', role),
    h('label', {}, '承办单位 ', unit),
    unitList,
    h('label', {}, '初始密码 ', password),
    h('button', { type: 'submit', text: '添加账号' }),
    h('p', { class: 'muted', id: 'users-unit-hint', text: '承办单位角色必须选择派单表中的单位；其他角色留空。' }),
    h('p', { class: 'muted', id: 'users-password-hint', text: '密码至少8位；留空则该账号只能使用接口令牌。' }),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const added = await api('/api/admin/users', { method: 'POST', body: { name: name.value, role: role.value, unit: unit.value, password: password.value } });
      form.reset();
      say('已添加账号 ' + added.name + '。', 'ok');
      await render();
    } catch (err) {
      say(err.message, 'error');
    }
  });

  main.append(h('h2', { text: '添加账号' }), form, msg, tokenBox, h('h2', { text: '全部账号' }), body);

  function showToken(user, token) {
    const field = h('input', { id: 'users-new-token', readonly: true, value: token, size: '60', 'aria-describedby': 'users-token-hint' });
    tokenBox.replaceChildren(
      h('div', { class: 'notice', role: 'region', 'aria-label': '新令牌' },
        h('label', { for: 'users-new-token', text: user + ' 的新接口令牌' }),
        ' ',
        field,
        h('p', { id: 'users-token-hint', text: '令牌只显示这一次，请立即复制保存；离开本页后无法再次查看。' })),
    );
    field.focus();
    field.select();
  }

  /** A new password typed into a masked field (never a prompt, which shows it), in the box above the table. */
  function passwordForm(u, path) {
    const field = h('input', { id: 'users-new-password', type: 'password', autocomplete: 'new-password', minlength: '8', maxlength: '512', required: true });
    const cancel = h('button', { type: 'button', class: 'secondary', text: '取消' });
    const form = h('form', { class: 'notice', 'aria-label': '重置 ' + u.name + ' 的密码' },
      h('label', { for: 'users-new-password', text: u.name + ' 的新密码（至少8位）' }), ' ', field, ' ',
      h('button', { type: 'submit', text: '保存' }), ' ', cancel);
    cancel.addEventListener('click', () => tokenBox.replaceChildren());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api(path + '/password', { method: 'POST', body: { password: field.value } });
        tokenBox.replaceChildren();
        say(u.name + ' 的密码已重置，其登录会话已结束。', 'ok');
      } catch (err) {
        say(err.message, 'error');
      }
    });
    tokenBox.replaceChildren(form);
    field.focus();
  }

  function action(label, run) {
    const b = h('button', { type: 'button', text: label });
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await run();
        await render();
      } catch (err) {
        say(err.message, 'error');
        b.disabled = false;
      }
    });
    return b;
  }

  function actions(u) {
    const path = '/api/admin/users/' + encodeURIComponent(u.name);
    if (u.disabledAt) return h('span', { class: 'muted', text: '已停用' });
    return h(
      'div',
      { class: 'actions' },
      action('新令牌', async () => {
        const t = await api(path + '/tokens', { method: 'POST' });
        showToken(u.name, t.token);
        say('已为 ' + u.name + ' 生成新令牌。', 'ok');
      }),
      u.activeTokens ? action('吊销令牌', async () => {
        if (!confirm('吊销 ' + u.name + ' 的全部接口令牌？')) return;
        const r = await api(path + '/tokens', { method: 'DELETE' });
        say('已吊销 ' + r.revoked + ' 个令牌。', 'ok');
      }) : null,
      action('重置密码', async () => passwordForm(u, path)),
      action('停用', async () => {
        if (!confirm('停用账号 ' + u.name + '？其密码和令牌将立即失效。')) return;
        await api(path + '/disable', { method: 'POST' });
        say('已停用 ' + u.name + '。', 'ok');
      }),
    );
  }

  async function render() {
    try {
      const d = await api('/api/admin/users');
      unitList.replaceChildren(...d.units.map((u) => h('option', { value: u })));
      body.replaceChildren(
        table(
          [
            { key: 'name', label: '用户名' },
            { key: 'role', label: '角色', render: (u) => ROLE[u.role] || u.role },
            { key: 'unit', label: '承办单位', render: (u) => u.unit || '' },
            { key: 'state', label: '状态', render: (u) => (u.disabledAt ? '停用于 ' + fmtTime(u.disabledAt) : u.hasPassword ? '启用' : '启用（仅令牌）') },
            { key: 'activeTokens', label: '有效令牌', num: true },
            { key: 'tokenLastUsedAt', label: '令牌最近使用', render: (u) => (u.tokenLastUsedAt ? fmtTime(u.tokenLastUsedAt) : '从未') },
            { key: 'createdAt', label: '创建时间', render: (u) => fmtTime(u.createdAt) },
            { key: 'actions', label: '操作', render: actions },
          ],
          d.items,
          { empty: '还没有账号。用 ADMIN_TOKEN 登录的管理员可以在上方添加。' },
        ),
      );
    } catch (err) {
      body.replaceChildren();
      showError(body, err);
    }
  }
  render();
})();
