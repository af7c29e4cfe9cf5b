// A ticket job exactly as the gateway queues one for a web chat complaint (a serialized message and the NLU's
// decision): the raw BullMQ baseline carries the same bytes, and the worker profile starts from a queue of them.
import type { TicketJob } from '../src/queue/queues.js';
import { COMPLAINT_TEXTS } from './texts.js';

export function complaintJob(i: number, tag: string): TicketJob {
  const text = COMPLAINT_TEXTS[i % COMPLAINT_TEXTS.length];
  return {
    message: {
      id: `webchat:${tag}-${i}/m-${i}`,
      channel: 'webchat',
      conversationId: `${tag}-${i}`,
      sender: { id: `${tag}-${i}` },
      text,
      isPublic: false,
      receivedAt: new Date().toISOString(),
    },
    decision: {
      kind: 'ticket',
      score: 0.9,
      candidates: [{ faqId: 'street-light', score: 0.2 }, { faqId: 'garbage', score: 0.1 }, { faqId: 'noise', score: 0.05 }],
      category: 'municipal',
      tier: '7d',
      district: '朝阳区',
      street: '望京街道',
      lang: 'zh',
    },
  } as TicketJob;
}
