// Bolt, its receiver and the WebClient log through @slack/logger's interface; this hands their lines to pino.
// Their chatter is debug. Warnings are kept where they are the only report of a refusal (the receiver's
// "Request verification failed") and demoted where our own code already reports the failure once (the
// WebClient's "http request failed" next to the outbound worker's error).
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

export function slackLogger(log: Logger, warnings: 'warn' | 'debug'): SlackLogger {
  let level = LogLevel.DEBUG;
  const line = (m: unknown[]) => ({ slack: m.map(String).join(' ') });
  return {
    debug: (...m: unknown[]) => log.debug(line(m), 'slack'),
    info: (...m: unknown[]) => log.debug(line(m), 'slack'),
    warn: (...m: unknown[]) => log[warnings](line(m), 'slack'),
    error: (...m: unknown[]) => log.warn(line(m), 'slack'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
