// A connection that fails keeps failing for as long as its server is away: ioredis retries every 200 ms–2 s
// and emits 'error' each time, a pg pool each time an idle client drops. Logging each one floods the log;
// dropping them (`on('error', () => {})`) hides an outage. This logs a connection's state changes instead:
// one warning when it goes down (with the first error), one line when it is back.
import type { EventEmitter } from 'node:events';
import type { QueueBase, RedisQueueBackend } from 'bullmq';
import type { Logger } from './log.js';

export interface ConnectionState {
  /** An error from the connection: logged when it was up until now, counted while it stays down. */
  down(err: unknown): void;
  /** The connection works again: logged (with how many errors it saw) when it was down. */
  up(): void;
}

export function connectionState(log: Logger, name: string): ConnectionState {
  let failing = false;
  let errors = 0;
  return {
    down(err) {
      errors++;
      if (failing) return;
      failing = true;
      log.warn({ connection: name, err: (err as Error)?.message ?? String(err) }, `${name}: connection lost; retrying`);
    },
    up() {
      if (!failing) return;
      log.info({ connection: name, errors }, `${name}: connection back`);
      failing = false;
      errors = 0;
    },
  };
}

/**
 * Logs an emitter's connection state: 'error' takes it down, `upEvent` ('ready' for ioredis, 'connect' for a
 * pg pool) brings it back. Also the emitter's 'error' listener, so an error never crashes the process.
 */
export function watchConnection(emitter: EventEmitter, log: Logger, name: string, upEvent = 'ready'): ConnectionState {
  const state = connectionState(log, name);
  emitter.on('error', (err: unknown) => state.down(err));
  emitter.on(upEvent, () => state.up());
  return state;
}

/** The same for a BullMQ queue: its own events say only that the connection failed, its client when it is back. */
export function watchQueue(queue: QueueBase<RedisQueueBackend>, log: Logger, name: string): ConnectionState {
  const state = connectionState(log, name);
  queue.on('error', (err: Error) => state.down(err));
  queue
    .getBackend()
    .connection.client.then((client) => client.on('ready', () => state.up()))
    .catch((err: unknown) => state.down(err));
  return state;
}
