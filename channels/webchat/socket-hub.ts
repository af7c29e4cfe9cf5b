// Pushes replies that arrive later (ticket number, status feedback) to the widget's WebSocket. Any gateway
// instance may deliver a reply, and the citizen's socket may be on any other: deliveries go through Redis
// pub/sub and every instance forwards to the sockets it holds.
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Redis } from 'ioredis';
import type { HistoryItem } from './history.js';
import { SessionIdSchema } from './request-schema.js';
import type { Logger } from '../../src/log.js';

export interface PushEvent {
  sessionId: string;
  item: HistoryItem;
}

export class SocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private subscriber?: Redis;
  private heartbeat?: NodeJS.Timeout;

  constructor(private readonly channel: string, private readonly log: Logger) {}

  async start(redisUrl: string): Promise<void> {
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.subscriber.on('error', (err) => this.log.debug({ err: err.message }, 'webchat subscriber error'));
    this.subscriber.on('message', (_channel, raw) => {
      try {
        const event = JSON.parse(raw) as PushEvent;
        this.deliverLocal(event.sessionId, event.item);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'bad webchat push event');
      }
    });
    await this.subscriber.subscribe(this.channel);
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
    if (!parsed.success) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nsessionId is missing or invalid\n');
      return;
    }
    const sessionId = parsed.data;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const alive = ws as WebSocket & { alive?: boolean };
      alive.alive = true;
      ws.on('pong', () => (alive.alive = true));
      let set = this.sockets.get(sessionId);
      if (!set) this.sockets.set(sessionId, (set = new Set()));
      set.add(ws);
      ws.on('close', () => {
        set!.delete(ws);
        if (set!.size === 0) this.sockets.delete(sessionId);
      });
      ws.on('error', () => ws.terminate());
      ws.send(JSON.stringify({ type: 'hello', sessionId }));
    });
  };

  private deliverLocal(sessionId: string, item: HistoryItem): void {
    const set = this.sockets.get(sessionId);
    if (!set) return;
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
    this.wss.close();
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = undefined;
    }
  }
}
