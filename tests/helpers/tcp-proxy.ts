// A TCP proxy on 127.0.0.1 that a fault test can switch off: while down it refuses new connections and cuts
// the open ones, as a platform API (or a database) that has gone away would look from the gateway.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class TcpProxy {
  private server?: Server;
  private readonly open = new Set<Socket>();
  up = true;
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  static async to(url: string): Promise<TcpProxy> {
    const u = new URL(url);
    const p = new TcpProxy(u.hostname, Number(u.port));
    await p.listen();
    return p;
  }

  private async listen(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = connect(this.targetPort, this.targetHost);
      this.open.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.open.delete(client);
        this.open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path = ''): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  down(): void {
    this.up = false;
    for (const s of this.open) s.destroy();
    this.open.clear();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
