// Which mentions never reach the pipeline: the account's own posts, reposts that add no words, spam, and
// mentions with nothing left to read. They stay in the mentions log as "ignored" with the reason, so the
// social-media team can see (and override) what was skipped. Simple rules on purpose: a wrongly ignored
// mention is one click away from a ticket, a wrongly answered spam post is public.
import type { Mention } from './normalize.js';

export type IgnoreReason = 'own' | 'repost' | 'spam-links' | 'spam-repeated' | 'spam-ad' | 'empty' | 'throttled';

export const IGNORE_LABEL: Record<IgnoreReason | 'manual' | 'backfill', string> = {
  own: '本账号发布',
  repost: '转发无内容',
  'spam-links': '垃圾信息（链接）',
  'spam-repeated': '垃圾信息（重复字符）',
  'spam-ad': '垃圾信息（广告）',
  empty: '无文字内容',
  throttled: '刷屏限流',
  manual: '人工忽略',
  backfill: '启用前的旧提及',
};

/** Words that mark advertising; a complaint about ads ("小区里有人发小广告") does not use these. */
const AD_WORDS = ['加微信', '加v信', '加薇', '➕v', '加我v', '代开发票', '刷单', '兼职日结', '日赚', '日结工资', '低价出售', '免费领取', '点击领取', '私聊有惊喜', '招代理', '返利', '网贷', '无抵押贷款', '代孕', '博彩', '彩票推荐'];
const LINK = /https?:\/\/\S+/gi;
/** Reposts without words get this placeholder text from Weibo. */
const REPOST_PLACEHOLDERS = new Set(['', '转发微博', '轉發微博', 'repost', 'reposted', '转发']);

export function noiseReason(m: Mention, accountUid: string | undefined): IgnoreReason | undefined {
  if (accountUid && m.author.id === accountUid) return 'own';
  if (m.repost && REPOST_PLACEHOLDERS.has(m.repost.ownText.toLowerCase())) return 'repost';
  const raw = m.rawText;
  if ((raw.match(LINK) ?? []).length >= 3) return 'spam-links';
  // Ten of the same letter in a row (an angry "！！！！" is punctuation and stays).
  if (/([\p{L}\p{N}])\1{9,}/u.test(raw.replace(/\s/g, ''))) return 'spam-repeated';
  const lower = raw.toLowerCase().replace(/\s/g, '');
  if (AD_WORDS.some((w) => lower.includes(w))) return 'spam-ad';
  // A message reduced to nothing (only @-names and links) has no question and no complaint in it.
  if (!m.message.text && !m.message.attachments?.length && !m.message.location) return 'empty';
  return undefined;
}
