// The core finds adapters here by name, never through a switch over channels.
import type { ChannelAdapter } from './channel-adapter.js';
import type { Address, ChannelName, Reply } from './envelope.js';

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

  /** Whether the channel's sending is an append to the conversation log (ChannelAdapter.deliverLocally). */
  deliversLocally(name: ChannelName): boolean {
    return this.adapters.get(name)?.deliverLocally !== undefined;
  }

  /** The channel's download of an attachment it holds, when it has one (ChannelAdapter.fetchAttachment). */
  attachmentFetcher(name: string): ((ref: string) => Promise<Buffer>) | undefined {
    const adapter = this.adapters.get(name as ChannelName);
    return adapter?.fetchAttachment ? (ref) => adapter.fetchAttachment!(ref) : undefined;
  }

  /**
   * Sends the replies whose channel delivers locally (ChannelAdapter.deliverLocally), each channel's share in one
   * call. Resolves, per reply, whether it was delivered: the others (another channel, or a failed write) are for
   * the outbound queue.
   */
  async deliverLocally(deliveries: { address: Address; reply: Reply }[]): Promise<boolean[]> {
    const delivered = deliveries.map(() => false);
    const byChannel = new Map<ChannelAdapter, number[]>();
    deliveries.forEach((d, i) => {
      const adapter = this.adapters.get(d.address.channel);
      if (!adapter?.deliverLocally) return;
      const share = byChannel.get(adapter);
      if (share) share.push(i);
      else byChannel.set(adapter, [i]);
    });
    await Promise.all(
      [...byChannel].map(async ([adapter, indexes]) => {
        const share = indexes.map((i) => ({ to: deliveries[i].address, reply: deliveries[i].reply }));
        const errors = await adapter.deliverLocally!(share).catch((err: Error) => share.map(() => err));
        errors.forEach((err, j) => (delivered[indexes[j]] = !err));
      }),
    );
    return delivered;
  }

  all(): ChannelAdapter[] {
    return [...this.adapters.values()];
  }
}
