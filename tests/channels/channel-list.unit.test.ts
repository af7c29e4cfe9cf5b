// The channel list: one definition per envelope channel name, whose label the reports and the console use, and
// whose configuration section is part of the one configuration (a half-set one is refused).
import { describe, expect, it } from 'vitest';
import { CHANNELS, channelLabels, demoChannels } from '../../channels/index.js';
import { loadConfig } from '../../src/config.js';
import { CHANNEL_NAMES } from '../../src/core/envelope.js';
import { ConfigError } from '../../src/config.js';
import { channelLabel, channelLabels as reportLabels, registerChannelLabels } from '../../src/reports/labels.js';

describe('channel list', () => {
  it('defines every channel of the envelope once, under its own name', () => {
    expect(Object.keys(CHANNELS).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const [name, d] of Object.entries(CHANNELS)) expect(d.name).toBe(name);
  });

  it('gives the reports and the console each adapter’s label', () => {
    const labels = channelLabels();
    expect(labels).toMatchObject({ webchat: '网站对话', wechat: '微信公众号', weibo: '微博', api: '接口' });
    registerChannelLabels(labels);
    expect(channelLabel('wechat')).toBe('微信公众号');
    expect(channelLabel('phone')).toBe('电话');
    expect(reportLabels().map((c) => c.id)).toEqual([...Object.keys(labels), 'phone']);
  });

  it('reads each channel’s section into the one configuration, refusing a half-set one', () => {
    expect(loadConfig({}).channels).toEqual({});
    expect(() => loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://x.example/hook' })).toThrow(ConfigError);
  });

  it('seeds the demo from the definitions, largest share first, public channels marked', () => {
    const demo = demoChannels();
    expect(demo.map((c) => c.share)).toEqual([...demo.map((c) => c.share)].sort((a, b) => b - a));
    expect(demo.filter((c) => c.publicReplies).map((c) => c.name)).toEqual(['weibo']);
  });
});
