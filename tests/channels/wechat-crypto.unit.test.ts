// Safe mode and signatures: compatible with Tencent's published test vector, round trips through our own
// encrypt, and refuses anything forged, stale or encrypted for another account.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WechatMessageCrypto } from '../../channels/wechat/message-crypto.js';
import { verifyMsgSignature, verifyUrlSignature, wechatSignature } from '../../channels/wechat/signature.js';
import { encryptedReplyXml, passiveTextXml } from '../../channels/wechat/passive-reply.js';
import { field, parseWechatXml } from '../../channels/wechat/wechat-xml.js';
import { VerificationError } from '../../src/core/errors.js';

const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../channels/wechat/fixtures/safe-mode-official-sample.json'), 'utf8'));
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('WXBizMsgCrypt', () => {
  it("decrypts Tencent's sample push and matches its msg_signature", () => {
    const at = new Date(Number(sample.timestamp) * 1000);
    const query = { msg_signature: sample.msgSignature, timestamp: sample.timestamp, nonce: sample.nonce };
    expect(verifyMsgSignature(sample.token, query, sample.encrypt, 300, at)).toEqual({ ok: true });
    const fields = parseWechatXml(new WechatMessageCrypto(sample.encodingAesKey, sample.appId).decrypt(sample.encrypt));
    expect(field(fields, 'Content')).toBe(sample.decryptedContent);
    expect(field(fields, 'MsgId')).toBe(sample.decryptedMsgId);
  });

  it('round-trips any text, padded to 32-byte blocks', () => {
    const c = new WechatMessageCrypto(KEY, 'wx5f8a1b2c3d4e5f60');
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (text) => {
        const enc = c.encrypt(text);
        expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
        expect(c.decrypt(enc)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a payload encrypted for another AppID', () => {
    const theirs = new WechatMessageCrypto(KEY, 'wx0000000000000000').encrypt('<xml/>');
    expect(() => new WechatMessageCrypto(KEY, 'wx5f8a1b2c3d4e5f60').decrypt(theirs)).toThrow(/another AppID/);
  });

  it('throws only VerificationError on tampered or random ciphertext', () => {
    const c = new WechatMessageCrypto(KEY, 'wx5f8a1b2c3d4e5f60');
    const good = Buffer.from(c.encrypt('<xml><Content>hi</Content></xml>'), 'base64');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.base64String({ maxLength: 200 }), fc.nat(good.length - 1).map((i) => {
        const t = Buffer.from(good);
        t[i] ^= 0x55;
        return t.toString('base64');
      })), (input) => {
        try {
          c.decrypt(input);
        } catch (err) {
          expect(err).toBeInstanceOf(VerificationError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('encrypts a passive reply that the WeChat side can verify and decrypt', () => {
    const c = new WechatMessageCrypto(KEY, 'wx5f8a1b2c3d4e5f60');
    const plainXml = passiveTextXml({ openId: 'oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG', account: 'gh_1', text: '您好 ]]> <xml>' });
    const reply = parseWechatXml(encryptedReplyXml({ plainXml, crypto: c, token: 'tok3n' }));
    const enc = field(reply, 'Encrypt')!;
    expect(wechatSignature(['tok3n', field(reply, 'TimeStamp')!, field(reply, 'Nonce')!, enc])).toBe(field(reply, 'MsgSignature'));
    expect(field(parseWechatXml(c.decrypt(enc)), 'Content')).toBe('您好 ]]> <xml>');
  });
});

describe('URL signature', () => {
  const now = new Date('2026-11-28T06:30:00Z');
  const ts = String(now.getTime() / 1000);
  const good = { signature: wechatSignature(['tok3n', ts, '42']), timestamp: ts, nonce: '42' };

  it('accepts the sorted-SHA-1 signature', () => {
    expect(verifyUrlSignature('tok3n', good, 300, now)).toEqual({ ok: true });
    expect(verifyUrlSignature('tok3n', { ...good, signature: good.signature.toUpperCase() }, 300, now)).toEqual({ ok: true });
  });

  it('refuses forged, missing, stale and future signatures', () => {
    const bad: Record<string, unknown>[] = [
      { ...good, signature: wechatSignature(['other', ts, '42']) },
      { ...good, signature: undefined },
      { ...good, signature: ['a', 'b'] },
      { ...good, signature: 'é'.repeat(40) },
      { ...good, nonce: undefined },
      { ...good, timestamp: String(Number(ts) - 301), signature: wechatSignature(['tok3n', String(Number(ts) - 301), '42']) },
      { ...good, timestamp: String(Number(ts) + 301), signature: wechatSignature(['tok3n', String(Number(ts) + 301), '42']) },
      { ...good, timestamp: '1e9' },
    ];
    for (const q of bad) expect(verifyUrlSignature('tok3n', q, 300, now).ok, JSON.stringify(q)).toBe(false);
  });
});
