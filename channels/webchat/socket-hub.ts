// Pushes replies that arrive later (ticket number, status feedback) to the widget's WebSocket. Any gateway
// instance may deliver a reply, and the citizen's socket may be on any other: every new turn of a conversation
// is published on its live channel (src/queue/conversation-log-redis.ts), and an instance subscribes to a
// session's channel only while it holds a socket of that session. Redis then sends each turn to the instances
// that can use it, and an instance's cost is the sockets it holds, not the city's whole traffic.
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Redis } from 'ioredis';
import { SessionIdSchema } from './request-schema.js';
import { withTimeout } from '../../src/core/with-timeout.js';
import type { ConversationTurn } from '../../src/core/conversation-log.js';
import { invalidField, type InvalidField } from '../../src/http/validate.js';
import type { Logger } from '../../src/log.js';
import { widgetItem } from './widget-item.js';

/**
 * How long an upgrade waits for its session's subscription before the socket opens anyway: with Redis slow or
 * gone the citizen still gets a live socket, and ioredis subscribes when Redis is back (the widget re-reads
 * the history on every reconnect, so nothing is missed for good).
 */
const SUBSCRIBE_WAIT_MS = 2000;

export class SocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly sockets = new Map<string, Set<WebSocket>>();
  /** Per session: sockets open or being opened here, and the subscription they share. */
  private readonly listening = new Map<string, { holders: number; subscribed: Promise<unknown> }>();
  /** Pub/sub channel → the session whose turns it carries, for the sessions listened to. */
  private readonly sessionOf = new Map<string, string>();
  private subscriber?: Redis;
  private heartbeat?: NodeJS.Timeout;

  /** `liveChannel(sessionId)` is the pub/sub channel on which the session's new turns are published. */
  constructor(private readonly liveChannel: (sessionId: string) => string, private readonly log: Logger) {}

  async start(redisUrl: string): Promise<void> {
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.subscriber.on('error', (err) => this.log.debug({ err: err.message }, 'webchat subscriber error'));
    this.subscriber.on('message', (channel: string, turn: string) => {
      const sessionId = this.sessionOf.get(channel);
      if (sessionId !== undefined) this.deliverLocal(sessionId, turn);
    });
    // Dead connections (phone went to sleep) are found by ping/pong and dropped.
    this.heartbeat = setInterval(() => {
      for (const set of this.sockets.values())
        for (const ws of set) {
          const alive = ws as WebSocket & { alive?: boolean };
          if (alive.alive === false) ws.terminate();
          else {
            alive.alive = false;
            ws.ping();
          }
        }
    }, 30_000);
    this.heartbeat.unref();
  }

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parsed = SessionIdSchema.safeParse(url.searchParams.get('sessionId'));
    if (!parsed.success) return refuseUpgrade(socket, invalidField(parsed.error, 'sessionId'));
    const sessionId = parsed.data;
    // Released once, whichever comes first: the socket closing, or the handshake failing before it opened.
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.unlisten(sessionId);
    };
    socket.once('close', release);
    // The socket opens once the subscription stands, so a reply published after the widget sees it open is
    // never one this instance was not yet listening for.
    void withTimeout(this.listen(sessionId), SUBSCRIBE_WAIT_MS, 'webchat push subscription')
      .catch((err: Error) => this.log.debug({ err: err.message }, 'webchat socket opens before its subscription'))
      .then(() => {
        if (released || socket.destroyed) return release();
        this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(sessionId, ws, release));
      });
  };

  private opened(sessionId: string, ws: WebSocket, release: () => void): void {
    const alive = ws as WebSocket & { alive?: boolean };
    alive.alive = true;
    ws.on('pong', () => (alive.alive = true));
    let set = this.sockets.get(sessionId);
    if (!set) this.sockets.set(sessionId, (set = new Set()));
    set.add(ws);
    ws.on('close', () => {
      set!.delete(ws);
      if (set!.size === 0) this.sockets.delete(sessionId);
      release();
    });
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({ type: 'hello', sessionId }));
  }

  /** One more socket wants the session's replies; subscribes for the first. */
  private listen(sessionId: string): Promise<unknown> {
    const entry = this.listening.get(sessionId);
    if (entry) {
      entry.holders++;
      return entry.subscribed;
    }
    const channel = this.liveChannel(sessionId);
    this.sessionOf.set(channel, sessionId);
    const subscribed = this.subscriber ? this.subscriber.subscribe(channel) : Promise.reject(new Error('the socket hub is stopped'));
    subscribed.catch(() => {}); // awaited by the upgrade (with its deadline); never an unhandled rejection
    this.listening.set(sessionId, { holders: 1, subscribed });
    return subscribed;
  }

  /** One socket fewer; the last one's leaving unsubscribes. */
  private unlisten(sessionId: string): void {
    const entry = this.listening.get(sessionId);
    if (!entry || --entry.holders > 0) return;
    this.listening.delete(sessionId);
    const channel = this.liveChannel(sessionId);
    this.sessionOf.delete(channel);
    // Fails only with the subscriber's connection gone, and its subscriptions with it (its watcher logs that).
    this.subscriber?.unsubscribe(channel).catch(() => {});
  }

  /** Sessions this instance is subscribed to (or subscribing to) now. */
  subscriptionCount(): number {
    return this.listening.size;
  }

  private deliverLocal(sessionId: string, turn: string): void {
    const set = this.sockets.get(sessionId);
    if (!set) return;
    let item;
    try {
      item = widgetItem(JSON.parse(turn) as ConversationTurn, sessionId);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'webchat push: an unreadable turn was not sent');
      return;
    }
    const frame = JSON.stringify({ type: 'message', message: item });
    for (const ws of set) if (ws.readyState === ws.OPEN) ws.send(frame);
  }

  connectionCount(): number {
    let n = 0;
    for (const s of this.sockets.values()) n += s.size;
    return n;
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const set of this.sockets.values()) for (const ws of set) ws.close(1001, 'server shutting down');
    this.sockets.clear();
    this.listening.clear();
    this.sessionOf.clear();
    this.wss.close();
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = undefined;
    }
  }
}

/**
 * The API's 400 invalid_request, written on the raw socket: an upgrade is refused before any ServerResponse
 * exists. Browsers do not show it to scripts (the WebSocket only fails), but a client debugging by hand sees it.
 */
function refuseUpgrade(socket: Duplex, invalid: InvalidField): void {
  const body = JSON.stringify({ error: 'invalid_request', reason: invalid.reason, field: invalid.field });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
