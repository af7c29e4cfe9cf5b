import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/core/mask.js';

describe('maskPersonalData', () => {
  it('masks mobile phones, keeping the first 3 and last 4 digits', () => {
    expect(maskPersonalData('电话13812345678，谢谢')).toBe('电话138****5678，谢谢');
  });
  it('masks landlines', () => {
    expect(maskPersonalData('座机010-62345678')).toBe('座机010-****5678');
  });
  it('masks ID-card numbers including the X check digit', () => {
    expect(maskPersonalData('身份证11010519491231002X')).toBe('身份证110**************X');
    expect(maskPersonalData('id 110105194912310021')).toBe('id 110**************1');
  });
  it('masks bank cards', () => {
    expect(maskPersonalData('卡号6222021234567890123')).toBe('卡号6222***********0123');
  });
  it('leaves ticket numbers, dates and short numbers alone', () => {
    const s = '工单20261128-000123，13号线，2026年11月28日，门牌号1203';
    expect(maskPersonalData(s)).toBe(s);
  });
});
