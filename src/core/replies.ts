// What the gateway says, per language. Kept in one table so wording is reviewed in one place.
import type { Lang, TierId } from '../nlu/decision.js';
import { TIER_LABEL } from '../tickets/time-limits.js';

type Phrases = {
  greeting: string;
  thanks: string;
  bye: string;
  handoff: string;
  noise: string;
  menu: string;
  ack: string;
  ackPublic: string;
  clarify: string;
  ticketCreated: (p: { number: string; due: string; tier: TierId; unit?: string | null }) => string;
  unavailable: string;
};

export const PHRASES: Record<Lang, Phrases> = {
  zh: {
    greeting: '您好，这里是12345市民服务热线。请直接说明您要咨询的问题，或描述需要反映的情况（时间、地点、具体问题）。',
    thanks: '不客气，感谢您对12345热线的支持！还有其他问题可以随时留言。',
    bye: '感谢您的来信，祝您生活愉快！',
    handoff: '已为您转接人工客服，请稍候，工作人员会尽快回复您（工作时间 8:00–20:00）。',
    noise: '抱歉，没能理解您的意思。请用一句话说明您要咨询的问题，或需要反映的情况。',
    menu: '我可以：1. 解答办事咨询（社保、户籍、公积金、交通等）；2. 受理投诉和求助，派给负责的街道或部门办理；3. 查询工单进度（发送“查询工单+工单号”）。',
    ack: '已受理您的诉求，正在为您登记工单，请稍候。',
    ackPublic: '您好，您反映的情况已收到。请通过私信告诉我们具体时间、地点和联系方式，我们将尽快转交相关部门办理。',
    clarify: '您是想咨询以下哪一项？',
    ticketCreated: ({ number, due, tier, unit }) =>
      `您的诉求已登记，工单号 ${number}${unit ? `，已派至${unit}` : ''}，办理时限${TIER_LABEL.zh[tier]}，将于${due}前办结。可随时发送“查询工单 ${number}”了解进度。`,
    unavailable: '系统繁忙，您的消息暂未提交成功，请稍后重试。',
  },
  en: {
    greeting: 'Hello, this is the 12345 citizen service hotline. Ask a question, or describe the problem you want to report (when, where, what).',
    thanks: "You're welcome. Write any time if there is anything else.",
    bye: 'Thank you for writing to us. Goodbye!',
    handoff: 'We are passing you to a member of staff; someone will answer shortly (working hours 8:00–20:00).',
    noise: "Sorry, I didn't understand. Please tell me your question, or the problem you want to report, in one sentence.",
    menu: 'I can: 1. answer questions about public services; 2. take complaints and requests and send them to the office in charge; 3. tell you where your ticket stands (send "ticket" and its number).',
    ack: 'Received. We are registering your request as a ticket; one moment.',
    ackPublic: 'Hello, we have received your report. Please send us the time, place and a contact by private message so we can pass it to the office in charge.',
    clarify: 'Did you mean one of these?',
    ticketCreated: ({ number, due, tier, unit }) =>
      `Your request is registered as ticket ${number}${unit ? `, assigned to ${unit}` : ''}. Time limit: ${TIER_LABEL.en[tier]}, due by ${due}. Send "ticket ${number}" any time to see its progress.`,
    unavailable: 'The system is busy and your message was not submitted. Please try again shortly.',
  },
};

/** A due time as citizens read it, in the hotline's time zone: 11月29日 14:30 / Nov 29, 14:30. */
export function formatDue(at: Date, lang: Lang, timeZone: string): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { timeZone, month: lang === 'zh' ? 'numeric' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}
