// The WeChat official account channel's definition (one line in the channel list, channels/index.ts): on when
// its WECHAT_* variables are set.
import type { ChannelDefinition } from '../shared/channel-definition.js';
import { WechatAdapter } from './wechat-adapter.js';
import { wechatOptionsFromEnv } from './wechat-options.js';

export const wechatChannel: ChannelDefinition = {
  name: 'wechat',
  label: '微信公众号',
  // Quick replies go out as a numbered list; the citizen answers with the number.
  capabilities: { buttons: false, publicReplies: false },
  checkConfig: (env) => void wechatOptionsFromEnv(env),
  build: (ctx) => {
    const options = wechatOptionsFromEnv(ctx.env);
    return options && new WechatAdapter(options, ctx);
  },
};
