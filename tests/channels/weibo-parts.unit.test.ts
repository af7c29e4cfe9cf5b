// Weibo adapter parts without a network: normalizing real payload shapes (fixtures), the noise filter, what
// may be posted publicly, comment variation, the push signature, error bodies and configuration.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { normalizeComment, normalizePush, normalizeStatus, parsePush, cleanMentionText, commentTarget, mentionIdFor } from '../../channels/weibo/normalize.js';
import { noiseReason } from '../../channels/weibo/noise-filter.js';
import { commentVariant, publicCommentText, splitMessage, weiboLength, COMMENT_MAX } from '../../channels/weibo/comment-text.js';
import { pushSignature, verifyPushSignature } from '../../channels/weibo/push-signature.js';
import { WeiboApiError, parseErrorBody } from '../../channels/weibo/weibo-error.js';
import { effectivePollMs, loadWeiboConfig } from '../../channels/weibo/weibo-config.js';
import { compareIds, parseWeiboDate } from '../../channels/weibo/payload-schema.js';
import { ConfigError } from '../../src/config.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../channels/weibo/fixtures/${name}`, import.meta.url), 'utf8'));
const NOW = new Date('2024-11-26T03:00:00Z');

describe('weibo normalize', () => {
  it('turns a status mention into a public envelope without @-names and short links', () => {
    const raw = fixture('statuses-mentions.json').statuses[0];
    const m = normalizeStatus(raw, NOW);
    expect(m.message).toMatchObject({
      id: 'weibo:status:5103417162203317',
      channel: 'weibo',
      conversationId: '5103417162203317',
      sender: { id: '7712345678', name: '潘家园的老张' },
      isPublic: true,
      location: { lat: 39.872466, lng: 116.456788 },
    });
    expect(m.message.text).toBe('朝阳区潘家园街道华威北路上有个井盖没了，就在机动车道中间，晚上车过去太危险了');
    expect(m.message.receivedAt.toISOString()).toBe('2024-11-26T01:12:44.000Z');
    expect(m.message.attachments?.[0].url).toContain('/large/');
    expect(m.link).toBe('https://weibo.com/7712345678/5103417162203317');
    expect(noiseReason(m, '2000000001')).toBeUndefined();
  });

  it('marks a repost without words as noise, and the account own posts too', () => {
    const raw = fixture('statuses-mentions.json').statuses[1];
    const m = normalizeStatus(raw, NOW);
    expect(m.repost).toBeDefined();
    expect(noiseReason(m, undefined)).toBe('repost');
    const own = normalizeStatus({ ...fixture('statuses-mentions.json').statuses[0], user: { id: 2000000001, idstr: '2000000001' } }, NOW);
    expect(noiseReason(own, '2000000001')).toBe('own');
  });

  it('keeps a repost that adds words, reading only its own words', () => {
    const raw = { ...fixture('statuses-mentions.json').statuses[1], text: '我家门口也是，路灯坏了一个月 //@早高峰观察员:今天地铁10号线好挤 @北京12345' };
    const m = normalizeStatus(raw, NOW);
    expect(m.message.text).toBe('我家门口也是，路灯坏了一个月');
    expect(noiseReason(m, undefined)).toBeUndefined();
  });

  it('spots spam: link farms, repeated characters, advertising', () => {
    const base = fixture('statuses-mentions.json').statuses[0];
    const with_ = (text: string) => normalizeStatus({ ...base, text, pic_urls: [], geo: null }, NOW);
    expect(noiseReason(with_('@北京12345 http://a.cn/1 http://b.cn/2 http://c.cn/3 好货'), undefined)).toBe('spam-links');
    expect(noiseReason(with_('@北京12345 哈哈哈哈哈哈哈哈哈哈哈'), undefined)).toBe('spam-repeated');
    expect(noiseReason(with_('@北京12345 兼职日结，加微信 abc123'), undefined)).toBe('spam-ad');
    expect(noiseReason(with_('@北京12345 @朝阳发布'), undefined)).toBe('empty');
    // Angry punctuation and a complaint about advertising are not spam.
    expect(noiseReason(with_('@北京12345 楼下天天施工太吵了！！！！！！！！！！！'), undefined)).toBeUndefined();
    expect(noiseReason(with_('@北京12345 小区里天天有人塞小广告'), undefined)).toBeUndefined();
  });

  it('turns a comment mention into an envelope whose replies go back into the thread', () => {
    const m = normalizeComment(fixture('comments-mentions.json').comments[0], NOW);
    expect(m.message).toMatchObject({ id: 'weibo:comment:5103429988712345', conversationId: '5103421666601234/5103429988712345', text: '社保卡丢了怎么补办？', isPublic: true });
    expect(m.link).toBe('https://weibo.com/2000000001/5103421666601234');
    expect(commentTarget(m.message.conversationId)).toEqual({ statusId: '5103421666601234', commentId: '5103429988712345' });
    expect(mentionIdFor(m.message.conversationId)).toBe(m.message.id);
    expect(mentionIdFor('5103417162203317')).toBe('weibo:status:5103417162203317');
  });

  it('turns private-message pushes into private envelopes; events are not messages', () => {
    const text = normalizePush(parsePush(fixture('push-text.json')), NOW)!;
    expect(text).toMatchObject({ channel: 'weibo', conversationId: '7712345678', isPublic: false, sender: { id: '7712345678' } });
    expect(text.id).toMatch(/^weibo:dm:7712345678:[0-9a-f]{16}$/);
    // Weibo retries a push: the same push gets the same id.
    expect(normalizePush(parsePush(fixture('push-text.json')), NOW)!.id).toBe(text.id);
    const pos = normalizePush(parsePush(fixture('push-position.json')), NOW)!;
    expect(pos.location).toMatchObject({ lat: 39.872466, lng: 116.456788 });
    expect(normalizePush(parsePush(fixture('push-event-follow.json')), NOW)).toBeUndefined();
  });

  it('reads Weibo dates and compares ids beyond 2^53', () => {
    expect(parseWeiboDate('Wed Jun 01 00:50:25 +0800 2011')?.toISOString()).toBe('2011-05-31T16:50:25.000Z');
    expect(compareIds('9007199254740993', '9007199254740992')).toBe(1);
    expect(cleanMentionText('回复@小王:@北京12345 路灯不亮')).toBe('路灯不亮');
  });
});

