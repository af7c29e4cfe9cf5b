// WECHAT_* variables: off when unset, every problem named when half set, defaults in one place.
import { describe, expect, it } from 'vitest';
import { wechatOptionsFromEnv } from '../../channels/wechat/wechat-options.js';

const ok = { WECHAT_TOKEN: 'jiesu12345token', WECHAT_APP_ID: 'wx5f8a1b2c3d4e5f60', WECHAT_APP_SECRET: 'c0ffee00c0ffee00c0ffee00c0ffee00' };

describe('WeChat options', () => {
  it('is off when nothing is set', () => {
    expect(wechatOptionsFromEnv({})).toBeUndefined();
  });

  it('fills the defaults', () => {
    expect(wechatOptionsFromEnv(ok)).toEqual({
      token: ok.WECHAT_TOKEN,
      appId: ok.WECHAT_APP_ID,
      appSecret: ok.WECHAT_APP_SECRET,
      apiBase: 'https://api.weixin.qq.com',
      replayWindowSeconds: 300,
    });
    expect(wechatOptionsFromEnv({ ...ok, WECHAT_ENCODING_AES_KEY: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', WECHAT_API_BASE: 'http://127.0.0.1:9/' })).toMatchObject({
      encodingAesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
      apiBase: 'http://127.0.0.1:9',
    });
  });

  it('treats empty variables as unset', () => {
    expect(wechatOptionsFromEnv({ WECHAT_TOKEN: '', WECHAT_APP_ID: '', WECHAT_APP_SECRET: '' })).toBeUndefined();
    expect(wechatOptionsFromEnv({ ...ok, WECHAT_ENCODING_AES_KEY: '', WECHAT_API_BASE: '' })).toMatchObject({ apiBase: 'https://api.weixin.qq.com' });
    expect(wechatOptionsFromEnv({ ...ok, WECHAT_ENCODING_AES_KEY: '' })?.encodingAesKey).toBeUndefined();
  });

  it('names every problem when half configured', () => {
    expect(() => wechatOptionsFromEnv({ WECHAT_TOKEN: ok.WECHAT_TOKEN })).toThrow(/WECHAT_APP_ID[\s\S]*WECHAT_APP_SECRET/);
    expect(() => wechatOptionsFromEnv({ ...ok, WECHAT_ENCODING_AES_KEY: 'short' })).toThrow(/WECHAT_ENCODING_AES_KEY: must be the 43-character/);
    expect(() => wechatOptionsFromEnv({ ...ok, WECHAT_TOKEN: 'has spaces!' })).toThrow(/WECHAT_TOKEN/);
  });
});
