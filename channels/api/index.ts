// Builds the partner API adapter when API_PARTNERS is set (one line in channels/index.ts).
import type { ChannelAdapter } from '../../src/core/channel-adapter.js';
import type { ChannelDeps } from '../index.js';
import { ApiAdapter } from './api-adapter.js';

export function apiChannels(deps: ChannelDeps): ChannelAdapter[] {
  const options = deps.config.channels.api;
  return options ? [new ApiAdapter(options)] : [];
}