describe('weibo public text', () => {
  it('never carries personal numbers or ticket numbers, and fits 140', () => {
    const t = publicCommentText({ text: '您的工单 20241126-000123 已受理，联系电话 13912345678，身份证 110101199003071234' });
    expect(t).not.toMatch(/20241126-000123|13912345678|110101199003071234/);
    const long = publicCommentText({ text: '社保卡补办：'.padEnd(400, '需要携带身份证原件到社保经办机构办理') });
    expect(weiboLength(long)).toBeLessThanOrEqual(COMMENT_MAX);
    expect(long.endsWith('…（详情请私信我们）')).toBe(true);
  });

  it('varies a comment with a short reference, within 140', () => {
    const text = '您好'.repeat(70);
    const v0 = commentVariant(text, 'weibo:status:1', 0);
    const v1 = commentVariant(text, 'weibo:status:1', 1);
    const v2 = commentVariant(text, 'weibo:status:1', 2);
    expect(v0).toBe(text);
    expect(new Set([v0, v1, v2]).size).toBe(3);
    for (const v of [v1, v2]) expect(weiboLength(v)).toBeLessThanOrEqual(COMMENT_MAX);
    expect(commentVariant('短句', 'weibo:status:1', 1)).not.toBe(commentVariant('短句', 'weibo:status:2', 1));
  });

  it('splits private messages under 300 characters', () => {
    const parts = splitMessage('第一行\n'.repeat(200));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(weiboLength(p)).toBeLessThan(300);
  });
});

