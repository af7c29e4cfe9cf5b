// The citizen command parser: ticket queries, "my tickets", return-visit answers (words, digits, buttons);
// and complaints that merely contain those words are left alone.
import { describe, expect, it } from 'vitest';
import { parseCitizenCommand } from '../../src/tickets/citizen-commands.js';

describe('citizen commands', () => {
  it.each([
    ['查询工单 20261128-000123', { type: 'ticket-status', number: '20261128-000123' }],
    ['查询工单20261128-000123', { type: 'ticket-status', number: '20261128-000123' }],
    ['查工单：20261128-000123', { type: 'ticket-status', number: '20261128-000123' }],
    ['20261128-000123', { type: 'ticket-status', number: '20261128-000123' }],
    ['ticket 20261128-000123', { type: 'ticket-status', number: '20261128-000123' }],
    ['Ticket #20261128-000123?', { type: 'ticket-status', number: '20261128-000123' }],
    ['我的工单', { type: 'ticket-status' }],
    ['查询我的工单', { type: 'ticket-status' }],
    ['my tickets', { type: 'ticket-status' }],
    ['满意', { type: 'rating', number: '', rating: 'satisfied' }],
    ['基本满意', { type: 'rating', number: '', rating: 'basically' }],
    ['不满意', { type: 'rating', number: '', rating: 'unsatisfied' }],
    ['1', { type: 'rating', number: '', rating: 'satisfied' }],
    ['２', { type: 'rating', number: '', rating: 'basically' }],
    ['3', { type: 'rating', number: '', rating: 'unsatisfied' }],
  ])('%s', (text, expected) => {
    expect(parseCitizenCommand(text)).toEqual(expected);
  });

  it('reads the return-visit buttons', () => {
    expect(parseCitizenCommand('不满意', 'visit:20261128-000123:unsatisfied')).toEqual({ type: 'rating', number: '20261128-000123', rating: 'unsatisfied' });
    expect(parseCitizenCommand('满意', 'visit:20261128-000123:satisfied')).toEqual({ type: 'rating', number: '20261128-000123', rating: 'satisfied' });
    // A button of something else (an FAQ choice) is not a rating.
    expect(parseCitizenCommand('居住证怎么办', 'faq:residence-permit')).toBeUndefined();
  });

  it.each(['我对物业很不满意，电梯坏了一个月没人修', '工单号是多少', '12', '查询社保', '你好', '2026年11月28日停水了'])('leaves "%s" to the NLU', (text) => {
    expect(parseCitizenCommand(text)).toBeUndefined();
  });
});
