// The Telegram channel's definition (one line in the channel list, channels/index.ts): on when
// TELEGRAM_BOT_TOKEN is set.
import type { ChannelDefinition } from '../shared/channel-definition.js';
import { TelegramAdapter } from './telegram-adapter.js';
import { loadTelegramConfig } from './telegram-config.js';

export const telegramChannel: ChannelDefinition = {
  name: 'telegram',
  label: 'Telegram',
  capabilities: { buttons: true, publicReplies: false },
  checkConfig: (env) => void loadTelegramConfig(env),
  build: (ctx) => {
    const config = loadTelegramConfig(ctx.env);
    return config && new TelegramAdapter(config, ctx);
  },
};
