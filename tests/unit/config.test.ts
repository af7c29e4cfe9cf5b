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

  it('takes ADMIN_USERS as name:<argon2id PHC> entries separated by ";" or new lines', () => {
    const phc = '$argon2id$v=19$m=19456,t=2,p=1$502nIKfKFdPy471Lkly+bw$Easb5+7eXUGK7Gosth+2Vc2N6AeA0cM9WRBcuCThTZM';
    expect(loadConfig({}).adminUsers).toEqual([]);
    expect(loadConfig({ ADMIN_USERS: `alice:${phc}; bob:${phc}\ncarol:${phc}\n` }).adminUsers.map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
    expect(loadConfig({ ADMIN_USERS: `alice:${phc}` }).adminUsers[0].passwordHash).toBe(phc);
    expect(() => loadConfig({ ADMIN_USERS: `alice:${phc};alice:${phc}` })).toThrow(/listed twice/);
    expect(() => loadConfig({ ADMIN_USERS: 'alice:password' })).toThrow(/ADMIN_USERS: "alice" must be name:<argon2id hash>/);
  });
  it('refuses the old sha256 ADMIN_USERS entries at start, saying how to convert them', () => {
    const sha = '5e884898da28047151d0e56f8dc6292773603d0d2dfa9bd6d4ab2af3a5ba6f3f';
    let err: unknown;
    try {
      loadConfig({ ADMIN_USERS: `alice:${sha},bob:${sha}` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/"alice", "bob" have plain SHA-256 hashes/);
    expect(message).toContain('npx jiesu hash-password');
    expect(message).not.toContain(sha); // a configuration error never prints a credential
  });
  it('trusts no proxy by default; TRUST_PROXY takes a hop count or addresses, never "true"', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'not-an-address' })).toThrow(/TRUST_PROXY/);
  });
  it('exposes no metrics unless METRICS_TOKEN or METRICS_PORT is set', () => {
    expect(loadConfig({}).metrics).toEqual({});
    expect(loadConfig({ METRICS_TOKEN: 'metrics-token-0123456789', METRICS_PORT: '9464' }).metrics).toEqual({ token: 'metrics-token-0123456789', port: 9464 });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('names a bad value in plain words, not in the schema library\'s', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('PORT: must be a number, got "abc"');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/);
    expect(() => loadConfig({ PORT: '99999' })).toThrow('PORT: must be at most 65535, got "99999"');
  });
});

describe('photo storage in S3 (PHOTO_S3_*)', () => {
  const full = {
    PHOTO_S3_BUCKET: 'citizen-photos',
    PHOTO_S3_ENDPOINT: 'http://127.0.0.1:9000',
    PHOTO_S3_ACCESS_KEY_ID: 'key-id',
    PHOTO_S3_SECRET_ACCESS_KEY: 'secret-key',
  };
  it('is off without the variables and complete with all four, region and prefix defaulted', () => {
    expect(loadConfig({}).photoS3).toBeUndefined();
    expect(loadConfig(full).photoS3).toEqual({ bucket: 'citizen-photos', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', accessKeyId: 'key-id', secretAccessKey: 'secret-key', prefix: '' });
    expect(loadConfig({ ...full, PHOTO_S3_REGION: 'cn-north-1', PHOTO_S3_PREFIX: 'jiesu/' }).photoS3).toMatchObject({ region: 'cn-north-1', prefix: 'jiesu/' });
  });
  it('refuses a half-set configuration, naming what is missing', () => {
    const { PHOTO_S3_SECRET_ACCESS_KEY: _secret, PHOTO_S3_ENDPOINT: _endpoint, ...half } = full;
    expect(() => loadConfig(half)).toThrow(ConfigError);
    expect(() => loadConfig(half)).toThrow(/PHOTO_S3_ENDPOINT: required[\s\S]*PHOTO_S3_SECRET_ACCESS_KEY: required/);
    expect(() => loadConfig({ PHOTO_S3_BUCKET: 'citizen-photos' })).toThrow(/PHOTO_S3_ACCESS_KEY_ID: required/);
  });
  it('refuses a bad endpoint or bucket name', () => {
    expect(() => loadConfig({ ...full, PHOTO_S3_ENDPOINT: 'ftp://x' })).toThrow(/PHOTO_S3_ENDPOINT/);
    expect(() => loadConfig({ ...full, PHOTO_S3_BUCKET: 'Bad_Bucket' })).toThrow(/PHOTO_S3_BUCKET/);
  });
});
