// The external hotline link through a real gateway and a fake hotline (tests/fakes/hotline-server.ts):
// every new ticket is delivered exactly once although the hotline answers 500, hangs, and loses responses;
// tickets it never takes end in the dead letters, which an admin can retry; status changes made here reach it
// once each, in order, after the ticket itself; its signed status callbacks drive the lifecycle once each (and
// are not sent back to it), and forged, stale or replayed callbacks are refused and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { fileComplaint as fileComplaintAt, postJson, waitUntil } from '../helpers/webchat-client.js';
import { FakeHotline, postRaw } from '../fakes/hotline-server.js';

const SECRET = 'hotline-shared-secret-0123456789';
let gw: TestGateway;
let fake: FakeHotline;
const auth = () => ({ authorization: `Bearer ${gw.adminToken}` });
const getTicket = async (n: string) => (await fetch(`${gw.url}/api/tickets/${n}`, { headers: auth() })).json() as Promise<any>;
const postEvent = (n: string, body: Record<string, unknown>) => postJson(`${gw.url}/api/tickets/${n}/events`, body, auth());
const deadLetters = async () => (await fetch(`${gw.url}/api/hotline/dead-letters`, { headers: auth() })).json() as Promise<any>;

const fileComplaint = (text: string) => fileComplaintAt(gw.url, text);

beforeAll(async () => {
  fake = await new FakeHotline(SECRET, 1500).start();
  gw = await startTestGateway({
    CONFIRM_COMPLAINTS: '0',
    HOTLINE_URL: fake.url,
    HOTLINE_SECRET: SECRET,
    HOTLINE_TIMEOUT_MS: '400',
    HOTLINE_ATTEMPTS: '6',
    HOTLINE_BACKOFF_MS: '100',
  });
});
afterAll(async () => {
  await gw?.stop();
  await fake?.stop();
});

describe('hotline sync', () => {
  it('delivers each ticket exactly once through 500s, timeouts and lost responses', async () => {
    fake.next('500', 'hang', 'accept-then-hang', '500', 'hang', '500');
    const texts = [
      '朝阳区望京街道花家地西里垃圾好几天没人清运了',
      '丰台区卢沟桥街道丰台北路路灯不亮好几天了',
      '海淀区燕园街道附近的下水道堵了，污水漫到路上',
      '东城区交道口街道南锣鼓巷有人占道摆摊',
      '西城区什刹海街道后海酒吧音响太吵，半夜睡不着',
    ];
    const filed = await Promise.all(texts.map(fileComplaint));
    const numbers = filed.map((f) => f.number);
    await waitUntil(async () => (await Promise.all(numbers.map(getTicket))).every((t) => t.hotline.syncedAt), 30_000, 'all tickets synced');

    // Exactly once on the hotline's side: one creation per Idempotency-Key, none lost.
    expect([...fake.created.keys()].sort()).toEqual([...numbers].sort());
    for (const n of numbers) expect(fake.created.get(n)!.creations).toBe(1);
    // It took more than one attempt for some, every attempt was signed and keyed by the ticket number.
    expect(fake.attempts.length).toBeGreaterThan(numbers.length);
    expect(fake.attempts.every((a) => a.verified && numbers.includes(a.key!))).toBe(true);
    const retried = numbers.filter((n) => fake.attemptsFor(n).length > 1);
    expect(retried.length).toBeGreaterThan(0);
    // The ticket whose response was lost was created on the first try; the retry was told "already there".
    const lost = fake.attempts.find((a) => a.behaviour === 'accept-then-hang')!.key!;
    const t = await getTicket(lost);
    expect(t.hotline.ref).toBe(fake.created.get(lost)!.ref);
    expect(fake.created.get(lost)!.ticket).toMatchObject({ number: lost, status: t.status, unit: t.unit, tier: t.tier, category: t.category });
    expect((await deadLetters()).total).toBe(0);
    for (const f of filed) f.citizen.close();
    console.log(`hotline sync: ${numbers.length} tickets, ${fake.attempts.length} attempts (${retried.length} retried), ${fake.created.size} created`);
  });

  it('dead-letters what the hotline never takes, and delivers it once when an admin retries', async () => {
    expect((await fetch(`${gw.url}/api/hotline/dead-letters`)).status).toBe(401);
    fake.setAlways('500');
    const down = await fileComplaint('通州区永顺镇小区门口的路面塌了一个大坑');
    await waitUntil(async () => (await deadLetters()).items.some((d: any) => d.number === down.number), 20_000, 'dead letter after all attempts');
    fake.setAlways('422');
    const refused = await fileComplaint('昌平区回龙观街道小区门口有人乱倒建筑垃圾，堆了好几天');
    await waitUntil(async () => (await deadLetters()).items.some((d: any) => d.number === refused.number), 20_000, 'dead letter at once');
    const dl = await deadLetters();
    const d1 = dl.items.find((d: any) => d.number === down.number);
    const d2 = dl.items.find((d: any) => d.number === refused.number);
    expect(d1).toMatchObject({ attemptsMade: 6, failedReason: expect.stringMatching(/HTTP 500/) });
    expect(d2).toMatchObject({ attemptsMade: 1, failedReason: expect.stringMatching(/HTTP 422/) });
    expect(fake.attemptsFor(refused.number)).toHaveLength(1); // a refusal is not retried
    expect(fake.created.has(down.number)).toBe(false);

    fake.setAlways(undefined);
    expect((await postJson(`${gw.url}/api/hotline/dead-letters/no-such-job/retry`, {}, auth())).status).toBe(404);
    for (const d of [d1, d2]) {
      const r = await postJson(`${gw.url}/api/hotline/dead-letters/${encodeURIComponent(d.id)}/retry`, {}, auth());
      expect(r.status).toBe(200);
    }
    await waitUntil(async () => fake.created.has(down.number) && fake.created.has(refused.number), 15_000, 'retried dead letters delivered');
    await waitUntil(async () => (await getTicket(down.number)).hotline.syncedAt !== null, 5000, 'marked synced');
    expect((await deadLetters()).total).toBe(0);
    expect(fake.created.get(down.number)!.creations).toBe(1);
    // Retrying something that is not a dead letter any more is a conflict.
    expect((await postJson(`${gw.url}/api/hotline/dead-letters/${encodeURIComponent(d1.id)}/retry`, {}, auth())).status).toBe(409);
    down.citizen.close();
    refused.citizen.close();
  });
});

