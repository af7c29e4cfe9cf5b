// The channel list: one definition per envelope channel name, whose label the reports and the console use, and
// whose configuration section is part of the one configuration (a half-set one is refused). Each configured
// channel's adapter is built, and only a configured channel's module (with its platform's SDK) is loaded.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/processes.js';
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

  it('builds an adapter for each configured channel, and loads no unconfigured channel’s SDK', () => {
    const none = buildInFreshProcess({});
    expect(none.adapters).toEqual(['webchat']);
    expect(none.sdks).toEqual([]);

    const all = buildInFreshProcess(EVERY_CHANNEL_ENV);
    expect(all.adapters.sort()).toEqual([...CHANNEL_NAMES].sort());
    // The same check sees the SDKs once their channels are on, so it would see one loaded while off.
    expect(all.sdks).toEqual([...CHANNEL_SDKS].sort());
  });
});

/** The platforms' own libraries (CommonJS: their files are in the require cache once loaded), each one channel's. */
const CHANNEL_SDKS = ['@slack/bolt', '@slack/web-api', '@slack/socket-mode', 'telegraf'];

/** Every channel's section set (nothing is contacted: adapters connect in start(), which is not called). */
const EVERY_CHANNEL_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
  TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkllmm',
  WECHAT_TOKEN: 'token123',
  WECHAT_APP_ID: 'wx1234567890abcdef',
  WECHAT_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WEIBO_ACCESS_TOKEN: 'weibo-access-token',
  API_PARTNERS: JSON.stringify([{ id: 'partner', secret: 'p'.repeat(32), callbackUrl: 'https://partner.example/callback' }]),
};

/**
 * buildChannels in a process of its own (this one has the test files' imports loaded), then the channel SDKs
 * among the modules it loaded.
 */
function buildInFreshProcess(env: Record<string, string>): { adapters: string[]; sdks: string[] } {
  const script = `
import { createRequire } from 'node:module';
const { buildChannels } = await import('./channels/index.ts');
const { loadConfig } = await import('./src/config.ts');
const { createLogger } = await import('./src/log.ts');
const SDKS = ${JSON.stringify(CHANNEL_SDKS)};
const channels = await buildChannels({ config: loadConfig(JSON.parse(process.argv[1])), redisUrl: 'redis://127.0.0.1:9', log: createLogger('silent') });
const packageOf = (file) => { const p = file.split('/node_modules/').at(-1).split('/'); return p[0].startsWith('@') ? p[0] + '/' + p[1] : p[0]; };
const sdks = new Set(Object.keys(createRequire(import.meta.url).cache).map(packageOf).filter((p) => SDKS.includes(p)));
console.log(JSON.stringify({ adapters: channels.adapters.map((a) => a.name), sdks: [...sdks].sort() }));
channels.close();
process.exit(0);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(env)], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`child exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { adapters: string[]; sdks: string[] };
}
