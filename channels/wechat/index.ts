// The WeChat official account channel's definition (one line in the channel list, channels/index.ts): on when
// its WECHAT_* variables are set.
import type { ChannelDefinition } from '../shared/channel-definition.js';

export const wechatChannel: ChannelDefinition = {
  name: 'wechat',
  label: '微信公众号',
  // Quick replies go out as a numbered list; the citizen answers with the number.
  capabilities: { buttons: false, publicReplies: false },
  demo: {
    ticketShare: 34,
    handoff: {
      minutesAgo: 35,
      lang: 'zh',
      turns: [
        ['citizen', '上次反映的暖气问题，工单说办结了，可家里还是不热'],
        ['citizen', '我要找人工客服'],
        ['agent', '您好，我是12345话务员，请提供一下工单号，我帮您查一下办理情况。'],
      ],
    },
  },
  build: async (ctx) => {
    const options = ctx.config.channels.wechat;
    if (!options) return undefined;
    const { WechatAdapter } = await import('./wechat-adapter.js');
    return new WechatAdapter(options, ctx);
  },
};
