// The block `jiesu start` prints: the token only when this run made it, and the key prefix only when the Redis
// may hold other data.
import { describe, expect, it } from 'vitest';
import { startSummary } from '../../src/start-summary.js';

const base = { url: 'http://127.0.0.1:3000', databaseKind: 'pglite' as const };
const config = { adminToken: 'tok-0123456789abcdef', adminTokenGenerated: false, queuePrefix: 'jiesu', dataDir: '/srv/jiesu/data', runWorkers: true };

describe('startSummary', () => {
  it('shows a token this run made, and only then', () => {
    expect(startSummary({ ...base, config: { ...config, adminTokenGenerated: true }, redis: { url: 'redis://127.0.0.1:6379', source: 'local' } })).toMatch(/Admin token +tok-0123456789abcdef +\(made for this run/);
    const set = startSummary({ ...base, config, redis: { url: 'redis://127.0.0.1:6379', source: 'local' } });
    expect(set).toMatch(/Admin token +set by ADMIN_TOKEN/);
    expect(set).not.toContain('tok-0123456789abcdef');
  });
  it('names the key prefix on a Redis that was already running, not on the one Jiesu started', () => {
    expect(startSummary({ ...base, config, redis: { url: 'redis://127.0.0.1:6379', source: 'local' } })).toContain('already running on this machine, keys under jiesu:*');
    expect(startSummary({ ...base, config, redis: { url: 'redis://127.0.0.1:41000', source: 'spawned' } })).not.toContain('keys under');
  });
  it('hides a database password', () => {
    const out = startSummary({ ...base, databaseKind: 'postgres', config: { ...config, databaseUrl: 'postgres://app:secret@db:5432/jiesu' }, redis: { url: 'redis://:pw@r:6379', source: 'env' } });
    expect(out).not.toMatch(/secret|:pw@/);
    expect(out).toContain('postgres://app:***@db:5432/jiesu');
  });
});
