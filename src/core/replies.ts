// What the gateway says, per language. Kept in one table so wording is reviewed in one place.
import type { Lang, TierId } from '../nlu/decision.js';
import { TIER_LABEL } from './time-limit-labels.js';

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
  lookingUp: string;
  /** The immediate answer to a typed or pressed rating; the thanks follows as the ticket's feedback. */
  ratingReceived: string;
  throttled: string;
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
    lookingUp: '正在为您查询，请稍候。',
    ratingReceived: '已收到您的评价。',
    throttled: '您发送消息太频繁了，请稍等片刻再发送。紧急情况请直接拨打12345。',
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
    lookingUp: 'Looking it up; one moment.',
    ratingReceived: 'Your rating has been received.',
    throttled: 'You are sending messages too quickly. Please wait a moment; for emergencies call 12345.',
  },
};

/** A due time as citizens read it, in the hotline's time zone: 11月29日 14:30 / Nov 29, 14:30. */
const dueFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDue(at: Date, lang: Lang, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let fmt = dueFormats.get(key);
  if (!fmt) {
    const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
    fmt = new Intl.DateTimeFormat(locale, { timeZone, month: lang === 'zh' ? 'long' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
    dueFormats.set(key, fmt);
  }
  return fmt.format(at);
}

/** What the ticket lifecycle tells citizens (feedback, return visit, ticket queries) and staff (alerts). */
export type TicketPhrases = {
  status: Record<'received' | 'dispatched' | 'in_progress' | 'resolved' | 'visited' | 'returned' | 'rejected', string>;
  ratings: Record<'satisfied' | 'basically' | 'unsatisfied', string>;
  dispatched: (p: { number: string; unit: string; due: string }) => string;
  redispatched: (p: { number: string; unit: string; due: string }) => string;
  inProgress: (p: { number: string; unit: string }) => string;
  resolved: (p: { number: string; note?: string | null }) => string;
  visitQuestion: (p: { number: string }) => string;
  rejected: (p: { number: string; note?: string | null }) => string;
  reopened: (p: { number: string; unit: string; due: string }) => string;
  visited: (p: { number: string; rating: string }) => string;
  linked: string;
  /** Public channels (microblog): no number, no unit, no details. */
  publicCreated: string;
  publicProgress: string;
  publicResolved: string;
  publicQuery: string;
  statusLine: (p: { number: string; status: string; unit?: string | null; due: string }) => string;
  lastUpdate: (p: { what: string; at: string }) => string;
  notFound: (p: { number: string }) => string;
  noTickets: string;
  myTickets: string;
  noVisitPending: string;
  notAwaitingVisit: (p: { number: string; status: string }) => string;
  overdueAlert: (p: { number: string; category: string; unit: string; due: string; hours: number }) => string;
  urgentAlert: (p: { number: string; category: string; unit: string; due: string }) => string;
  /** A complaint that could not be filed after all attempts: a person takes it over (public: nothing personal). */
  followUp: string;
  publicFollowUp: string;
  deadLetterAlert: (p: { id: number; channel: string; category: string; attempts: number }) => string;
};

export const TICKET_PHRASES: Record<Lang, TicketPhrases> = {
  zh: {
    status: { received: '已受理，待派单', dispatched: '已派单', in_progress: '办理中', resolved: '已办结，待评价', visited: '已办结', returned: '已退回，重新派单中', rejected: '不予受理' },
    ratings: { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' },
    dispatched: ({ number, unit, due }) => `您的诉求（工单号 ${number}）已派至${unit}，将于${due}前办结。`,
    redispatched: ({ number, unit, due }) => `您的诉求（工单号 ${number}）已改派至${unit}，将于${due}前办结。`,
    inProgress: ({ number, unit }) => `${unit}已开始办理您的诉求（工单号 ${number}），请您耐心等待。`,
    resolved: ({ number, note }) => `您的诉求（工单号 ${number}）已办结${note ? `：${note}` : '。'}`,
    visitQuestion: ({ number }) => `请您对工单 ${number} 的办理结果进行评价：回复 1 满意，2 基本满意，3 不满意。`,
    rejected: ({ number, note }) => `经核实，您的诉求（工单号 ${number}）不属于12345热线受理范围${note ? `：${note}` : '。'}`,
    reopened: ({ number, unit, due }) => `很抱歉办理结果未能让您满意。工单 ${number} 已重新交由${unit}办理，将于${due}前再次答复您。`,
    visited: ({ number, rating }) => `感谢您的评价（${rating}）。工单 ${number} 已办结归档。`,
    linked: '同一问题已有其他市民反映，将合并办理，办理进展会同步告知您。',
    publicCreated: '您反映的问题已受理，我们将转交相关单位办理，进展会在此回复。',
    publicProgress: '您反映的问题已转交相关单位办理，感谢您的监督。',
    publicResolved: '您反映的问题已办理完毕，感谢您的监督。如有意见请私信我们。',
    publicQuery: '为保护您的隐私，请通过私信发送工单号查询办理进度。',
    statusLine: ({ number, status, unit, due }) => `工单 ${number}：${status}${unit ? `，承办单位：${unit}` : ''}，办理时限至${due}。`,
    lastUpdate: ({ what, at }) => `最近进展（${at}）：${what}`,
    notFound: ({ number }) => `没有找到您提交的工单 ${number}。请核对工单号；只能查询您本人在本渠道提交的工单。`,
    noTickets: '您在本渠道还没有提交过工单。',
    myTickets: '您最近的工单：',
    noVisitPending: '您目前没有待评价的工单。如需查询进度，请发送“我的工单”。',
    notAwaitingVisit: ({ number, status }) => `工单 ${number} 当前状态为“${status}”，暂不需要评价。`,
    overdueAlert: ({ number, category, unit, due, hours }) => `【超期督办】工单 ${number}（${category}），承办单位：${unit}，办理时限${due}，已超期${hours}小时，请督促办理。`,
    urgentAlert: ({ number, category, unit, due }) => `【紧急工单】工单 ${number}（${category}）时限2小时，承办单位：${unit}，请于${due}前处置。`,
    followUp: '抱歉，您反映的问题暂时未能自动生成工单。我们已转交工作人员人工处理，稍后会与您联系跟进。',
    publicFollowUp: '您反映的问题已转交工作人员人工处理，我们会尽快跟进。',
    deadLetterAlert: ({ id, channel, category, attempts }) =>
      `【工单生成失败】一条已受理的诉求（${channel}，${category}）尝试${attempts}次仍未能生成工单，已告知市民将由人工跟进。请在管理台“失败任务”中处理（编号 ${id}）。`,
  },
  en: {
    status: { received: 'received, awaiting dispatch', dispatched: 'dispatched', in_progress: 'in progress', resolved: 'resolved, awaiting your rating', visited: 'closed', returned: 'returned, being re-dispatched', rejected: 'not accepted' },
    ratings: { satisfied: 'satisfied', basically: 'basically satisfied', unsatisfied: 'unsatisfied' },
    dispatched: ({ number, unit, due }) => `Your request (ticket ${number}) has been sent to ${unit} and will be handled by ${due}.`,
    redispatched: ({ number, unit, due }) => `Your request (ticket ${number}) has been reassigned to ${unit} and will be handled by ${due}.`,
    inProgress: ({ number, unit }) => `${unit} has started work on your request (ticket ${number}).`,
    resolved: ({ number, note }) => `Your request (ticket ${number}) has been resolved${note ? `: ${note}` : '.'}`,
    visitQuestion: ({ number }) => `How satisfied are you with how ticket ${number} was handled? Reply 1 satisfied, 2 basically satisfied, 3 unsatisfied.`,
    rejected: ({ number, note }) => `Your request (ticket ${number}) is outside what the 12345 hotline handles${note ? `: ${note}` : '.'}`,
    reopened: ({ number, unit, due }) => `We are sorry the result did not satisfy you. Ticket ${number} is back with ${unit}, who will answer again by ${due}.`,
    visited: ({ number, rating }) => `Thank you for your rating (${rating}). Ticket ${number} is closed.`,
    linked: 'Others have reported the same problem; it will be handled together and you will hear about progress.',
    publicCreated: 'We have received your report and will pass it to the office in charge; progress will be posted here.',
    publicProgress: 'Your report has been passed to the office in charge. Thank you.',
    publicResolved: 'The problem you reported has been dealt with. Thank you. Send us a private message if anything is still wrong.',
    publicQuery: 'To protect your privacy, please send the ticket number by private message to see its progress.',
    statusLine: ({ number, status, unit, due }) => `Ticket ${number}: ${status}${unit ? `, handled by ${unit}` : ''}, due by ${due}.`,
    lastUpdate: ({ what, at }) => `Latest (${at}): ${what}`,
    notFound: ({ number }) => `No ticket ${number} of yours was found. Check the number; you can only see tickets you submitted on this channel.`,
    noTickets: 'You have not submitted any tickets on this channel.',
    myTickets: 'Your recent tickets:',
    noVisitPending: 'No ticket of yours is waiting for a rating. Send "my tickets" to see their progress.',
    notAwaitingVisit: ({ number, status }) => `Ticket ${number} is ${status}; there is nothing to rate yet.`,
    overdueAlert: ({ number, category, unit, due, hours }) => `[Overdue] Ticket ${number} (${category}), handled by ${unit}, was due ${due} and is ${hours} h overdue.`,
    urgentAlert: ({ number, category, unit, due }) => `[Urgent] Ticket ${number} (${category}) has a 2-hour limit; handled by ${unit}, due ${due}.`,
    followUp: 'Sorry, we could not file your request automatically. It has been passed to a member of staff, who will follow up with you.',
    publicFollowUp: 'Your report has been passed to a member of staff, who will follow up.',
    deadLetterAlert: ({ id, channel, category, attempts }) =>
      `[Ticket not filed] An acknowledged complaint (${channel}, ${category}) could not be filed after ${attempts} attempts; the citizen was told a person will follow up. Handle it under "Failed jobs" in the console (no. ${id}).`,
  },
};
