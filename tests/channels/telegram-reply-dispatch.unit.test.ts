// The reply dispatch the Telegram and Slack adapters share (channels/reply-dispatch.ts), with the outbound queue
// out of reach: replies are sent directly, and only when that fails too does the caller hear about it.
import { describe, expect, it } from 'vitest';
import { ReplyDispatch, ReplyDispatchError } from '../../channels/reply-dispatch.js';
import type { Address, InboundMessage, Reply } from '../../src/core/envelope.js';
import type { OutboundQueue } from '../../src/core/jobs.js';
import { createLogger } from '../../src/log.js';

/** A queue whose Redis is out of reach: every add fails at once. */
const unreachable: OutboundQueue = {
  add: async () => {
    throw new Error('connection refused');
  },
  ready: async () => {},
};
const message: InboundMessage = {
  id: 'telegram:1001:7',
  channel: 'telegram',
  conversationId: '1001',
  sender: { id: '1001' },
  text: '社保卡丢了怎么补办',
  isPublic: false,
  receivedAt: new Date(),
};
let dispatch: ReplyDispatch | undefined;

describe('reply dispatch without Redis', () => {
  it('sends the replies directly, in order, with ids derived from the message', async () => {
    const sent: [Address, Reply][] = [];
    dispatch = new ReplyDispatch({ queue: unreachable, log: createLogger('silent'), send: async (to, r) => void sent.push([to, r]) });
    await dispatch.dispatch(message, [{ text: '答复一' }, { text: '答复二' }]);
    expect(sent.map(([to, r]) => [to.conversationId, r.text, r.id])).toEqual([
      ['1001', '答复一', 'reply%3Atelegram%3A1001%3A7%3A0'],
      ['1001', '答复二', 'reply%3Atelegram%3A1001%3A7%3A1'],
    ]);
  });

  it('throws ReplyDispatchError when the direct send fails too', async () => {
    dispatch = new ReplyDispatch({
      queue: unreachable,
      log: createLogger('silent'),
      send: async () => {
        throw new Error('telegram unreachable');
      },
    });
    await expect(dispatch.dispatch(message, [{ text: '答复' }])).rejects.toThrow(ReplyDispatchError);
  });
});
