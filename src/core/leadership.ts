// Work that only one process of the deployment may do at a time, however many gateways run: a platform poller
// (a platform may allow one reader of its updates per bot, or count every call against one hourly budget).
// The core says what it needs; src/queue implements it with a Redis lock, and the gateway hands it to the
// channels in their ChannelContext.

export interface Leadership {
  /**
   * Plays `role` whenever this process holds it, until `stop` aborts: waits while another process holds the role,
   * then calls `lead` with a signal that aborts as soon as the role is lost (or `stop` aborts). `lead` should
   * return promptly once its signal aborts; the role is then released and, unless stopping, waited for again.
   * Never rejects: a failure of `lead` is logged and ends that term.
   */
  lead(role: string, lead: (signal: AbortSignal) => Promise<void>, stop: AbortSignal): Promise<void>;
}
