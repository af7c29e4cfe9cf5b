// Builds the Telegram adapter when TELEGRAM_BOT_TOKEN is set (one line in channels/index.ts).
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import type { ChannelDeps } from '../index.js';
import { TelegramAdapter } from './telegram-adapter.js';

export function telegramChannels(deps: ChannelDeps): ChannelAdapter[] {
  const config = deps.config.channels.telegram;
  return config ? [new TelegramAdapter({ config, redisUrl: deps.redisUrl, prefix: deps.config.queuePrefix, log: deps.log.child({ channel: 'telegram' }) })] : [];
}
