// InboundMessage crosses Redis as JSON: Dates become ISO strings and come back as Dates.
import type { InboundMessage } from './envelope.js';

export type SerializedMessage = Omit<InboundMessage, 'receivedAt'> & { receivedAt: string };

export function serializeMessage(msg: InboundMessage): SerializedMessage {
  return { ...msg, receivedAt: msg.receivedAt.toISOString() };
}

export function deserializeMessage(msg: SerializedMessage): InboundMessage {
  return { ...msg, receivedAt: new Date(msg.receivedAt) };
}
