// The Telegram channel's definition (one line in the channel list, channels/index.ts): on when
// TELEGRAM_BOT_TOKEN is set.
import type { ChannelDefinition } from '../shared/channel-definition.js';

export const telegramChannel: ChannelDefinition = {
  name: 'telegram',
  label: 'Telegram',
  capabilities: { buttons: true, publicReplies: false },
  demo: {
    ticketShare: 5,
    handoff: {
      minutesAgo: 50,
      lang: 'en',
      turns: [
        ['citizen', 'I need to extend my residence permit but the office near Sanlitun says I must book online, and the site does not work'],
        ['citizen', 'Can I talk to a person?'],
      ],
    },
  },
  build: async (ctx) => {
    const config = ctx.config.channels.telegram;
    if (!config) return undefined;
    const { TelegramAdapter } = await import('./telegram-adapter.js');
    return new TelegramAdapter(config, ctx);
  },
};
