// The core on its own: IntakePipeline and the dialogue policy driven through a collecting test channel with
// in-memory ports (tests/helpers/test-channel.ts) — no Redis, no queues, no database.
import { beforeEach, describe, expect, it } from 'vitest';
import { TestChannel } from '../helpers/test-channel.js';
import { FloodLimitedError, IntakeUnavailableError } from '../../src/core/errors.js';
import type { TicketJob } from '../../src/core/jobs.js';

let channel: TestChannel;

beforeEach(async () => {
  channel = await TestChannel.create();
});

describe('core conversations', () => {
  it('answers a question from the FAQ at once, with feedback buttons', async () => {
    const chat = channel.conversation('faq');
    const answer = await chat.says('社保卡丢了怎么补办').expectReply(/挂失/);
    expect(answer).toMatchObject({ kind: 'answer', faqId: expect.any(String) });
    expect(answer.quickReplies?.map((q) => q.label)).toEqual(['有帮助', '没解决']);
    await chat.presses('有帮助').expectReply(/感谢您的反馈/);
    expect(channel.faqStats.hits.get(answer.faqId!)).toBe(1);
    expect(channel.tickets.jobs.size).toBe(0);
  });

  it('turns a complaint into one ticket job once the citizen confirms its summary', async () => {
    const chat = channel.conversation('complaint');
    await chat.says('朝阳区望京街道一家饭馆油烟太大了').expectReply(/请确认.*望京街道/s);
    expect(channel.tickets.jobs.size).toBe(0);
    expect(channel.expiries.jobs.size).toBe(1);
    const confirmed = await chat.presses('确认');
    expect(confirmed.status).toBe('queued');
    expect(confirmed.replies.map((r) => r.text).join()).toMatch(/正在为您登记工单/);
    expect(channel.tickets.adds).toBe(1);
    const [job] = [...channel.tickets.jobs.values()] as TicketJob[];
    expect(job.decision).toMatchObject({ kind: 'ticket', district: '朝阳区', street: '望京街道' });
    expect(job.message.text).toMatch(/油烟/);
    // The complaint is done: the next message starts afresh.
    expect(channel.memory.states.get('webchat:complaint')?.pending).toBeUndefined();
  });

  it('gives a redelivered message the first delivery\'s replies and does nothing twice', async () => {
    const chat = channel.conversation('redelivered');
    const first = await chat.says('社保卡丢了怎么补办');
    const state = structuredClone(channel.memory.states.get('webchat:redelivered'));
    const again = await chat.redelivers();
    expect(again).toEqual({ ...first, duplicate: true });
    expect([...channel.faqStats.hits.values()]).toEqual([1]);
    // Not even the conversation moved on: the redelivery was not a turn of its own.
    expect(channel.memory.states.get('webchat:redelivered')).toEqual(state);
    // The staff's log has the message and its answer once, recorded with the ledger entry.
    expect(channel.memory.log.get('webchat:redelivered')?.map((t) => [t.from, t.kind])).toEqual([
      ['citizen', undefined],
      ['bot', 'answer'],
    ]);

    await chat.says('朝阳区望京街道一家饭馆油烟太大了').expectReply(/请确认/);
    const confirmed = await chat.presses('确认');
    const redelivered = await chat.redelivers();
    expect(redelivered).toEqual({ ...confirmed, duplicate: true });
    expect(channel.tickets.adds).toBe(1);
    expect(channel.tickets.jobs.size).toBe(1);
  });

  it('hands the conversation to a person: the bot goes quiet and the desk gets every message', async () => {
    const chat = channel.conversation('handoff');
    await chat.says('转人工').expectReply(/人工/);
    await chat.says('我家楼下的井盖丢了，很危险').expectNoReply();
    const entry = await channel.handoffs.get({ channel: 'webchat', conversationId: 'handoff' });
    expect(entry?.messages.map((m) => m.text)).toEqual(['转人工', '我家楼下的井盖丢了，很危险']);
    expect(channel.tickets.jobs.size).toBe(0);
  });

  it('refuses a client over its flood limit before anything else, and throttles a flooding sender', async () => {
    const limited = await TestChannel.create({ limits: { sender: 2, client: 3 } });
    const chat = limited.conversation('flood');
    for (let i = 0; i < 2; i++) expect((await chat.says('你好')).status).toBe('answered');
    const throttled = await chat.says('你好');
    expect(throttled).toMatchObject({ status: 'throttled', replies: [{ kind: 'error' }] });
    const fromClient = (text: string) => limited.deliver({ ...chat.lastMessage!, id: `webchat:other/${text}`, sender: { id: 'other' }, conversationId: 'other', text }, '203.0.113.9');
    for (let i = 0; i < 3; i++) await fromClient(`你好${i}`);
    await expect(fromClient('你好3')).rejects.toBeInstanceOf(FloodLimitedError);
    // Refused by the client's limit: not remembered, so the same id is taken once the limit allows it.
    expect(limited.memory.ledger.has('webchat:other/你好3')).toBe(false);
  });

  it('answers from the FAQ with its memory down, but does not acknowledge a complaint it cannot keep', async () => {
    channel.memory.down = true;
    const chat = channel.conversation('down');
    await chat.says('社保卡丢了怎么补办').expectReply(/挂失/);
    await expect(chat.says('朝阳区望京街道一家饭馆油烟太大了')).rejects.toBeInstanceOf(IntakeUnavailableError);
  });
});
