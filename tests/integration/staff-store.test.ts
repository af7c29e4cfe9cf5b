// Staff accounts in the database, on PostgreSQL and PGlite: roles and units checked against the dispatch
// table, API tokens kept only as hashes, usable until revoked or the account is disabled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verify } from '@node-rs/argon2';
import { STORE_BACKENDS } from '../helpers/store-backends.js';
import type { Database } from '../../src/tickets/db.js';
import { loadDispatchTable } from '../../src/tickets/dispatch-table.js';
import { knownUnits } from '../../src/tickets/dispatch.js';
import { StaffStore } from '../../src/tickets/staff-store.js';

describe.each(STORE_BACKENDS)('StaffStore on %s', (_name, open) => {
  let database: Database;
  let drop: () => Promise<void>;
  let store: StaffStore;
  const units = knownUnits(loadDispatchTable());

  beforeAll(async () => {
    ({ db: database, drop } = await open());
    await database.migrate();
    store = new StaffStore(database.db, { isKnownUnit: (u) => units.has(u) });
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('knows the units dispatch sends tickets to', () => {
    for (const u of ['卢沟桥街道', '朝阳区八里庄街道', '海淀区八里庄街道', '丰台区接诉即办分中心', '北京市交通委员会', '朝阳区市场监督管理局', '北京市12345市民服务热线派单中心']) {
      expect(units.has(u), u).toBe(true);
    }
    expect(units.has('八里庄街道')).toBe(false); // two districts have one: only the qualified names are units
    expect(units.has('火星街道')).toBe(false);
  });

  it('checks role and unit together and refuses a second account of the same name', async () => {
    await expect(store.add({ name: 'w1', role: 'unit' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.add({ name: 'w1', role: 'unit', unit: '火星街道' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.add({ name: 'w1', role: 'operator', unit: '卢沟桥街道' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.add({ name: 'w1', role: 'boss' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.add({ name: 'admin', role: 'admin' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.add({ name: 'a b', role: 'operator' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.add({ name: 'w1', role: 'operator', password: 'short' })).rejects.toMatchObject({ code: 'invalid' });
    expect(await store.list()).toEqual([]);
    const w = await store.add({ name: 'w1', role: 'unit', unit: '卢沟桥街道', password: 'lugouqiao-pass' });
    expect(w).toMatchObject({ name: 'w1', role: 'unit', unit: '卢沟桥街道' });
    expect(await verify(w.passwordHash!, 'lugouqiao-pass')).toBe(true);
    await expect(store.add({ name: 'w1', role: 'analyst' })).rejects.toMatchObject({ code: 'exists' });
  });

  it('issues tokens shown once, stored hashed, stamped when used, dead once revoked or disabled', async () => {
    await store.add({ name: '张三', role: 'operator' });
    const token = await store.issueToken('张三');
    const stored = (await database.db.execute(sql`select token_hash from staff_tokens`)) as unknown as { rows: { token_hash: string }[] };
    expect(stored.rows.map((r) => r.token_hash).join()).not.toContain(token.slice(4, 20));
    expect((await store.list()).find((u) => u.name === '张三')).toMatchObject({ activeTokens: 1 });
    expect((await store.list()).find((u) => u.name === '张三')?.tokenLastUsedAt).toBeUndefined();
    expect(await store.verifyToken(token)).toMatchObject({ name: '张三', role: 'operator' });
    const firstUse = (await store.list()).find((u) => u.name === '张三')?.tokenLastUsedAt;
    expect(firstUse).toBeInstanceOf(Date);
    // Within the minute a use is a read: the stamp stays.
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.verifyToken(token)).toBeDefined();
    expect((await store.list()).find((u) => u.name === '张三')?.tokenLastUsedAt).toEqual(firstUse);
    await database.db.execute(sql`update staff_tokens set last_used_at = now() - interval '2 minutes'`);
    expect(await store.verifyToken(token)).toBeDefined();
    expect((await store.list()).find((u) => u.name === '张三')!.tokenLastUsedAt!.getTime()).toBeGreaterThan(firstUse!.getTime());
    expect(await store.verifyToken(`${token}x`)).toBeUndefined();
    expect(await store.revokeTokens('张三')).toBe(1);
    expect(await store.verifyToken(token)).toBeUndefined();

    const second = await store.issueToken('张三');
    expect(await store.verifyToken(second)).toBeDefined();
    expect(await store.disable('张三')).toBe(true);
    expect(await store.disable('张三')).toBe(false);
    expect(await store.verifyToken(second)).toBeUndefined();
    await expect(store.issueToken('张三')).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.issueToken('nobody')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('replaces a password with a new argon2id hash', async () => {
    await store.setPassword('w1', 'a-new-password');
    const w = await store.get('w1');
    expect(await verify(w!.passwordHash!, 'a-new-password')).toBe(true);
    expect(await verify(w!.passwordHash!, 'lugouqiao-pass')).toBe(false);
    await expect(store.setPassword('nobody', 'a-new-password')).rejects.toMatchObject({ code: 'not_found' });
  });
});
