// A web chat complaint as the ticket store takes it, each call from a new session and message (ids unique
// within a test file): 卢沟桥街道's fallen tree unless `over` says otherwise.
import type { NewTicket } from '../../src/tickets/ticket-store.js';

let seq = 0;

export function ticketInput(over: Partial<NewTicket> = {}): NewTicket {
  seq++;
  return {
    sourceMessageId: `webchat:s${seq}/m${seq}`,
    channel: 'webchat',
    conversationId: `s${seq}`,
    senderId: `s${seq}`,
    isPublic: false,
    lang: 'zh',
    text: '卢沟桥街道假日风景小区门口有棵大树倒了，挡住了路',
    category: 'greening',
    tier: '2h',
    district: '丰台区',
    street: '卢沟桥街道',
    receivedAt: new Date(),
    ...over,
  };
}
