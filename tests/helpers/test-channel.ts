// A collecting test channel, as botbuilder's TestAdapter: a real ChannelAdapter that hands messages to the
// core's IntakePipeline, wired to in-memory ports (no Redis, no queues, no database), and keeps every reply each
// conversation got — the intake's answers and whatever is sent to it later. Conversation tests read as
// transcripts:
//
//   const chat = channel.conversation('citizen-1');
//   await chat.says('社保卡丢了怎么补办').expectReply(/社保卡/);
//   await chat.presses('没解决').expectReply(/登记工单/);
import { expect } from 'vitest';
import pino from 'pino';
import express from 'express';
import type { ChannelAdapter, ChannelContext, IntakeResult } from '../../src/core/channel-adapter.js';
import type { Address, ChannelName, InboundMessage, Reply } from '../../src/core/envelope.js';
import type { CommandJob, ExpiryJob, TicketJob } from '../../src/core/jobs.js';
import { IntakePipeline } from '../../src/core/intake.js';
import { loadDialoguePrompts } from '../../src/core/dialogue/prompts.js';
import { parseCitizenCommand } from '../../src/tickets/citizen-commands.js';
import { createNlu, type Nlu } from '../../src/nlu/index.js';
import { InMemoryFaqStats, InMemoryHandoffDesk, InMemoryIntakeMemory, InMemoryQueue } from './in-memory-ports.js';

let sharedNlu: Promise<Nlu> | undefined;

export interface TestChannelOptions {
  name?: ChannelName;
  confirmComplaints?: boolean;
  isPublic?: boolean;
  limits?: { sender: number; client: number };
}

export class TestChannel implements ChannelAdapter {
  readonly name: ChannelName;
  readonly memory: InMemoryIntakeMemory;
  readonly handoffs = new InMemoryHandoffDesk();
  readonly faqStats = new InMemoryFaqStats();
  readonly tickets = new InMemoryQueue<TicketJob | CommandJob>();
  readonly expiries = new InMemoryQueue<ExpiryJob>();
  /** Every reply delivered through send(), by conversation id. */
  readonly sent = new Map<string, Reply[]>();
  intake!: IntakePipeline;
  private ctx?: ChannelContext;
  private clock = Date.parse('2026-03-02T10:00:00+08:00');

  private constructor(readonly opts: TestChannelOptions) {
    this.name = opts.name ?? 'webchat';
    this.memory = new InMemoryIntakeMemory(opts.limits);
  }

  /** A channel started on a pipeline of its own (the NLU is loaded once per test file). */
  static async create(opts: TestChannelOptions = {}): Promise<TestChannel> {
    const nlu = await (sharedNlu ??= createNlu({ timeZone: 'Asia/Shanghai' }));
    const channel = new TestChannel(opts);
    const prompts = loadDialoguePrompts();
    channel.intake = new IntakePipeline({
      nlu,
      log: pino({ level: 'silent' }),
      dialogue: {
        prompts,
        categoryName: (id, lang) => prompts[lang].categories[id] ?? id,
        inWorkingHours: () => true,
        workingHours: '08:00-20:00',
        confirmComplaints: opts.confirmComplaints ?? true,
      },
      memory: channel.memory,
      handoffs: channel.handoffs,
      faqStats: channel.faqStats,
      enqueueTicket: (job, messageId) => channel.tickets.add(job, messageId),
      enqueueCommand: (job, messageId) => channel.tickets.add(job, messageId),
      enqueueExpiry: (job) => channel.expiries.add(job, `${job.channel}:${job.conversationId}:${job.version}`),
      parseCommand: parseCitizenCommand,
    });
    await channel.start({
      intake: channel.intake,
      router: express.Router(),
      onUpgrade: () => {},
      leadership: { lead: (_role, lead, stop) => lead(stop) },
      // Replies to deliver later go straight to send(), as the outbound worker would deliver them.
      outbound: { add: (job) => channel.send(job.address, job.reply), ready: async () => {} },
      log: pino({ level: 'silent' }),
    });
    return channel;
  }

