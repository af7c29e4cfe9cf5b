// Slack message text is mrkdwn with its own markup: <@U123> mentions, <#C123|name> channels, <!here>,
// <https://…|label> links, and &, <, > escaped as entities. The pipeline wants what a person reads, and a
// reply must escape those three characters again or Slack takes them for markup.

export function plainText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<#[A-Z0-9]+>/g, ' ')
    .replace(/<!([a-z]+)[^|>]*(?:\|([^>]*))?>/g, (_m, keyword: string, label?: string) => label ?? `@${keyword}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
