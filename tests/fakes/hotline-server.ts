// A local fake of the city's external hotline system (docs/openapi.yaml), on 127.0.0.1. It verifies our
// signature, creates each ticket once per Idempotency-Key (a repeat gets 409 with the same ref), and can be
// told to misbehave: answer 500, hang past the client's deadline (before or after it has created the
// ticket — the second is a response lost in flight), or refuse with 422. It takes status changes made in
// Jiesu at /tickets/{number}/events (each once per Idempotency-Key, 404 for a ticket it does not have), and
// problems' states at /problems (keeping the newest version of each). It also sends signed status callbacks to
// the gateway, and can send them twice.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign, verify } from '../../src/tickets/hotline-signature.js';
import {
  CALLBACK_HEADERS,
  OUTBOUND_HEADERS,
  HotlineEventSchema,
  HotlineProblemSchema,
  HotlineTicketSchema,
  hotlineProblemKey,
  type HotlineEvent,
  type HotlineProblem,
  type HotlineTicket,
} from '../../src/tickets/hotline-contract.js';

/** What the fake does with a request: answer normally, or misbehave. */
export type Behaviour = 'ok' | '500' | 'hang' | 'accept-then-hang' | '422';

export interface Attempt {
  key: string | undefined;
  behaviour: Behaviour;
  verified: boolean;
  at: number;
}

export class FakeHotline {
  readonly attempts: Attempt[] = [];
  /** Tickets created, by Idempotency-Key: each key is created at most once. */
  readonly created = new Map<string, { ticket: HotlineTicket; ref: string; creations: number }>();
  /** Status changes taken, in the order they arrived; each Idempotency-Key once. */
  readonly events: HotlineEvent[] = [];
  /** Problem states taken, in the order they arrived; each Idempotency-Key once. */
  readonly problems: HotlineProblem[] = [];
  private script: Behaviour[] = [];
  private perKey = new Map<string, Behaviour[]>();
  private always?: Behaviour;
  private server?: Server;
  private hanging = new Set<ServerResponse>();
  url = '';

