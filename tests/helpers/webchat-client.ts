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

  /** Sends a complaint that is queued at once (CONFIRM_COMPLAINTS=0) and resolves its ticket's number, pushed later. */
  async fileComplaint(text: string): Promise<string> {
    const r = await this.say(text);
    if (r.status !== 200 || r.body.status !== 'queued') throw new Error(`the complaint was not queued: ${r.status} ${JSON.stringify(r.body)}`);
    return (await this.waitFor((m) => m.kind === 'ticket')).ticketNumber;
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

/** A new citizen, connected, who files one complaint: the citizen and the ticket's number. */
export async function fileComplaint(baseUrl: string, text: string): Promise<{ citizen: WebchatCitizen; number: string }> {
  const citizen = new WebchatCitizen(baseUrl);
  await citizen.connect();
  return { citizen, number: await citizen.fileComplaint(text) };
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

/**
 * Conversation tests read like transcripts: `await c.says('…').expectReply(/…/)`. Each step posts one message
 * and checks the last reply; `transcript` keeps the whole exchange for failure messages and notes.
 */
export class Script {
  readonly transcript: string[] = [];
  constructor(readonly citizen: WebchatCitizen) {}

  async send(text: string, action?: string): Promise<any> {
    const r = await this.citizen.say(text, undefined, action ? { action } : {});
    if (r.status !== 200) throw new Error(`POST ${text} → ${r.status} ${JSON.stringify(r.body)}`);
    this.transcript.push(`> ${text}${action ? ` [${action}]` : ''}`);
    for (const reply of r.body.replies) {
      const buttons = reply.quickReplies?.length ? `  [${reply.quickReplies.map((q: any) => q.label).join(' | ')}]` : '';
      this.transcript.push(`< ${reply.text}${buttons}`);
    }
    return r.body;
  }

  /** Sends and asserts the last reply matches; returns it. */
  async expect(text: string, pattern: RegExp, action?: string): Promise<any> {
    const body = await this.send(text, action);
    const last = body.replies.at(-1);
    if (!last || !pattern.test(last.text)) {
      throw new Error(`after "${text}" expected a reply matching ${pattern}; transcript:\n${this.transcript.join('\n')}`);
    }
    return last;
  }

  print(title: string): void {
    console.log(`--- ${title}\n${this.transcript.join('\n')}`);
  }
}
