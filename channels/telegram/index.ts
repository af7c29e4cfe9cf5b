// The Telegram channel's definition (one line in the channel list, channels/index.ts): on when
// TELEGRAM_BOT_TOKEN is set.
import type { ChannelDefinition } from '../shared/channel-definition.js';
import { TelegramAdapter } from './telegram-adapter.js';

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
  build: (ctx) => {
    const config = ctx.config.channels.telegram;
    return config && new TelegramAdapter(config, ctx);
  },
};
