// A web chat citizen for tests: posts messages like the widget and collects what arrives on the WebSocket.
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';

export interface PostResult {
  status: number;
  body: any;
  headers: Headers;
}

export class WebchatCitizen {
  readonly sessionId = randomUUID();
  readonly pushed: any[] = [];
  private ws?: WebSocket;

  constructor(private readonly baseUrl: string) {}

  async connect(): Promise<void> {
    const ws = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/api/webchat/ws?sessionId=${this.sessionId}`);
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString());
      if (frame.type === 'message') this.pushed.push(frame.message);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.ws = ws;
  }

  async say(text: string, messageId: string = randomUUID(), extra: Record<string, unknown> = {}): Promise<PostResult> {
    return postJson(`${this.baseUrl}/api/webchat/messages`, { sessionId: this.sessionId, messageId, text, ...extra });
  }

  async history(): Promise<any[]> {
    const res = await fetch(`${this.baseUrl}/api/webchat/sessions/${this.sessionId}/messages`);
    return ((await res.json()) as { messages: any[] }).messages;
  }

  /** Waits until a pushed message matches, or fails after `ms`. */
  async waitFor(pred: (m: any) => boolean, ms = 20_000): Promise<any> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const hit = this.pushed.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no pushed message matched within ${ms} ms; got ${JSON.stringify(this.pushed)}`);
  }

  close(): void {
    this.ws?.close();
  }
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function waitUntil(pred: () => Promise<boolean> | boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not reached within ${ms} ms`);
}
