import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('has defaults that run on a fresh machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/data$/);
    expect(c.redisUrl).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
    expect(c.runWorkers).toBe(true);
    expect(c.spikeCheckMs).toBe(300_000);
    expect(loadConfig({ SPIKE_CHECK_MS: '0' }).spikeCheckMs).toBe(0);
  });
  it('rejects bad values with the variable named', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must be a URL starting with redis:/);
    expect(() => loadConfig({ DATABASE_URL: 'nope' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadConfig({ TZ_NAME: 'Mars/Base' })).toThrow(ConfigError);
    expect(() => loadConfig({ SPIKE_CHECK_MS: '500' })).toThrow(/SPIKE_CHECK_MS: must be 0 \(off\) or from 1000/);
  });
  it('parses lists and booleans', () => {
    const c = loadConfig({ CORS_ORIGINS: 'https://a.gov.cn, https://b.gov.cn', RUN_WORKERS: '0' });
    expect(c.corsOrigins).toEqual(['https://a.gov.cn', 'https://b.gov.cn']);
    expect(c.runWorkers).toBe(false);
  });
});