  constructor(
    private readonly secret: string,
    /** How long a "hang" lasts: longer than the client's deadline. */
    private readonly hangMs = 3000,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/tickets`;
    return this;
  }

  /** The next requests, in order, whatever their key; then normal again. */
  next(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** The next requests for one ticket number. */
  nextFor(number: string, ...behaviours: Behaviour[]): this {
    this.perKey.set(number, [...(this.perKey.get(number) ?? []), ...behaviours]);
    return this;
  }

  /** Every request until cleared (undefined = normal). */
  setAlways(b: Behaviour | undefined): this {
    this.always = b;
    return this;
  }

  attemptsFor(number: string): Attempt[] {
    return this.attempts.filter((a) => a.key === number);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const key = req.headers[OUTBOUND_HEADERS.idempotencyKey.toLowerCase()] as string | undefined;
    const v = verify(
      this.secret,
      { signature: req.headers[OUTBOUND_HEADERS.signature.toLowerCase()] as string, timestamp: req.headers[OUTBOUND_HEADERS.timestamp.toLowerCase()] as string },
      body,
      Date.now(),
    );
    const fromKey = key ? this.perKey.get(key)?.shift() : undefined;
    const behaviour: Behaviour = fromKey ?? this.script.shift() ?? this.always ?? 'ok';
    this.attempts.push({ key, behaviour, verified: v.ok, at: Date.now() });
    if (!v.ok) return this.json(res, 401, { error: v.reason });
    if (req.method !== 'POST' || !key) return this.json(res, 400, { error: 'POST with an Idempotency-Key' });
    if (behaviour === '500') return this.json(res, 500, { error: 'internal' });
    if (behaviour === '422') return this.json(res, 422, { error: 'refused' });
    if (behaviour === 'hang') return this.hang(res);
    const eventsOf = /^\/tickets\/([^/]+)\/events$/.exec(req.url ?? '');
    if (eventsOf) return this.takeEvent(res, decodeURIComponent(eventsOf[1]), key, body, behaviour);
    if (req.url === '/problems') return this.takeProblem(res, key, body);
    const parsed = HotlineTicketSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return this.json(res, 400, { error: parsed.error.issues[0].message });
    if (parsed.data.number !== key) return this.json(res, 400, { error: 'Idempotency-Key must be the ticket number' });
    const existing = this.created.get(key);
    if (existing) return this.json(res, 409, { ref: existing.ref });
    const ref = `HL-${this.created.size + 1}`;
    this.created.set(key, { ticket: parsed.data, ref, creations: 1 });
    if (behaviour === 'accept-then-hang') return this.hang(res);
    this.json(res, 201, { ref });
  }

  private takeEvent(res: ServerResponse, number: string, key: string, body: Buffer, behaviour: Behaviour): void {
    const parsed = HotlineEventSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return this.json(res, 400, { error: parsed.error.issues[0].message });
    const e = parsed.data;
    if (e.number !== number || e.eventId !== key) return this.json(res, 400, { error: 'the path must name the ticket and the Idempotency-Key the event' });
    if (![...this.created.values()].some((c) => c.ticket.number === number)) return this.json(res, 404, { error: `no ticket ${number}` });
    if (this.events.some((x) => x.eventId === key)) return this.json(res, 409, {});
    this.events.push(e);
    if (behaviour === 'accept-then-hang') return this.hang(res);
    this.json(res, 201, {});
  }

  private takeProblem(res: ServerResponse, key: string, body: Buffer): void {
    const parsed = HotlineProblemSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return this.json(res, 400, { error: parsed.error.issues[0].message });
    if (hotlineProblemKey(parsed.data) !== key) return this.json(res, 400, { error: 'the Idempotency-Key must name the problem and its version' });
    if (this.problems.some((p) => hotlineProblemKey(p) === key)) return this.json(res, 409, {});
    this.problems.push(parsed.data);
    this.json(res, 201, {});
  }

  /** The newest state the hotline has of a problem. */
  problem(id: number): HotlineProblem | undefined {
    return this.problems.filter((p) => p.id === id).sort((a, b) => Date.parse(b.version) - Date.parse(a.version))[0];
  }

  eventsFor(number: string): HotlineEvent[] {
    return this.events.filter((e) => e.number === number);
  }

  private hang(res: ServerResponse): void {
    this.hanging.add(res);
    setTimeout(() => {
      this.hanging.delete(res);
      if (!res.writableEnded) this.json(res, 504, { error: 'too late' });
    }, this.hangMs).unref();
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /** A signed callback, as bytes and headers, so a test can send it, re-send it, or tamper with it. */
  signedCallback(payload: Record<string, unknown>, opts: { timestamp?: number; secret?: string } = {}): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(payload);
    const ts = String(Math.floor((opts.timestamp ?? Date.now()) / 1000));
    return {
      body,
      headers: { 'content-type': 'application/json', [CALLBACK_HEADERS.timestamp]: ts, [CALLBACK_HEADERS.signature]: sign(opts.secret ?? this.secret, ts, body) },
    };
  }

  /** Sends a status callback to the gateway; `times` > 1 sends it again, re-signed, as a retrying hotline does. */
  async sendCallback(gatewayUrl: string, payload: Record<string, unknown>, times = 1): Promise<{ status: number; body: any }[]> {
    const out: { status: number; body: any }[] = [];
    for (let i = 0; i < times; i++) {
      const { body, headers } = this.signedCallback(payload);
      out.push(await postRaw(`${gatewayUrl}/api/hotline/callback`, body, headers));
      // A second later, so the re-signed copy differs from the first.
      if (i + 1 < times) await new Promise((r) => setTimeout(r, 1100));
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export async function postRaw(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}
