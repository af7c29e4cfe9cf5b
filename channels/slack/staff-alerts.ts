// Alerts for hotline staff (a new 2-hour ticket, an overdue one) posted to SLACK_STAFF_CHANNEL. Staff read
// tickets anyway, but Slack is outside the hotline's systems, so phone and ID-card numbers are masked here as
// in logs. Throws ChannelApiError like send(), so a caller running inside a queue job gets retries for free.
// Called from outside the running adapter (with only the environment), it needs no Bolt App: a WebClient
// built as the App's client is.
import { WebClient } from '@slack/web-api';
import { maskPersonalData } from '../../src/core/mask.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Blocks } from './slack-api.js';
import { SlackApi, slackClientOptions } from './slack-api.js';
import { loadSlackConfig } from './slack-config.js';
import { slackLogger } from './slack-logger.js';
import { escapeText } from './slack-text.js';

export interface StaffAlert {
  /** One line, e.g. "新 2 小时工单" or "工单超期". */
  title: string;
  /** The ticket's text or a summary; masked before posting. */
  text: string;
  ticketNumber?: string;
  /** Extra facts shown as fields: 类别, 街道, 时限 … */
  fields?: Record<string, string>;
  /** A link to the ticket in the admin console. */
  url?: string;
  urgent?: boolean;
}

const clients = new Map<string, SlackApi>();

/**
 * Posts the alert to the staff channel. Resolves false (and posts nothing) when Slack or
 * SLACK_STAFF_CHANNEL is not configured, so callers need no configuration checks of their own.
 */
export async function postStaffAlert(alert: StaffAlert, env: NodeJS.ProcessEnv = process.env, log: Logger = createLogger('silent')): Promise<boolean> {
  const config = loadSlackConfig(env);
  if (!config?.staffChannel) return false;
  const key = `${config.apiUrl}\n${config.token}`;
  let api = clients.get(key);
  if (!api) clients.set(key, (api = new SlackApi(new WebClient(undefined, { ...slackClientOptions(config.apiUrl), logger: slackLogger(log, 'debug') }), config.token)));
  const headline = `${alert.urgent ? ':rotating_light: ' : ''}${alert.title}${alert.ticketNumber ? ` ${alert.ticketNumber}` : ''}`;
  const body = maskPersonalData(alert.text);
  const fields = Object.entries(alert.fields ?? {}).slice(0, 10);
  const blocks: Blocks = [
    { type: 'header', text: { type: 'plain_text', text: headline.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'plain_text', text: body.slice(0, 3000) || '-', emoji: false } },
    ...(fields.length
      ? [{ type: 'section' as const, fields: fields.map(([k, v]) => ({ type: 'mrkdwn' as const, text: `*${escapeText(k)}*\n${escapeText(maskPersonalData(v))}` })) }]
      : []),
    ...(alert.url ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `<${alert.url}|在管理台打开>` } }] : []),
  ];
  await api.postMessage({ channel: config.staffChannel, text: escapeText(`${headline}: ${body}`).slice(0, 4000), blocks });
  return true;
}
