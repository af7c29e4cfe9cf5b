// Configuration is read once: every variable, the channels' sections included, goes through loadConfig, and
// only the command line (src/cli.ts) hands it the process's environment.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_KB_PATH } from '../../src/nlu/resources.js';
import { REPO_ROOT } from '../helpers/processes.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => relative(REPO_ROOT, join(e.parentPath, e.name)));
}

describe('configuration read once', () => {
  // The runtime's own variables are not the gateway's settings: V8 flags given in NODE_OPTIONS are left as given
  // (src/start-heap.ts), and mimalloc's huge-page switch is set before jieba's native module loads (segmenter.ts).
  const RUNTIME_VARIABLES = /process\.env\.(NODE_OPTIONS|MIMALLOC_ALLOW_THP)\b/g;

  it('has no reader of process.env in src/ or channels/ but the command line', () => {
    const readers = [...sourceFiles('src'), ...sourceFiles('channels')].filter((f) => /process\.env\b/.test(readFileSync(join(REPO_ROOT, f), 'utf8').replace(RUNTIME_VARIABLES, '')));
    expect(readers).toEqual(['src/cli.ts']);
  });

  it('holds each channel section, parsed by the channel, and refuses a half-set one as a configuration error', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkllmm', SLACK_BOT_TOKEN: 'xoxb-1234567890-abcdef', SLACK_SIGNING_SECRET: 'a'.repeat(32) });
    expect(config.channels.telegram?.token).toBe('123456789:AAbbccddeeffgghhiijjkkllmm');
    expect(config.channels.slack?.command).toBe('/12345');
    expect(config.channels.wechat).toBeUndefined();
    expect(loadConfig({}).channels).toEqual({});
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token' })).toThrow(ConfigError);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1234567890-abcdef' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_PARTNERS: '{' })).toThrow(ConfigError);
  });

  it('resolves the knowledge base and the executable search path there', () => {
    expect(loadConfig({}).kbPath).toBe(DEFAULT_KB_PATH);
    expect(loadConfig({ KB_PATH: '/srv/kb.yaml' }).kbPath).toBe('/srv/kb.yaml');
    expect(loadConfig({ PATH: '/usr/local/bin:/usr/bin' }).searchPath).toEqual(['/usr/local/bin', '/usr/bin']);
  });
});
