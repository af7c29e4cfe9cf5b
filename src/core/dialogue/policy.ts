// The conversation policy: given the state and a message, what to say and what to do. A pure function, so
// every behaviour (slot filling, confirmation, FAQ feedback, repeats, handoff, menu) is tested without Redis;
// the intake pipeline carries out the effects it returns (enqueue a ticket, schedule expiry, hand off).
import { ticketClass, type Candidate, type Decision, type Lang } from '../../nlu/decision.js';
import type { InboundMessage, QuickReply, Reply } from '../envelope.js';
import { serializeMessage, type SerializedMessage } from '../serialize.js';
import { PHRASES } from '../replies.js';
import { payloads, type ConversationState, type PendingComplaint } from './conversation.js';
import { fill, type DialoguePrompts } from './prompts.js';
import { absorb, missingSlot, summary } from './slots.js';

/** A complaint keeps at most this many pictures (three messages' worth from the widget). */
const MAX_COMPLAINT_ATTACHMENTS = 9;
/** The text channels give a message that carries only a picture or file. */
const PICTURE_PLACEHOLDER = /^\[(?:图片|文件)\]$/;

export interface DialogueContext {
  prompts: Record<Lang, DialoguePrompts>;
  decide(text: string, now: Date): Decision;
  faq(id: string): { answer: string; question: string } | undefined;
  categoryName(id: string, lang: Lang): string;
  /** Most asked questions, for the menu. */
  hotQuestions: Candidate[];
  inWorkingHours(now: Date): boolean;
  workingHours: string;
  /** Ask the citizen to confirm a complaint before it becomes a ticket (interactive channels). */
  confirmComplaints: boolean;
}

export interface TicketEffect {
  message: SerializedMessage;
  decision: Decision;
  /** Kept on the ticket for operators: flags (incomplete) and a free-text place. */
  details?: Record<string, unknown>;
}

export interface Step {
  state: ConversationState;
  replies: Reply[];
  status: 'answered' | 'queued';
  ticket?: TicketEffect;
  /** A pending complaint was created or changed: (re)schedule its expiry. */
  expiry?: PendingComplaint;
  /** start: a person now owns the conversation; message: forward this message to them. */
  handoff?: 'start' | 'message';
  decision?: Decision;
  /** The citizen rated the last answer (有帮助 / 没解决): which entry, and the question it answered. */
  rated?: { faqId: string; helpful: boolean; question?: string };
}

/** How sure the matcher must be to answer a question asked while a complaint is being completed. */
const MID_COMPLAINT_FAQ_SCORE = 0.9;

const YES = /^(确认|确定|是|是的|对|对的|没错|没问题|好|好的|可以|行|嗯|ok|okay|yes|yep|confirm|correct|right)[。.!！~～]*$/i;
const EDIT = /^(修改|改一下|不对|不是|有误|edit|change|wrong)[。.!！]*$/i;
const CANCEL = /^(取消|算了|不用了|不需要了|cancel|never ?mind)[。.!！]*$/i;
/** Typed feedback on an answer, as people type it: with particles, 还是/并/根本 before it, 问题 around it. */
const PARTICLES = '[啊呀呢哦啦吧了的嘛哈]*[。.!！~～，,]*';
const HELPFUL = new RegExp(`^(?:有帮助|有用|解决了|已解决|问题解决了|helpful|solved)${PARTICLES}$`, 'i');
const UNSOLVED = new RegExp(
  `^(?:(?:问题)?(?:还是|还|仍然|依然|并|根本|也)?(?:没|没有|并没有|未|没能)(?:解决|用|帮助|帮上忙?|帮到我?|什么用|啥用)(?:我的)?(?:问题)?` +
  `|不管用|不顶用|没什么帮助|not solved|unsolved|didn'?t help|not helpful)${PARTICLES}$`, 'i');
const MAKE_TICKET = /^(登记工单|我要投诉|提交工单|register a ticket|make a ticket)[。.!！]*$/i;

