// Telegram in webhook mode against a fake Bot API on 127.0.0.1: a real gateway (Redis, PostgreSQL, workers)
// receives updates as Telegram posts them and answers through the fake, which records every call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordIntake, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { testChannelContext } from '../helpers/channel-context.js';
import { waitUntil } from '../helpers/webchat-client.js';
import { FakeTelegramApi, postUpdate, type SentMessage } from '../fakes/telegram-api.js';
import { TelegramAdapter } from '../../channels/telegram/telegram-adapter.js';
import type { InboundMessage } from '../../src/core/envelope.js';

const SECRET = 'tg-webhook-secret-0123456789';
const TICKET = /\d{8}-\d{6}/;

let fake: FakeTelegramApi;
let gw: TestGateway;
const seen: InboundMessage[] = [];
let nextUpdateId = 734_000_001;
let nextMessageId = 1;
let nextCallbackId = 1;

const citizen = (chatId: number) => ({ id: chatId, is_bot: false, first_name: '市民', language_code: 'zh-hans' });

function textUpdate(chatId: number, text: string, messageId = nextMessageId++) {
  return { update_id: nextUpdateId++, message: { message_id: messageId, from: citizen(chatId), chat: { id: chatId, first_name: '市民', type: 'private' }, date: Math.floor(Date.now() / 1000), text } };
}

