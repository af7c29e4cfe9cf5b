// The core finds adapters here by name, never through a switch over channels.
import type { ChannelAdapter } from './channel-adapter.js';
import type { ChannelName } from './envelope.js';

export class UnknownChannelError extends Error {
  readonly code = 'UNKNOWN_CHANNEL';
}

export class ChannelRegistry {
  private readonly adapters = new Map<ChannelName, ChannelAdapter>();

  register(adapter: ChannelAdapter): this {
    if (this.adapters.has(adapter.name)) throw new Error(`channel ${adapter.name} registered twice`);
    this.adapters.set(adapter.name, adapter);
    return this;
  }

  get(name: ChannelName): ChannelAdapter {
    const adapter = this.adapters.get(name);
    if (!adapter) throw new UnknownChannelError(`no adapter for channel ${name} (is it configured?)`);
    return adapter;
  }

  has(name: ChannelName): boolean {
    return this.adapters.has(name);
  }

  all(): ChannelAdapter[] {
    return [...this.adapters.values()];
  }
}