/** The language of this turn: what the message is written in, or the conversation's when it is neither. */
function turnLang(text: string, d: Decision, state: ConversationState): Lang {
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh';
  if (/[a-z]{2,}/i.test(text)) return d.lang;
  return state.lang ?? d.lang;
}

function buttons(prompts: DialoguePrompts, ...keys: [keyof DialoguePrompts['buttons'], string][]): QuickReply[] {
  return keys.map(([k, payload]) => ({ label: prompts.buttons[k], payload }));
}

export function step(message: InboundMessage, prior: ConversationState, ctx: DialogueContext): Step {
  // A deep copy, so the caller's state is never changed. The state is JSON by contract (it lives in Redis as
  // JSON, see conversation.ts), and a JSON round trip copies it like structuredClone, for less.
  const state: ConversationState = JSON.parse(JSON.stringify(prior));
  state.turns += 1;
  const text = message.text;
  const action = message.action;
  const d = ctx.decide(text, message.receivedAt);
  const lang = turnLang(text, d, state);
  state.lang = lang;
  const p = ctx.prompts[lang];
  const say = sayer(state, d);

  // A person owns the conversation: the bot forwards and stays quiet.
  if (state.handoff) return { state, replies: [], status: 'answered', handoff: 'message', decision: d };

  if (action === 'handoff' || d.chitchat === 'handoff') return startHandoff(state, ctx, lang, message.receivedAt, d);

  // Buttons from earlier answers.
  if (action?.startsWith('faq:')) return answerFaq(action.slice(4), state, ctx, lang, message, d, say);
  if (action === 'fb:helpful' || (!state.pending && state.lastFaqId && HELPFUL.test(text))) {
    return say({ text: p.helpful, kind: 'chitchat' }, ratedBy(state, true));
  }
  if (action === 'fb:unsolved' || (!state.pending && state.lastFaqId && UNSOLVED.test(text))) {
    return say({ text: p.unsolvedOffer, kind: 'question', quickReplies: buttons(p, ['makeTicket', 'ticket:make'], ['handoff', 'handoff']) }, ratedBy(state, false));
  }
  if (action === 'ticket:make' || (!state.pending && state.lastQuestion && MAKE_TICKET.test(text))) {
    const origin = state.lastQuestion;
    if (origin) {
      const od = ctx.decide(origin.text, new Date(origin.receivedAt));
      const decision: Decision = { ...od, kind: 'ticket', ...ticketClass(od) };
      state.lastQuestion = undefined;
      state.lastFaqId = undefined;
      return beginComplaint(origin, decision, state, ctx, lang, say);
    }
  }

  // A complaint being completed.
  if (state.pending) {
    const pending = state.pending;
    if (action === 'confirm:cancel' || CANCEL.test(text)) {
      state.pending = undefined;
      return say({ text: p.cancelled, kind: 'chitchat' });
    }
    if (pending.stage === 'confirm' && (action === 'confirm:yes' || YES.test(text))) return fileTicket(state, lang, say);
    if (action === 'confirm:edit' || (pending.stage === 'confirm' && EDIT.test(text))) {
      pending.version = message.id;
      return say({ text: p.editPrompt, kind: 'question', quickReplies: buttons(p, ['cancel', 'confirm:cancel']) }, { expiry: pending });
    }
    // Pictures sent while a complaint is being completed belong to it; a message that is only pictures (its
    // text is the channel's placeholder) answers nothing, so the same question is asked again without a try.
    if (message.attachments?.length) {
      pending.message = { ...pending.message, attachments: [...(pending.message.attachments ?? []), ...message.attachments].slice(0, MAX_COMPLAINT_ATTACHMENTS) };
      if (PICTURE_PLACEHOLDER.test(text)) {
        pending.version = message.id;
        return nextQuestion(state, ctx, lang, say);
      }
    }
    const learnt = absorb(pending, text, d, message.location);
    // A clear question in the middle: answer it, keep the complaint waiting. Short replies ("说不清") are
    // answers to our question, however they happen to match the knowledge base.
    if (!learnt && d.kind === 'faq' && !d.clarify && d.faqId && d.score >= MID_COMPLAINT_FAQ_SCORE && text.length >= 6) {
      return answerFaq(d.faqId, state, ctx, lang, message, d, say);
    }
    pending.version = message.id;
    if (!learnt && pending.stage === 'slot') {
      pending.tries += 1;
      if (pending.tries >= 2) {
        // Gives up gracefully: the ticket goes to triage with what it has.
        const step = fileTicket(state, lang, say, ['incomplete']);
        step.replies.unshift({ text: p.givenUp, kind: 'chitchat' });
        return step;
      }
      return say({ text: pending.asking === 'subway' ? p.askSubway : p.askPlaceAgain, kind: 'question' }, { expiry: pending });
    }
    return nextQuestion(state, ctx, lang, say);
  }

  // A new message.
  if (d.kind === 'faq' && d.clarify && d.candidates.length) {
    state.failures = 0;
    state.lastQuestion = serializeMessage(message);
    return say({
      text: PHRASES[lang].clarify,
      kind: 'question',
      quickReplies: [
        ...d.candidates.slice(0, 3).map((c) => ({ label: c.question, payload: `faq:${c.faqId}` })),
        ...buttons(p, ['makeTicket', 'ticket:make']),
      ],
    });
  }
  if (d.kind === 'faq' && d.faqId) return answerFaq(d.faqId, state, ctx, lang, message, d, say);
  if (d.kind === 'ticket') {
    state.failures = 0;
    const decision: Decision = { ...d, ...ticketClass(d) };
    return beginComplaint(serializeMessage(message), decision, state, ctx, lang, say);
  }
  // Chitchat.
  const sub = d.chitchat ?? 'noise';
  if (sub === 'noise') {
    state.failures = (state.failures ?? 0) + 1;
    if (state.failures >= 2) {
      return say({ text: p.failuresOffer, kind: 'question', quickReplies: buttons(p, ['handoff', 'handoff']) });
    }
    return say({ text: PHRASES[lang].noise, kind: 'chitchat' });
  }
  state.failures = 0;
  if (sub === 'greeting' || sub === 'menu') {
    const hot = ctx.hotQuestions.slice(0, 4).map((c) => ({ label: c.question, payload: `faq:${c.faqId}` }));
    const text = sub === 'greeting' ? `${PHRASES[lang].greeting}\n${PHRASES[lang].menu}` : PHRASES[lang].menu;
    return say({ text, kind: 'chitchat', ...(hot.length ? { quickReplies: hot } : {}) });
  }
  return say({ text: PHRASES[lang][sub], kind: 'chitchat' });
}

