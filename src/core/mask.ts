// Masking of personal numbers for logs, reports and exports (DESIGN.md, "Privacy").
// Mainland ID cards (18 chars, last may be X), mobile phones (11 digits from 1[3-9]), landlines
// (010-xxxxxxxx and similar), bank cards (16–19 digits). Keeps a few edge digits so staff can still tell
// two numbers apart without reading them.

const ID_CARD = /(?<!\d)([1-9]\d{5})(\d{8})(\d{3}[\dXx])(?!\d)/g;
const BANK_CARD = /(?<!\d)(\d{4})(\d{8,11})(\d{4})(?!\d)/g;
const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3}-?)(\d{4})(\d{3,4})(?!\d)/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(ID_CARD, (_m, a: string, _b: string, c: string) => `${a.slice(0, 3)}${'*'.repeat(14)}${c.slice(-1)}`)
    .replace(BANK_CARD, (_m, a: string, b: string, c: string) => `${a}${'*'.repeat(b.length)}${c}`)
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE, (_m, a: string, b: string, c: string) => `${a}${'*'.repeat(b.length)}${c}`);
}