describe('status changes made here', () => {
  it('reach the hotline once each and in order, through a 500 and a lost response, with the rating', async () => {
    const { citizen, number } = await fileComplaint('朝阳区望京街道望京西园三区门口的路灯坏了一个月了');
    await waitUntil(async () => (await getTicket(number)).hotline.syncedAt !== null, 10_000, 'ticket synced');
    fake.next('500', 'accept-then-hang');
    expect((await postEvent(number, { status: 'in_progress', note: '已派人检修', actor: '望京街道' })).status).toBe(200);
    expect((await postEvent(number, { status: 'resolved', note: '路灯已修复' })).status).toBe(200);
    await citizen.waitFor((m) => m.kind === 'visit');
    await citizen.say('满意', undefined, { action: `visit:${number}:satisfied` });
    await waitUntil(() => fake.eventsFor(number).length === 3, 20_000, 'three events at the hotline');

    const sent = fake.eventsFor(number);
    expect(sent.map((e) => [e.fromStatus, e.toStatus, e.note])).toEqual([
      ['dispatched', 'in_progress', '已派人检修'],
      ['in_progress', 'resolved', '路灯已修复'],
      ['resolved', 'visited', '评价：满意'],
    ]);
    expect(sent[0].actor).toBe('operator:望京街道');
    expect(sent[2]).toMatchObject({ rating: 'satisfied', actor: expect.stringMatching(/^citizen/) });
    expect(sent.map((e) => e.sequence)).toEqual([...sent.map((e) => e.sequence)].sort((a, b) => a - b));
    // Retried through the 500 and the lost response, but each taken once, under its own key, signed.
    const keys = sent.map((e) => e.eventId);
    expect(new Set(keys).size).toBe(3);
    expect(fake.attempts.filter((a) => keys.includes(a.key!)).length).toBeGreaterThan(3);
    expect(fake.attempts.filter((a) => keys.includes(a.key!)).every((a) => a.verified)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.eventsFor(number)).toHaveLength(3);
    // The ticket's timeline says which changes the hotline has; the ones made at creation were never owed.
    const timeline = (await getTicket(number)).events;
    expect(timeline.filter((e: any) => e.hotline).map((e: any) => [e.toStatus, typeof e.hotline.sentAt])).toEqual([
      ['in_progress', 'string'],
      ['resolved', 'string'],
      ['visited', 'string'],
    ]);
    citizen.close();
  });

  it('wait for the ticket to reach the hotline first', async () => {
    // The ticket's own POST fails three times; the change made meanwhile waits for it instead of failing.
    fake.next('500', '500', '500');
    const { citizen, number } = await fileComplaint('西城区什刹海街道烟袋斜街的下水道返味，臭气熏天');
    expect((await postEvent(number, { status: 'in_progress', actor: '什刹海街道' })).status).toBe(200);
    const waiting = await getTicket(number);
    expect(waiting.hotline.syncedAt).toBeNull();
    expect(waiting.events.at(-1).hotline).toEqual({ sentAt: null });
    await waitUntil(() => fake.eventsFor(number).length === 1, 20_000, 'the event after the ticket');
    expect(fake.created.has(number)).toBe(true);
    expect(fake.eventsFor(number)[0]).toMatchObject({ toStatus: 'in_progress', actor: 'operator:什刹海街道' });
    expect((await deadLetters()).items.filter((d: any) => d.number === number)).toEqual([]);
    citizen.close();
  });
});

