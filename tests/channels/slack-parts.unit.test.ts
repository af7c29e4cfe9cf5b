// The Slack adapter's small parts: configuration, Block Kit replies and what a failed Web API call becomes.
// (Request signatures are Bolt's; slack-routes.unit.test.ts checks what the routes answer to bad ones.)
import { describe, expect, it } from 'vitest';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { loadSlackConfig } from '../../channels/slack/slack-config.js';
import { replyBlocks } from '../../channels/slack/block-kit.js';
import { toChannelApiError } from '../../channels/slack/slack-api.js';
import { escapeText } from '../../channels/slack/slack-text.js';
import { ConfigError } from '../../src/config.js';

const SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

describe('slack configuration', () => {
  it('is off without variables, on with token and signing secret', () => {
    expect(loadSlackConfig({})).toBeUndefined();
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET })).toEqual({
      token: TOKEN,
      signingSecret: SECRET,
      apiUrl: 'https://slack.com/api/',
      command: '/12345',
    });
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'http://127.0.0.1:9/api' })?.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('refuses a half configuration', () => {
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: TOKEN })).toThrow(ConfigError);
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SECRET })).toThrow(/xoxb/);
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_STAFF_CHANNEL: '#staff' })).toThrow(/SLACK_STAFF_CHANNEL/);
  });
});

describe('slack replies', () => {
  it('escapes the three characters Slack reads as markup', () => {
    expect(escapeText('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
  });

  it('turns quick replies into buttons whose value is the payload', () => {
    const blocks = replyBlocks('请对本次办理进行评价', [
      { label: '满意', payload: 'rate:20261128-000123:satisfied' },
      { label: '不满意', payload: 'rate:20261128-000123:unsatisfied' },
    ]);
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'plain_text', text: '请对本次办理进行评价', emoji: true } },
      {
        type: 'actions',
        block_id: 'quick_replies',
        elements: [
          { type: 'button', action_id: 'quick_reply_0', text: { type: 'plain_text', text: '满意', emoji: true }, value: 'rate:20261128-000123:satisfied' },
          { type: 'button', action_id: 'quick_reply_1', text: { type: 'plain_text', text: '不满意', emoji: true }, value: 'rate:20261128-000123:unsatisfied' },
        ],
      },
    ]);
    expect(replyBlocks('长'.repeat(7000), [{ label: 'x', payload: 'y' }])).toHaveLength(4);
  });
});

describe('slack Web API errors', () => {
  it('carries the wait of a 429, retries 5xx, transient and network errors, gives up on the rest', () => {
    expect(toChannelApiError(new WebAPIRateLimitedError(3), 'chat.postMessage')).toMatchObject({ status: 429, retryAfterMs: 3000 });
    expect(toChannelApiError(new WebAPIHTTPError(503, 'Service Unavailable', {}, ''), 'chat.postMessage')).toMatchObject({ status: 503 });
    expect(toChannelApiError(new WebAPIPlatformError({ ok: false, error: 'channel_not_found' }), 'chat.postMessage')).toMatchObject({ status: 400, platformCode: 'channel_not_found' });
    expect(toChannelApiError(new WebAPIPlatformError({ ok: false, error: 'internal_error' }), 'chat.postMessage')).toMatchObject({ status: undefined, platformCode: 'internal_error' });
    expect(toChannelApiError(new WebAPIRequestError(new Error('ECONNRESET')), 'chat.postMessage')).toMatchObject({ status: undefined });
  });
});