type Say = (r: Reply | Reply[], extra?: Partial<Step>) => Step;

/** The rating of the entry last answered, once per answer (a second press rates nothing). */
function ratedBy(state: ConversationState, helpful: boolean): Partial<Step> {
  const faqId = state.lastFaqId;
  if (!faqId || state.ratedFaqId === faqId) return {};
  state.ratedFaqId = faqId;
  return { rated: { faqId, helpful, ...(state.lastQuestion ? { question: state.lastQuestion.text } : {}) } };
}

/**
 * The step that says `r` (and remembers its buttons). Returned by a function rather than declared as a named
 * closure in step(): under tsx (esbuild's keepNames) every named closure is wrapped in a call that sets its
 * name each time it is created, here once per message.
 */
function sayer(state: ConversationState, d: Decision): Say {
  return (r, extra = {}) => {
    const replies = Array.isArray(r) ? r : [r];
    state.lastQuickReplies = payloads(replies.at(-1)?.quickReplies);
    return { state, replies, status: 'answered', decision: d, ...extra };
  };
}

function answerFaq(id: string, state: ConversationState, ctx: DialogueContext, lang: Lang, message: InboundMessage, d: Decision, say: Say): Step {
  const entry = ctx.faq(id);
  const p = ctx.prompts[lang];
  if (!entry) return say({ text: PHRASES[lang].noise, kind: 'chitchat' });
  state.failures = 0;
  // The same answer twice in a row did not help the first time: offer a person or a ticket instead.
  if (state.lastFaqId === id && !message.action) {
    return say({ text: p.repeatOffer, kind: 'question', quickReplies: buttons(p, ['handoff', 'handoff'], ['makeTicket', 'ticket:make']) });
  }
  state.lastFaqId = id;
  state.ratedFaqId = undefined;
  if (!message.action) state.lastQuestion = serializeMessage(message);
  return say({
    text: entry.answer,
    kind: 'answer',
    faqId: id,
    quickReplies: buttons(p, ['helpful', 'fb:helpful'], ['unsolved', 'fb:unsolved']),
  }, { decision: { ...d, kind: 'faq', faqId: id } });
}