describe('weibo push signature', () => {
  const secret = 'app-secret-0123456789';
  it('accepts sha1 of the sorted secret, timestamp and nonce, and nothing else', () => {
    const now = 1_732_600_000_000;
    const timestamp = String(Math.floor(now / 1000));
    const nonce = '82739';
    const signature = createHash('sha1').update([secret, timestamp, nonce].sort().join('')).digest('hex');
    expect(pushSignature(secret, timestamp, nonce)).toBe(signature);
    expect(verifyPushSignature(secret, { signature, timestamp, nonce }, now).ok).toBe(true);
    expect(verifyPushSignature(secret, { signature, timestamp, nonce: '82738' }, now).ok).toBe(false);
    expect(verifyPushSignature(secret, { signature: signature.slice(1), timestamp, nonce }, now).ok).toBe(false);
    expect(verifyPushSignature(undefined, { signature, timestamp, nonce }, now).ok).toBe(false);
    expect(verifyPushSignature(secret, { timestamp, nonce }, now).ok).toBe(false);
    // Replayed an hour later.
    expect(verifyPushSignature(secret, { signature, timestamp, nonce }, now + 3600_000).ok).toBe(false);
  });

  it('accepts a timestamp 5 minutes either way of our clock, not 6', () => {
    const now = 1_732_600_000_000;
    const timestamp = String(Math.floor(now / 1000));
    const signature = pushSignature(secret, timestamp, '4711');
    for (const skew of [-5 * 60_000, 5 * 60_000]) expect(verifyPushSignature(secret, { signature, timestamp, nonce: '4711' }, now + skew).ok).toBe(true);
    for (const skew of [-6 * 60_000, 6 * 60_000]) expect(verifyPushSignature(secret, { signature, timestamp, nonce: '4711' }, now + skew).ok).toBe(false);
  });
});

describe('weibo errors and config', () => {
  it('reads error_code as a number or a string', () => {
    expect(parseErrorBody(fixture('error-user-rate-limit.json'))).toMatchObject({ code: 10023 });
    expect(parseErrorBody(fixture('error-ip-rate-limit.json'))).toMatchObject({ code: 10022 });
    expect(parseErrorBody(fixture('error-repeat-content.json'))).toMatchObject({ code: 20019, error: 'repeat content!' });
    expect(parseErrorBody(fixture('comments-create.json'))).toBeUndefined();
    expect(new WeiboApiError('x', 403, 10023).rateLimited).toBe(true);
    expect(new WeiboApiError('x', 429, undefined).rateLimited).toBe(true);
    expect(new WeiboApiError('x', 400, 20019).repeatContent).toBe(true);
    expect(new WeiboApiError('x', 401, 21327).authFailed).toBe(true);
  });

  it('is off without variables, refuses half a configuration, and stretches the interval to the budget', () => {
    expect(loadWeiboConfig({})).toBeUndefined();
    expect(() => loadWeiboConfig({ WEIBO_APP_SECRET: 'secret-secret' })).toThrow(ConfigError);
    expect(() => loadWeiboConfig({ WEIBO_ACCESS_TOKEN: '2.00abcdefgh', WEIBO_POLL_MS: 'soon' })).toThrow(/WEIBO_POLL_MS/);
    const c = loadWeiboConfig({ WEIBO_ACCESS_TOKEN: '2.00abcdefgh', WEIBO_API_BASE: 'http://127.0.0.1:9/2', WEIBO_HOURLY_LIMIT: '150', WEIBO_POLL_MS: '1000' })!;
    expect(c.apiBase).toBe('http://127.0.0.1:9/2/');
    // 150 calls/hour, half for polling, two calls a poll: one poll every 96 s at most.
    expect(effectivePollMs(c)).toBe(96_000);
    expect(effectivePollMs({ ...c, hourlyLimit: 1_000_000 })).toBe(1000);
  });
});
