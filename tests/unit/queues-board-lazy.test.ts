// The queue dashboard (src/http/admin/queues-board.ts) loads bull-board, with lodash, valibot and ejs, only
// when someone logged in opens it: a gateway whose board is never opened does not hold them. In a process of
// its own, so that nothing else has loaded them first.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/processes.js';

interface Steps {
  mounted: string[];
  refused: { status: number; loaded: string[] };
  opened: { status: number; html: boolean; loaded: string[] };
}

function run(): Steps {
  const script = `
import { createRequire } from 'node:module';
const express = (await import('express')).default;
const { queuesBoard } = await import('./src/http/admin/queues-board.ts');
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache).map((f) => f.split('/node_modules/').at(-1).split('/').slice(0, 2).join('/')).filter((p) => p.startsWith('@bull-board/')))].sort();
const app = express();
app.use((req, res, next) => { if (req.get('x-session')) res.locals.adminSession = { user: 'admin', role: 'admin' }; next(); });
app.use(queuesBoard([]));
const mounted = loaded();
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = 'http://127.0.0.1:' + server.address().port + '/admin/queues';
const anonymous = await fetch(url, { redirect: 'manual' });
const refused = { status: anonymous.status, loaded: loaded() };
const page = await fetch(url, { headers: { 'x-session': '1' } });
const opened = { status: page.status, html: (await page.text()).includes('<html'), loaded: loaded() };
server.close();
console.log(JSON.stringify({ mounted, refused, opened }));
process.exit(0);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`child exited ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Steps;
}

describe('queue dashboard', () => {
  it('loads bull-board only when someone logged in opens it', () => {
    const steps = run();
    expect(steps.mounted).toEqual([]);
    expect(steps.refused).toEqual({ status: 302, loaded: [] });
    expect(steps.opened).toEqual({ status: 200, html: true, loaded: ['@bull-board/api', '@bull-board/express'] });
  });
});