function beginComplaint(origin: SerializedMessage, decision: Decision, state: ConversationState, ctx: DialogueContext, lang: Lang, say: Say): Step {
  state.pending = {
    message: origin,
    text: origin.text,
    decision,
    stage: 'slot',
    tries: 0,
    version: origin.id,
    ...(origin.location ? { placeText: origin.location.label ?? `${origin.location.lat.toFixed(5)},${origin.location.lng.toFixed(5)}` } : {}),
  };
  state.lastFaqId = undefined;
  return nextQuestion(state, ctx, lang, say);
}

/** Asks for the next missing slot, or for confirmation, or files the ticket when confirmation is off. */
function nextQuestion(state: ConversationState, ctx: DialogueContext, lang: Lang, say: Say): Step {
  const pending = state.pending!;
  const p = ctx.prompts[lang];
  const slot = missingSlot(pending);
  if (slot) {
    if (pending.asking !== slot) pending.tries = 0;
    pending.asking = slot;
    pending.stage = 'slot';
    return say({ text: slot === 'subway' ? p.askSubway : p.askPlace, kind: 'question' }, { expiry: pending });
  }
  if (!ctx.confirmComplaints) return fileTicket(state, lang, say);
  pending.stage = 'confirm';
  pending.asking = undefined;
  const line = fill(p.confirm, { summary: summary(pending, p, ctx.categoryName, lang) });
  return say(
    { text: pending.decision.phone ? line : `${line}\n${p.confirmHint}`, kind: 'question', quickReplies: buttons(p, ['confirm', 'confirm:yes'], ['edit', 'confirm:edit']) },
    { expiry: pending },
  );
}

function fileTicket(state: ConversationState, lang: Lang, say: Say, flags?: string[]): Step {
  const pending = state.pending!;
  state.pending = undefined;
  const message: SerializedMessage = { ...pending.message, text: pending.text };
  const decision: Decision = { ...pending.decision, lang };
  const details: Record<string, unknown> = {
    ...(pending.placeText ? { placeText: pending.placeText } : {}),
    ...(flags ? { flags } : {}),
  };
  const step = say({ text: PHRASES[lang].ack, kind: 'ack' }, { ticket: { message, decision, ...(Object.keys(details).length ? { details } : {}) } });
  step.status = 'queued';
  return step;
}

function startHandoff(state: ConversationState, ctx: DialogueContext, lang: Lang, now: Date, d: Decision): Step {
  state.handoff = { since: now.toISOString() };
  state.failures = 0;
  const p = ctx.prompts[lang];
  const text = fill(ctx.inWorkingHours(now) ? p.handoffWaiting : p.handoffOffHours, { hours: ctx.workingHours });
  state.lastQuickReplies = undefined;
  return { state, replies: [{ text, kind: 'chitchat' }], status: 'answered', handoff: 'start', decision: d };
}
