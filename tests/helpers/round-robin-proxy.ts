// A load balancer in front of several gateway instances, on 127.0.0.1: each new TCP connection goes to the
// next instance in turn (HTTP requests and WebSocket upgrades alike, since both are one connection each).
// A request sent on a fresh connection (postFresh below) therefore lands on the other instance than the one
// before it. `served` records which instance took each connection, so a test can prove the alternation.
// An instance that refuses the connection (killed) is skipped, as a load balancer's health check would.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';

export class RoundRobinProxy {
  private server?: Server;
  private readonly open = new Set<Socket>();
  private turn = 0;
  /** The index in `targets` of the instance each connection went to, in order. */
  readonly served: number[] = [];
  port = 0;

  constructor(private readonly targets: { host: string; port: number }[]) {}

  static async to(urls: string[]): Promise<RoundRobinProxy> {
    const p = new RoundRobinProxy(urls.map((u) => ({ host: new URL(u).hostname, port: Number(new URL(u).port) })));
    await p.listen();
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    this.server = createServer((client) => {
      client.pause();
      this.open.add(client);
      client.on('error', () => client.destroy()).on('close', () => this.open.delete(client));
      this.pipe(client, 0);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private pipe(client: Socket, tried: number): void {
    if (tried >= this.targets.length) return void client.destroy();
    const index = this.turn++ % this.targets.length;
    const upstream = connect(this.targets[index].port, this.targets[index].host);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.served.push(index);
      this.open.add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      if (!connected) return this.pipe(client, tried + 1);
      client.destroy();
    });
    upstream.on('close', () => {
      this.open.delete(upstream);
      if (connected) client.destroy();
    });
    client.on('close', () => upstream.destroy());
  }

  async close(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** A request on a connection of its own (no keep-alive pool), so a round-robin balancer picks anew. */
export function requestFresh(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json(): any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export async function postFresh(url: string, body: unknown, headers: Record<string, string> = {}) {
  return requestFresh(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