describe('hotline callbacks', () => {
  it('drive the lifecycle once per event id, even when the hotline sends them twice', async () => {
    const { citizen, number } = await fileComplaint('大兴区兴丰街道小区里的电梯坏了一个星期没人修');
    const res = await fake.sendCallback(gw.url, { eventId: `cb-${number}-1`, number, status: 'in_progress', actor: '兴丰街道', note: '已联系物业维修' }, 2);
    expect(res.map((r) => r.status)).toEqual([200, 200]);
    expect(res.map((r) => r.body.outcome)).toEqual(['changed', 'duplicate']);
    let t = await getTicket(number);
    expect(t.status).toBe('in_progress');
    expect(t.events.filter((e: any) => e.kind === 'in_progress')).toEqual([expect.objectContaining({ actor: 'hotline:兴丰街道', note: '已联系物业维修' })]);
    await citizen.waitFor((m) => m.kind === 'feedback' && m.text.includes('开始办理'));
    await new Promise((r) => setTimeout(r, 500));
    expect(citizen.pushed.filter((m) => m.kind === 'feedback')).toHaveLength(1);

    // An exact copy of a request already accepted (same timestamp, same signature) is a replay: 401.
    const resolved = fake.signedCallback({ eventId: `cb-${number}-2`, number, status: 'resolved', note: '电梯已修复' });
    expect((await postRaw(`${gw.url}/api/hotline/callback`, resolved.body, resolved.headers)).status).toBe(200);
    const replay = await postRaw(`${gw.url}/api/hotline/callback`, resolved.body, resolved.headers);
    expect(replay).toMatchObject({ status: 401, body: { reason: expect.stringMatching(/replayed/) } });
    t = await getTicket(number);
    expect(t.status).toBe('resolved');
    expect(t.events.filter((e: any) => e.kind === 'resolved')).toHaveLength(1);
    await citizen.waitFor((m) => m.kind === 'visit');

    // A forbidden transition is a 409 with the reason, a malformed one a 400.
    const back = await fake.sendCallback(gw.url, { eventId: `cb-${number}-3`, number, status: 'dispatched' });
    expect(back[0]).toMatchObject({ status: 409, body: { error: 'forbidden_transition' } });
    const bad = await fake.sendCallback(gw.url, { eventId: `cb-${number}-4`, number, status: 'visited' });
    expect(bad[0].status).toBe(400);
    // What the hotline reported is not sent back to it.
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.eventsFor(number)).toEqual([]);
    citizen.close();
  });

  it('refuses forged and stale callbacks and changes nothing', async () => {
    const { citizen, number } = await fileComplaint('门头沟区大峪街道路边的垃圾桶满了没人清理，苍蝇乱飞');
    const before = await getTicket(number);
    const payload = { eventId: `forged-${number}`, number, status: 'resolved', note: '已办结' };
    const good = fake.signedCallback(payload);
    const attempts: [string, string, Record<string, string>][] = [
      ['signed with another secret', fake.signedCallback(payload, { secret: 'not-the-hotline-secret-000' }).body, fake.signedCallback(payload, { secret: 'not-the-hotline-secret-000' }).headers],
      ['body changed after signing', good.body.replace('resolved', 'rejected'), good.headers],
      ['no signature', good.body, { 'content-type': 'application/json', 'X-Hotline-Timestamp': good.headers['X-Hotline-Timestamp'] }],
      ['no timestamp', good.body, { 'content-type': 'application/json', 'X-Hotline-Signature': good.headers['X-Hotline-Signature'] }],
      ['ten minutes old', fake.signedCallback(payload, { timestamp: Date.now() - 600_000 }).body, fake.signedCallback(payload, { timestamp: Date.now() - 600_000 }).headers],
      ['garbage signature', good.body, { ...good.headers, 'X-Hotline-Signature': 'sha256=' + '0'.repeat(64) }],
    ];
    for (const [what, body, headers] of attempts) {
      const r = await postRaw(`${gw.url}/api/hotline/callback`, body, headers);
      expect(r.status, what).toBe(401);
    }
    const after = await getTicket(number);
    expect(after.status).toBe(before.status);
    expect(after.events).toEqual(before.events);
    await new Promise((r) => setTimeout(r, 300));
    expect(citizen.pushed.filter((m) => m.kind !== 'ticket')).toEqual([]);
    citizen.close();
  });
});