/** The citizen pressing a button of a message the bot sent. */
function pressUpdate(chatId: number, sent: SentMessage, data: string) {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${chatId}-${nextCallbackId++}`,
      from: citizen(chatId),
      message: { message_id: sent.messageId, chat: { id: chatId, type: 'private' }, date: Math.floor(Date.now() / 1000), text: sent.text, reply_markup: sent.replyMarkup },
      chat_instance: `ci-${chatId}`,
      data,
    },
  };
}

const send = (update: unknown) => postUpdate(gw.url, update, SECRET);
const ticketsOf = async (chatId: number) => (await gw.gateway.services.store.list({ senderId: String(chatId) })).items;
const buttons = (m: SentMessage): { text: string; callback_data: string }[] => m.replyMarkup?.inline_keyboard.flat() ?? [];

async function admin(path: string, body: unknown): Promise<Response> {
  return fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Complaint → place asked → place given → confirmation asked with buttons. Returns the confirm prompt. */
async function complainUpToConfirm(chatId: number): Promise<SentMessage> {
  expect((await send(textUpdate(chatId, '我家小区门口的井盖丢了好几天了'))).status).toBe(200);
  await fake.waitForSent((m) => m.chatId === String(chatId) && /哪个区/.test(m.text));
  expect((await send(textUpdate(chatId, '丰台区卢沟桥街道假日风景小区'))).status).toBe(200);
  return fake.waitForSent((m) => m.chatId === String(chatId) && /请确认/.test(m.text));
}

beforeAll(async () => {
  fake = await new FakeTelegramApi().start();
  gw = await startTestGateway({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_WEBHOOK_URL: 'https://jiesu.example.gov.cn/api/channels/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  recordIntake(gw, seen);
});

afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('telegram webhook', () => {
  it('registers the webhook with its secret token', async () => {
    await waitUntil(() => fake.webhook !== undefined, 10_000, 'setWebhook');
    expect(fake.webhook).toEqual({ url: 'https://jiesu.example.gov.cn/api/channels/telegram/webhook', secret_token: SECRET });
    expect(fake.callsOf('setWebhook')[0].body.allowed_updates).toEqual(['message', 'callback_query']);
  });

  it('answers an FAQ question in the same chat and makes no ticket', async () => {
    const r = await send(textUpdate(1001, '社保卡丢了怎么补办'));
    expect(r.status).toBe(200);
    const answer = await fake.waitForSent((m) => m.chatId === '1001');
    expect(answer.text).toMatch(/社保卡/);
    expect(await ticketsOf(1001)).toHaveLength(0);
  });

  it('greets on /start', async () => {
    await send(textUpdate(1005, '/start'));
    expect((await fake.waitForSent((m) => m.chatId === '1005')).text).toMatch(/您好/);
  });

  it('takes a complaint to its ticket number, with the confirmation pressed as a button', async () => {
    const prompt = await complainUpToConfirm(1002);
    expect(buttons(prompt).map((b) => b.callback_data)).toEqual(['confirm:yes', 'confirm:edit']);
    expect(await ticketsOf(1002)).toHaveLength(0);

    const press = pressUpdate(1002, prompt, 'confirm:yes');
    expect((await send(press)).status).toBe(200);
    // The button reached the intake as an action, with its label as the text.
    expect(seen.find((m) => m.id === `telegram:cb:${press.callback_query.id}`)).toMatchObject({ action: 'confirm:yes', text: buttons(prompt)[0].text });
    await waitUntil(() => fake.callsOf('answerCallbackQuery').some((c) => c.body.callback_query_id === press.callback_query.id), 10_000, 'answerCallbackQuery');

    const confirmation = await fake.waitForSent((m) => m.chatId === '1002' && TICKET.test(m.text));
    const [ticket] = await ticketsOf(1002);
    expect(ticket).toMatchObject({ channel: 'telegram', conversationId: '1002', district: '丰台区', street: '卢沟桥街道' });
    expect(confirmation.text).toContain(ticket.number);
  });

  it('asks the return visit with buttons and takes the rating pressed', async () => {
    const [ticket] = await ticketsOf(1002);
    if (ticket.status === 'received') expect((await admin(`/api/tickets/${ticket.number}/events`, { status: 'dispatched', unit: '卢沟桥街道办事处' })).status).toBe(200);
    expect((await admin(`/api/tickets/${ticket.number}/events`, { status: 'resolved', note: '井盖已补装' })).status).toBe(200);
    const visit = await fake.waitForSent((m) => m.chatId === '1002' && buttons(m).some((b) => b.callback_data.startsWith('visit:')));
    expect(buttons(visit).map((b) => b.callback_data)).toEqual([`visit:${ticket.number}:satisfied`, `visit:${ticket.number}:basically`, `visit:${ticket.number}:unsatisfied`]);
    expect((await send(pressUpdate(1002, visit, `visit:${ticket.number}:satisfied`))).status).toBe(200);
    await waitUntil(async () => (await ticketsOf(1002))[0].status === 'visited', 20_000, 'ticket visited');
  });

  it('makes one ticket and one confirmation when Telegram redelivers an update', async () => {
    const prompt = await complainUpToConfirm(1003);
    const confirm = textUpdate(1003, '确认');
    const results = await Promise.all([1, 2, 3].map(() => send(confirm)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const confirmation = await fake.waitForSent((m) => m.chatId === '1003' && TICKET.test(m.text));
    expect((await send(confirm)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await ticketsOf(1003)).toHaveLength(1);
    expect(fake.sentTo(1003).filter((m) => m.text === confirmation.text)).toHaveLength(1);
    // Every reply to the redelivered message went out once, too.
    const afterPrompt = fake.sentTo(1003).filter((m) => m.messageId > prompt.messageId);
    expect(new Set(afterPrompt.map((m) => m.text)).size).toBe(afterPrompt.length);
  });

  it('rejects a forged or missing secret token and stores nothing', async () => {
    const before = seen.length;
    for (const secret of [undefined, '', 'tg-webhook-secret-0123456788', SECRET + 'x']) {
      const r = await postUpdate(gw.url, textUpdate(1004, '朝阳区望京街道有个饭馆油烟太大了，投诉'), secret);
      expect(r.status, `secret ${JSON.stringify(secret)}`).toBe(401);
      expect(JSON.parse(r.body).error).toBe('unauthorized');
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.length).toBe(before);
    expect(await ticketsOf(1004)).toHaveLength(0);
    expect(fake.sentTo(1004)).toHaveLength(0);
  });

  it('rejects a malformed update with 400 invalid_request naming the field, and takes nothing', async () => {
    const before = await gw.gateway.services.store.count();
    const complaint = { message_id: 'x', date: 1_764_300_000, chat: { id: 1099, type: 'private' }, from: citizen(1099), text: '丰台区卢沟桥街道井盖丢了三天了' };
    const r = await postUpdate(gw.url, { update_id: 5, message: complaint }, SECRET);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: 'invalid_request', field: 'message_id', reason: expect.stringMatching(/^telegram message: message_id: /) });
    const notJson = await postUpdate(gw.url, '{"update_id": ', SECRET);
    expect([notJson.status, JSON.parse(notJson.body).error, JSON.parse(notJson.body).field]).toEqual([400, 'invalid_request', 'body']);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((m) => m.sender.id === '1099')).toEqual([]);
    expect(fake.sentTo(1099)).toEqual([]);
    expect(await gw.gateway.services.store.count()).toBe(before);
  });

  it('retries a reply through a 429 and a 500 and delivers it once', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 1 }, { status: 500 });
    expect((await send(textUpdate(1006, '社保卡丢了怎么补办'))).status).toBe(200);
    const answer = await fake.waitForSent((m) => m.chatId === '1006', 30_000);
    expect(answer.text).toMatch(/社保卡/);
    const statuses = fake.callsOf('sendMessage').filter((c) => String(c.body.chat_id) === '1006').map((c) => c.status);
    expect(statuses).toEqual([429, 500, 200]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.sentTo(1006)).toHaveLength(1);
  });

  it('sends without start(): splits a long reply and stores a long button payload under a key', async () => {
    const context = testChannelContext(gw.prefix);
    const adapter = new TelegramAdapter({ token: fake.token, apiRoot: fake.url, pollTimeoutSeconds: 1 }, context);
    const longPayload = `faq:${'很长的问题编号'.repeat(12)}`;
    await adapter.send(
      { channel: 'telegram', conversationId: '1007' },
      { id: 'long-reply-1', text: '办理须知。'.repeat(1000), quickReplies: [{ label: '还有问题', payload: longPayload }] },
    );
    const parts = fake.sentTo(1007);
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.text).join('')).toBe('办理须知。'.repeat(1000));
    expect(parts[0].replyMarkup).toBeUndefined();
    const [button] = buttons(parts[1]);
    expect(button.callback_data).toMatch(/^#/);
    // Sending the same reply again (a retried job) shows nothing twice.
    await adapter.send({ channel: 'telegram', conversationId: '1007' }, { id: 'long-reply-1', text: '办理须知。'.repeat(1000) });
    expect(fake.sentTo(1007)).toHaveLength(2);
    await adapter.stop();
    context.redis.close();

    // Pressing it gives the intake the full payload back.
    expect((await send(pressUpdate(1007, parts[1], button.callback_data))).status).toBe(200);
    await waitUntil(() => seen.some((m) => m.conversationId === '1007' && m.action === longPayload), 10_000, 'long payload resolved');
  });
});
