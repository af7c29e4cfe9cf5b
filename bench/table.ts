// The printed table: every figure next to the baseline measured in the same run, the ratio, and the target
// from issue 9 with ✓/✗. Pure functions of the results, so they are unit-tested without running anything.
import type { BenchResults } from './results.js';
import { PLACEMENT_LABEL } from './placements.js';

export type Row = [figure: string, measured: string, baseline: string, ratio: string, target: string];

const HEADER: Row = ['figure', 'measured', 'baseline (same run)', 'ratio', 'target'];

/** Display width: CJK and other wide characters take two columns in a terminal. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function renderTable(rows: Row[], header: Row = HEADER): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i]))));
  const line = (r: Row) => r.map((c, i) => pad(c, widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const int = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : Math.round(x).toLocaleString('en-US'));
export const fixed = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? `${int(x)} ms` : `${fixed(x, x >= 10 ? 0 : x >= 1 ? 1 : 2)} ms`);
const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');

export function resultsRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const f = r.faqHttp;
  if (f) {
    rows.push([`FAQ answers, ${f.connections} connections`, `${int(f.rps)} req/s`, `hello-world ${int(f.helloWorldRps)} req/s`, fixed(f.ratio), `≥ 0.50${mark(f.ratio >= 0.5)}`]);
    rows.push(['FAQ latency at full speed, p99 (p50)', `${ms(f.p99Ms)} (${ms(f.p50Ms)})`, `hello-world ${ms(f.helloWorldP99Ms)}`, '', `< 20 ms${mark(f.p99Ms < 20)}`]);
    const c = f.cpuMsPerRequest;
    rows.push([
      '  CPU per request',
      `gateway ${ms(c.gateway)}${c.redisPerFaq !== undefined ? ` + Redis ${ms(c.redisPerFaq)}` : ''}`,
      `hello-world ${ms(c.hello)}`,
      fixed(c.ratio),
      'the ratio on idle cores',
    ]);
    if (f.non2xx || f.errors) rows.push(['  FAQ non-2xx / errors', `${int(f.non2xx)} / ${int(f.errors)}`, '', '', '0']);
  }
  const fl = r.faqLatency;
  if (fl) {
    rows.push([
      `FAQ latency at ${int(fl.rate)} req/s offered, p99 (p50)`,
      `${ms(fl.p99Ms)} (${ms(fl.p50Ms)}), ${int(fl.rps)} req/s served`,
      `hello-world ${ms(fl.helloWorld.p99Ms)} (${ms(fl.helloWorld.p50Ms)})`,
      '',
      `< 20 ms${mark(fl.p99Ms < 20)}`,
    ]);
    if (fl.intakeMs) rows.push(['  of which inside the intake, p99 (p50)', `${ms(fl.intakeMs.p99)} (${ms(fl.intakeMs.p50)})`, '', '', 'jiesu_intake_seconds']);
  }
  const t = r.tickets;
  if (t) {
    rows.push(['Complaints acknowledged', `${int(t.ackPerSecond)} /s`, `raw queue.add ${int(t.rawAddPerSecond)} /s`, fixed(t.ackRatio), '']);
    rows.push([
      `Tickets, intake → row (best: ${PLACEMENT_LABEL[t.best]})`,
      `${int(t.perSecond)} /s`,
      `raw BullMQ no-op ${int(t.rawBullmqPerSecond)} /s`,
      fixed(t.ratio),
      `≥ 1,000/s${mark(t.perSecond >= 1000)}, ≥ 0.30${mark(t.ratio >= 0.3)}`,
    ]);
    for (const run of t.runs) {
      const extra = `${run.drained ? '' : ', drain time ran out'}${run.stalled ? ', STALLED' : ''}${run.acked < run.complaints ? `, ${run.complaints - run.acked} not acked` : ''}`;
      rows.push([
        `  ${PLACEMENT_LABEL[run.placement]}`,
        `${int(run.perSecond)} /s (steady ${int(run.steadyPerSecond)}), ${int(run.rows)}/${int(run.queued)} rows${extra}`,
        `ack ${int(run.ackPerSecond)}/s, ack p99 ${ms(run.ackP99Ms)}`,
        '',
        `row latency p50 ${ms(run.latencyMs.p50)}, p99 ${ms(run.latencyMs.p99)}`,
      ]);
      // What PostgreSQL's sessions were mostly doing: a lock queue here explains a low rate.
      const top = run.dbWaits[0];
      const cpu = Object.entries(run.cpuMsPerTicket).map(([k, v]) => `${k} ${fixed(v, 1)}`).join(', ');
      rows.push(['    CPU ms per ticket', cpu, '', '', '']);
      if (top) rows.push(['    busiest database state', `${fixed(top.sessions)} sessions`, top.what, '', '']);
    }
  }
  const m = r.matcher;
  if (m) rows.push(['Matcher, dev KB (one core)', `p50 ${ms(m.p50Ms)}, p99 ${ms(m.p99Ms)}`, '', '', `${int(m.perSecond)} decisions/s`]);
  if (m?.detail.nlpjs) rows.push(['  nlp.js on the same cases', `p50 ${ms(m.detail.nlpjs.p50Ms)}, p99 ${ms(m.detail.nlpjs.p99Ms)}`, '', '', '']);
  if (r.rssMb !== undefined) {
    const idle = r.faqHttp?.gatewayRssMb.idle;
    rows.push(['Gateway RSS under FAQ load (peak)', `${int(r.rssMb)} MB`, idle !== undefined ? `idle ${int(idle)} MB` : '', '', '']);
  }
  const s = r.soak;
  if (s && 'skipped' in s) rows.push(['Soak', `skipped (${s.skipped})`, '', '', '']);
  else if (s) {
    rows.push([
      `Soak ${s.minutes} min, ${int(s.rate)} req/s, ${s.complaintPercent}% complaints`,
      `RSS ${int(s.rssMb.start)} → ${int(s.rssMb.end)} MB (${fixed(s.rssMb.slopeMbPerMin)} MB/min)`,
      `handles ${int(s.activeResources.start)} → ${int(s.activeResources.end)}${s.openFds ? `, fds ${int(s.openFds.start)} → ${int(s.openFds.end)}` : ''}`,
      '',
      `no growth${mark(!s.grows)}`,
    ]);
    rows.push(['  soak load', `${int(s.requests)} requests, ${int(s.tickets)} tickets, p99 ${ms(s.p99Ms)}`, `non-2xx ${int(s.non2xx)}`, '', '']);
  }
  const p = r.prometheus;
  if (p) {
    const by = (outcome: string) => Object.entries(p.intake).filter(([k]) => k.split('/')[1] === outcome).reduce((a, [, v]) => a + v, 0);
    rows.push(['/metrics: intake', `answered ${int(by('answered'))}, queued ${int(by('queued'))}, duplicate ${int(by('duplicate'))}`, '', '', '']);
    const l = p.ticketLatencySeconds;
    rows.push([
      '/metrics: tickets created, latency',
      `${int(p.ticketsCreated)}${l ? `, p50 ${ms((l.p50 ?? NaN) * 1000)}, p99 ${ms((l.p99 ?? NaN) * 1000)}` : ''}`,
      '',
      '',
      '',
    ]);
  }
  if (Array.isArray(r.reports)) for (const rep of r.reports) rows.push([`Report: ${rep.name}`, `best ${ms(rep.bestMs)}`, `first ${ms(rep.firstMs)}`, '', '']);
  else if (r.reports) rows.push(['Reports', `skipped (${r.reports.skipped})`, '', '', '']);
  return rows;
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  const load = `load avg ${m.loadAvgStart.join(' ')}${m.loadAvgEnd ? ` → ${m.loadAvgEnd.join(' ')}` : ''}`;
  return `Jiesu bench (${r.mode}) ${m.date} · ${m.cores} cores ${m.cpuModel} · ${m.memoryGb} GB · node ${m.node} · ` +
    `redis ${m.redis ?? '?'} · postgres ${m.postgres ?? '?'} · ${load}${m.commit ? ` · commit ${m.commit}` : ''}`;
}

export function formatResults(r: BenchResults): string {
  const parts = [machineLine(r), '', renderTable(resultsRows(r))];
  for (const e of r.errors) parts.push(`✗ ${e.part} failed: ${e.message.split('\n')[0]}`);
  parts.push(`(${fixed(r.durationS, 0)} s; figures are medians or end-to-end rates, see bench/results.json for every run)`);
  return parts.join('\n');
}
