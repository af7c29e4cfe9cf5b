// The WeChat normalizer on recorded payload shapes, and on random and hostile input: it returns an envelope
// or throws NormalizationError, never anything else.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeWechat } from '../../channels/wechat/normalize.js';
import { parseWechatXml, buildWechatXml } from '../../channels/wechat/wechat-xml.js';
import { NormalizationError } from '../../src/core/errors.js';

const FIXTURES = join(import.meta.dirname, '../../channels/wechat/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const now = new Date('2026-11-28T06:30:00Z');
const read = (name: string) => normalizeWechat(parseWechatXml(fixture(name)), now);
const OPENID = 'oR5GJt7XyZk2Lm9Qp3Vw1AbCdEfG';

describe('WeChat normalizer on fixtures', () => {
  it('reads a text message; the 64-bit MsgId is kept exactly', () => {
    const r = read('text.xml');
    expect(r.kind).toBe('message');
    if (r.kind !== 'message') return;
    expect(r.account).toBe('gh_4a2c6f1e8b3d');
    expect(r.message).toEqual({
      id: 'wechat:24513287469033561',
      channel: 'wechat',
      conversationId: OPENID,
      sender: { id: OPENID },
      text: '朝阳区望京街道小区门口的井盖丢了好几天了，晚上很危险', // NFKC folds the full-width comma; it is put back in Chinese
      isPublic: false,
      receivedAt: now,
    });
  });

  it('turns a location into envelope.location with its label', () => {
    const r = read('location.xml');
    if (r.kind !== 'message') throw new Error(r.kind);
    expect(r.message.location).toEqual({ lat: 39.996794, lng: 116.480973, label: '北京市朝阳区望京街道阜通东大街' });
    expect(r.message.text).toBe('北京市朝阳区望京街道阜通东大街');
  });

  it('turns an image into an attachment', () => {
    const r = read('image.xml');
    if (r.kind !== 'message') throw new Error(r.kind);
    expect(r.message.attachments).toEqual([{ kind: 'image', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/Wf0a4q2k3Jib8z1dG7hQx/0' }]);
    expect(r.message.id).toBe('wechat:24513287469033562');
  });

  it('reads recognized speech as text and refuses video politely', () => {
    const voice = read('voice-recognition.xml');
    expect(voice.kind === 'message' && voice.message.text).toBe('社保卡丢了怎么补办');
    expect(read('video.xml')).toMatchObject({ kind: 'unsupported', msgType: 'video', openId: OPENID });
  });

  it('greets a subscribe, ignores unsubscribe, menu links and position reports', () => {
    expect(read('event-subscribe.xml')).toEqual({ kind: 'subscribe', account: 'gh_4a2c6f1e8b3d', openId: OPENID });
    expect(read('event-unsubscribe.xml').kind).toBe('ignore');
    expect(read('event-view.xml').kind).toBe('ignore');
    expect(read('event-location-report.xml').kind).toBe('ignore');
  });

  it('reads a menu CLICK as a message whose id is FromUserName:CreateTime:Event', () => {
    const r = read('event-click.xml');
    if (r.kind !== 'message') throw new Error(r.kind);
    expect(r.message.id).toBe(`wechat:${OPENID}:1764297300:CLICK`);
    expect(r.message.text).toBe('我的工单');
    expect(r.message.action).toBe('我的工单');
  });

  it('clips an over-long text instead of refusing it (WeChat cannot show a 400 to the citizen)', () => {
    const xml = fixture('text.xml').replace(/<Content>.*<\/Content>/, `<Content><![CDATA[${'井'.repeat(5000)}]]></Content>`);
    const r = normalizeWechat(parseWechatXml(xml), now);
    expect(r.kind === 'message' && r.message.text.length).toBe(2000);
  });
});

describe('WeChat normalizer on bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['not XML', 'hello', /malformed|root/],
    ['unclosed', '<xml><ToUserName>a</ToUserName>', /malformed/],
    ['entity bomb', '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>', /DOCTYPE/],
    ['wrong root', '<message><MsgType>text</MsgType></message>', /root/],
    ['no sender', buildWechatXml({ ToUserName: 'gh_1', CreateTime: 1, MsgType: 'text', Content: 'x', MsgId: 1 }), /FromUserName/],
    ['bad openid', buildWechatXml({ ToUserName: 'gh_1', FromUserName: '../../x', CreateTime: 1, MsgType: 'text', MsgId: 1 }), /OpenID/],
    ['no MsgId', buildWechatXml({ ToUserName: 'gh_1', FromUserName: OPENID, CreateTime: 1, MsgType: 'text', Content: 'x' }), /MsgId/],
    ['bad MsgId', buildWechatXml({ ToUserName: 'gh_1', FromUserName: OPENID, CreateTime: 1, MsgType: 'text', MsgId: 'x:y' }), /MsgId/],
    [
      'bad latitude',
      buildWechatXml({ ToUserName: 'gh_1', FromUserName: OPENID, CreateTime: 1, MsgType: 'location', Location_X: 'NaN', Location_Y: 1, MsgId: 1 }),
      /Location_X/,
    ],
    ['repeated field', `<xml><ToUserName>a</ToUserName><ToUserName>b</ToUserName></xml>`, /ToUserName/],
  ];
  for (const [name, xml, reason] of cases)
    it(`refuses ${name}`, () => {
      expect(() => normalizeWechat(parseWechatXml(xml), now)).toThrow(NormalizationError);
      expect(() => normalizeWechat(parseWechatXml(xml), now)).toThrow(reason);
    });

  const onlyNormalizationErrors = (raw: string) => {
    try {
      normalizeWechat(parseWechatXml(raw), now);
    } catch (err) {
      if (!(err instanceof NormalizationError)) throw err;
    }
  };

  it('never throws anything but NormalizationError on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), onlyNormalizationErrors), { numRuns: 500 });
  });

  it('never throws anything but NormalizationError on hostile pushes built from real field names', () => {
    const names = fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'EventKey', 'PicUrl', 'MediaId', 'Location_X', 'Location_Y', 'Label', 'Recognition', 'xml', '__proto__', 'constructor');
    const values = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('text', 'event', 'image', 'location', 'voice', 'subscribe', 'CLICK', '1e400', '-0', '99999999999999999999999', ']]>', '<![CDATA[', '&amp;', '&#0;', '<a>', ''),
      fc.integer().map(String),
    );
    const element = fc.tuple(names, values, fc.boolean()).map(([n, v, wrap]) => (wrap ? `<${n}><![CDATA[${v}]]></${n}>` : `<${n}>${v}</${n}>`));
    const doc = fc.tuple(fc.array(element, { maxLength: 12 }), fc.boolean()).map(([els, nest]) => (nest ? `<xml><xml>${els.join('')}</xml></xml>` : `<xml>${els.join('')}</xml>`));
    fc.assert(fc.property(doc, onlyNormalizationErrors), { numRuns: 1000 });
  });

  it('survives deep nesting without a stack overflow', () => {
    const deep = '<xml>' + '<a>'.repeat(20_000) + '</a>'.repeat(20_000) + '</xml>';
    expect(() => normalizeWechat(parseWechatXml(deep), now)).toThrow(NormalizationError);
  });
});
