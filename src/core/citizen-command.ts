// Things a citizen asks of their own tickets, from any channel: "查询工单 20261128-000123", "我的工单", or a
// return-visit answer (a button payload or a reply digit). They need the database, so the intake does not
// answer them in the request path: it queues them, and the ticket worker replies through `outbound`.

export type Rating = 'satisfied' | 'basically' | 'unsatisfied';

export type CitizenCommand =
  | { type: 'ticket-status'; number?: string }
  | { type: 'rating'; number: string; rating: Rating };

/** Recognizes a command in a message (text or button payload); undefined when the message is not one. */
export type CommandParser = (text: string, action?: string) => CitizenCommand | undefined;
