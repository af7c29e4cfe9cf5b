// The Nlu contract end to end: decisions, complaints never answered, English, knowledge-base validation
// with clear errors, and reload keeping the old index when the new file is invalid.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu, type Nlu } from '../../src/nlu/index.js';
import { parseKb } from '../../src/nlu/kb.js';

const KB = `version: 1
entries:
  - id: social-card-loss
    topic: 社保
    questions: [社保卡丢了怎么挂失？, 社保卡找不到了怎么办]
    answer: 请尽快挂失。
  - id: heating-fee
    questions: [供暖费怎么交？]
    answer: 可在线缴纳。
  - id: en-visa
    lang: en
    questions: [How do I extend my visa?]
    answer: Apply at the exit-entry office.
`;

function kbFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'jiesu-kb-')), 'faq.yaml');
  writeFileSync(file, text);
  return file;
}

describe('decide', () => {
  let nlu: Nlu;
  beforeAll(async () => { nlu = await createNlu({ kbPath: kbFile(KB), timeZone: 'Asia/Shanghai' }); }, 60_000);

  it('answers a paraphrased question, traditional characters included', () => {
    const d = nlu.decide('社會保障卡找不着了咋辦');
    expect(d).toMatchObject({ kind: 'faq', faqId: 'social-card-loss', answer: '请尽快挂失。', lang: 'zh' });
    expect(d.candidates[0].question).toBe('社保卡丢了怎么挂失？');
  });

  it('makes a complaint a ticket even when it mentions an FAQ topic', () => {
    const d = nlu.decide('朝阳区双井街道，供暖费交了一个月了暖气还是凉的，热力公司一直推诿', { now: new Date('2025-01-15T10:00:00+08:00') });
    expect(d).toMatchObject({ kind: 'ticket', category: 'heating', tier: '24h', district: '朝阳区', street: '双井街道' });
    expect(d.time?.duration).toBe('P1M');
  });

  it('answers English questions from English entries', () => {
    expect(nlu.decide('how can I extend my visa')).toMatchObject({ kind: 'faq', faqId: 'en-visa', lang: 'en' });
  });

  it('flags small talk and handoff', () => {
    expect(nlu.decide('转人工')).toMatchObject({ kind: 'chitchat', chitchat: 'handoff' });
    expect(nlu.decide('谢谢')).toMatchObject({ kind: 'chitchat', chitchat: 'thanks' });
  });

  it('looks entries up', () => {
    expect(nlu.size).toBe(3);
    expect(nlu.entry('heating-fee')).toMatchObject({ id: 'heating-fee', lang: 'zh', questions: ['供暖费怎么交？'] });
  });
});

describe('knowledge base validation', () => {
  it('names the entry and the field at fault', () => {
    expect(() => parseKb('version: 1\nentries:\n  - id: a\n    questions: [x]\n', 'kb.yaml'))
      .toThrow(/kb\.yaml: entry #1 \(id 'a'\): field 'answer'/);
    expect(() => parseKb('version: 1\nentries:\n  - {id: a, questions: [x], answer: y}\n  - {id: a, questions: [z], answer: w}\n', 'kb.yaml'))
      .toThrow(/entry #2 \(id 'a'\): field 'id': duplicate of entry #1/);
    expect(() => parseKb('version: 1\nentries:\n  - {id: A B, questions: [x], answer: y}\n', 'kb.yaml'))
      .toThrow(/field 'id': must be a slug/);
    expect(() => parseKb('version: 1\nentries:\n  - {id: a, questions: [], answer: y}\n', 'kb.yaml'))
      .toThrow(/field 'questions': needs at least one question/);
    expect(() => parseKb('version: 1\nentries: [\n', 'kb.yaml')).toThrow(/not valid YAML/);
  });

  it('reload keeps the old index when the new file is invalid, and picks up a valid one', async () => {
    const file = kbFile(KB);
    const nlu = await createNlu({ kbPath: file, timeZone: 'Asia/Shanghai' });
    writeFileSync(file, 'version: 1\nentries:\n  - id: broken\n');
    await expect(nlu.reload()).rejects.toThrow(/entry #1 \(id 'broken'\)/);
    expect(nlu.size).toBe(3);
    expect(nlu.decide('社保卡丢了怎么挂失').faqId).toBe('social-card-loss');
    writeFileSync(file, KB.replace('heating-fee', 'heating-payment'));
    await nlu.reload();
    expect(nlu.entry('heating-payment')).toBeDefined();
  }, 60_000);
});
