// Where a Slack conversation lives. In a direct message it is the DM channel (or, for a slash command, the
// user: chat.postMessage to a user id posts into the app's DM with them). In a channel the app answers in
// the thread of the message that mentioned it, and the thread is part of the conversation id, so every later
// reply — the ticket number, feedback, the return visit — lands in that same thread.

export function threadConversationId(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

export function slackDestination(conversationId: string, replyTo?: string): { channel: string; threadTs?: string } {
  const [channel, threadTs] = conversationId.split(':', 2);
  const thread = replyTo ?? threadTs;
  return thread ? { channel, threadTs: thread } : { channel };
}
