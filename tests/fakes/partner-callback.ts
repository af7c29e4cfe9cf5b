// A partner system on 127.0.0.1: receives Jiesu's signed callbacks (checking each signature with the shared
// secret, as a partner must), records them, and can be taken down (503 or dropped connections) and brought
// back. PartnerClient posts messages the way a partner's backend does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signBody, signedHeaders } from '../../channels/api/hmac-signature.js';
import { postJson, type PostResult } from '../helpers/webchat-client.js';

export interface ReceivedCallback {
  body: any;
  idempotencyKey?: string;
  partner?: string;
  /** True when X-Jiesu-Signature matched the body under the shared secret. */
  signatureValid: boolean;
  timestamp?: string;
}

export class FakePartner {
  /** Every request, including those answered while down. */
  readonly requests: ReceivedCallback[] = [];
  /** Callbacks accepted (2xx), de-duplicated by Idempotency-Key as a well-behaved partner would. */
  readonly accepted = new Map<string, ReceivedCallback>();
  private mode: 'up' | '503' | 'drop' = 'up';
  private server?: Server;
  url = '';

  constructor(readonly id = 'city-app', readonly secret = 'city-app-shared-secret-0123456789abcdef') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const timestamp = req.headers['x-jiesu-timestamp'] as string | undefined;
        const signature = req.headers['x-jiesu-signature'] as string | undefined;
        let body: any;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          body = raw.toString('utf8');
        }
        const got: ReceivedCallback = {
          body,
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          partner: req.headers['x-jiesu-partner'] as string | undefined,
          signatureValid: !!timestamp && signature === signBody(this.secret, timestamp, raw),
          timestamp,
        };
        this.requests.push(got);
        if (this.mode === 'drop') return void req.socket.destroy();
        if (this.mode === '503') return void res.writeHead(503).end('maintenance');
        if (!got.signatureValid) return void res.writeHead(401).end('bad signature');
        if (got.idempotencyKey && !this.accepted.has(got.idempotencyKey)) this.accepted.set(got.idempotencyKey, got);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jiesu/callback`;
    return this;
  }

  down(how: '503' | 'drop' = '503'): void {
    this.mode = how;
  }

  up(): void {
    this.mode = 'up';
  }

  /** The API_PARTNERS entry for this partner. */
  config(): { id: string; secret: string; callbackUrl: string } {
    return { id: this.id, secret: this.secret, callbackUrl: this.url };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** Posts to /api/channels/api/messages as a partner's backend does. */
export class PartnerClient {
  constructor(private readonly gatewayUrl: string, private readonly id: string, private readonly secret: string) {}

  async post(body: unknown, opts: { now?: Date; secret?: string; headers?: Record<string, string> } = {}): Promise<PostResult> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { ...signedHeaders(this.id, opts.secret ?? this.secret, raw, opts.now), ...opts.headers };
    return postJson(`${this.gatewayUrl}/api/channels/api/messages`, raw, headers);
  }
}
