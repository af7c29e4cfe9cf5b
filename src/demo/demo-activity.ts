// What a demo shows besides tickets: conversations waiting for a person (转人工) and microblog mentions in the
// social-media team's console, some answered by the bot, some by hand, some still waiting. Both live in Redis
// (the handoff desk and the mentions log), written through the same classes the gateway uses, so the console
// reads them exactly as it reads live ones.
import type { Redis } from 'ioredis';
import { RedisHandoffDesk } from '../queue/handoff-desk.js';
import { MentionsLog } from '../../channels/weibo/mentions-log.js';
import type { InboundMessage } from '../core/envelope.js';

const MIN = 60_000;

const HANDOFFS: { channel: 'webchat' | 'wechat' | 'telegram'; minutesAgo: number; lang: 'zh' | 'en'; turns: [from: 'citizen' | 'agent', text: string][] }[] = [
  {
    channel: 'webchat',
    minutesAgo: 12,
    lang: 'zh',
    turns: [
      ['citizen', '我家老人的养老金这个月没到账，打了好几个电话都没人说清楚'],
      ['citizen', '转人工'],
    ],
  },
  {
    channel: 'wechat',
    minutesAgo: 35,
    lang: 'zh',
    turns: [
      ['citizen', '上次反映的暖气问题，工单说办结了，可家里还是不热'],
      ['citizen', '我要找人工客服'],
      ['agent', '您好，我是12345话务员，请提供一下工单号，我帮您查一下办理情况。'],
    ],
  },
  {
    channel: 'telegram',
    minutesAgo: 50,
    lang: 'en',
    turns: [
      ['citizen', 'I need to extend my residence permit but the office near Sanlitun says I must book online, and the site does not work'],
      ['citizen', 'Can I talk to a person?'],
    ],
  },
];

interface DemoMention {
  minutesAgo: number;
  author: string;
  text: string;
  /** What happened to it: answered by the bot, a complaint acknowledged, a manual reply, or still waiting. */
  outcome: 'auto-answer' | 'asked' | 'manual' | 'waiting';
  reply?: string;
}

const MENTIONS: DemoMention[] = [
  { minutesAgo: 8, author: '朝阳群众小李', text: '@北京12345 望京这边的路灯一整排都不亮，晚上走路很吓人', outcome: 'waiting' },
  { minutesAgo: 20, author: '通州打工人', text: '@北京12345 请问居住证续签需要带什么材料？', outcome: 'auto-answer', reply: '您好，居住证签注需携带本人身份证和居住证，到居住地派出所或自助机办理。详情可私信咨询。' },
  { minutesAgo: 44, author: '海淀宝妈', text: '@北京12345 小区门口的早市占道经营，孩子上学每天都过不去', outcome: 'asked', reply: '您好，您反映的问题已收到，我们已私信联系您了解具体地址，请留意私信。' },
  { minutesAgo: 75, author: '西城老街坊', text: '@北京12345 胡同里的垃圾桶三天没人清了，味道很大', outcome: 'manual', reply: '您好，已转西城区相关部门核实处理，感谢您的反映。' },
  { minutesAgo: 130, author: 'Beijing expat', text: '@北京12345 how do I renew my work permit?', outcome: 'auto-answer', reply: 'Hello, work permits are renewed online through the Foreigner Work Permit system; we have sent details by private message.' },
  { minutesAgo: 240, author: '丰台骑行者', text: '@北京12345 卢沟桥附近自行车道被施工围挡占了一半', outcome: 'waiting' },
];

function message(id: string, channel: InboundMessage['channel'], conversationId: string, sender: string, text: string, at: Date, isPublic: boolean): InboundMessage {
  return { id, channel, conversationId, sender: { id: sender, name: sender }, text, isPublic, receivedAt: at };
}

export async function seedDemoActivity(redis: Redis, prefix: string, now = new Date()): Promise<{ handoffs: number; mentions: number }> {
  const desk = new RedisHandoffDesk(redis, prefix);
  for (const [i, h] of HANDOFFS.entries()) {
    const conversationId = `demo-${h.channel}-${i + 1}`;
    const since = new Date(now.getTime() - h.minutesAgo * MIN);
    const address = { channel: h.channel, conversationId, senderId: `demo-citizen-${i + 1}`, isPublic: false };
    await desk.close(address);
    await desk.open(address, h.lang, since);
    for (const [k, [from, text]] of h.turns.entries()) await desk.record(address, from, text, new Date(since.getTime() + k * MIN));
  }
  const log = new MentionsLog(redis, prefix);
  for (const [i, m] of MENTIONS.entries()) {
    const at = new Date(now.getTime() - m.minutesAgo * MIN);
    const platformId = String(5100000000000000 + i);
    const msg = message(`weibo:${platformId}`, 'weibo', platformId, `demo-weibo-${i + 1}`, m.text.replace(/^@\S+\s*/, ''), at, true);
    await log.record(
      { kind: 'status', platformId, message: msg, rawText: m.text, author: { id: msg.sender.id, name: m.author }, link: `https://weibo.com/${msg.sender.id}/${platformId}`, createdAt: at },
      new Date(at.getTime() + MIN),
    );
    if (m.outcome === 'waiting') continue;
    const handledAt = new Date(at.getTime() + 2 * MIN);
    if (m.outcome !== 'manual') await log.markHandled(msg.id, { action: m.outcome === 'asked' ? 'asked' : 'answered', replyKind: m.outcome === 'asked' ? 'ack' : 'answer' }, handledAt);
    if (m.reply) await log.addReply(msg.id, { text: m.reply, at: handledAt.getTime() + MIN, by: m.outcome === 'manual' ? 'manual' : 'auto' });
  }
  return { handoffs: HANDOFFS.length, mentions: MENTIONS.length };
}