  async start(ctx: ChannelContext): Promise<void> {
    this.ctx = ctx;
  }

  async send(to: Address, reply: Reply): Promise<void> {
    const list = this.sent.get(to.conversationId) ?? [];
    list.push(reply);
    this.sent.set(to.conversationId, list);
  }

  async stop(): Promise<void> {}

  /** A citizen's conversation on this channel. */
  conversation(id: string): TestConversation {
    return new TestConversation(this, id);
  }

  /** Hands a message to the intake as a platform would deliver it. */
  deliver(message: InboundMessage, client?: string): Promise<IntakeResult> {
    if (!this.ctx) throw new Error('the test channel was not started');
    return this.ctx.intake.handle(message, client !== undefined ? { client } : {});
  }

  /** Each message a minute after the one before, so dialogue timing is as a person's. */
  tick(): Date {
    this.clock += 60_000;
    return new Date(this.clock);
  }
}

export class TestConversation {
  private sequence = 0;
  /** The replies of the last turn (their quick replies are what presses() can press). */
  last: Reply[] = [];
  lastMessage?: InboundMessage;

  constructor(private readonly channel: TestChannel, readonly id: string) {}

  /** The citizen writes `text`. */
  says(text: string): Turn {
    return this.send({ text });
  }

  /** The citizen presses the button labelled `label` among the last replies' quick replies. */
  presses(label: string): Turn {
    const button = this.last.flatMap((r) => r.quickReplies ?? []).find((q) => q.label === label);
    if (!button) throw new Error(`no button "${label}" among ${JSON.stringify(this.last.flatMap((r) => r.quickReplies ?? []).map((q) => q.label))}`);
    return this.send({ text: button.label, action: button.payload });
  }

  /** The platform delivers the last message again, with the same id. */
  redelivers(): Turn {
    if (!this.lastMessage) throw new Error('nothing was said yet');
    return this.turn(this.lastMessage);
  }

  /** Replies sent to this conversation later (through the adapter's send). */
  get later(): Reply[] {
    return this.channel.sent.get(this.id) ?? [];
  }

  private send(content: { text: string; action?: string }): Turn {
    this.sequence += 1;
    const message: InboundMessage = {
      id: `${this.channel.name}:${this.id}/${this.sequence}`,
      channel: this.channel.name,
      conversationId: this.id,
      sender: { id: this.id },
      text: content.text,
      isPublic: this.channel.opts.isPublic ?? false,
      receivedAt: this.channel.tick(),
      ...(content.action ? { action: content.action } : {}),
    };
    this.lastMessage = message;
    return this.turn(message);
  }

  private turn(message: InboundMessage): Turn {
    const result = this.channel.deliver(message).then((r) => {
      this.last = r.replies;
      return r;
    });
    return new Turn(result, message);
  }
}

/** One message and what the intake made of it; awaiting it gives the IntakeResult. */
export class Turn implements PromiseLike<IntakeResult> {
  constructor(private readonly result: Promise<IntakeResult>, readonly message: InboundMessage) {}

  then<A = IntakeResult, B = never>(ok?: ((r: IntakeResult) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.result.then(ok, fail);
  }

  /** Some reply of this turn matches `pattern`; resolves that reply. */
  async expectReply(pattern: RegExp): Promise<Reply> {
    const { replies } = await this.result;
    const reply = replies.find((r) => pattern.test(r.text));
    expect(reply, `a reply to "${this.message.text}" matching ${pattern}; got ${JSON.stringify(replies.map((r) => r.text))}`).toBeDefined();
    return reply!;
  }

  /** The bot stays quiet (a person owns the conversation). */
  async expectNoReply(): Promise<IntakeResult> {
    const result = await this.result;
    expect(result.replies, `no reply to "${this.message.text}"`).toEqual([]);
    return result;
  }
}
