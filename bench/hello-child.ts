// The baseline: a bare express hello-world on the same machine, in its own process, taking the very same
// POST the gateway gets (express does not parse the body here: this is the cheapest possible endpoint).
import express from 'express';
import type { AddressInfo } from 'node:net';
import { announce, serve } from './ipc.js';

const app = express();
app.post('/api/webchat/messages', (_req, res) => {
  res.send('Hello World!');
});
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((r) => server.once('listening', () => r()));
server.keepAliveTimeout = 65_000; // as the gateway sets it
const close = () => new Promise<void>((r) => {
  server.close(() => r());
  server.closeAllConnections();
});
serve(
  {
    stats: () => ({ rssMb: process.memoryUsage().rss / 2 ** 20 }),
    stop: async () => {
      await close();
      setImmediate(() => process.exit(0));
      return true;
    },
  },
  close,
);
announce({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid });
