import { describe, expect, it } from 'vitest';
import { maskedName, maskPersonNames } from '../../src/core/person-names.js';

describe('maskedName', () => {
  it('keeps the surname and turns the given name into 某', () => {
    expect(maskedName('李明')).toBe('李某');
    expect(maskedName('王小红')).toBe('王某某');
    expect(maskedName('欧阳小红')).toBe('欧阳某某');
  });
  it('keeps initials of a Latin name', () => {
    expect(maskedName('Zhang Wei')).toBe('Z. W.');
  });
});

describe('maskPersonNames', () => {
  it('masks the names it is told about wherever they appear', () => {
    expect(maskPersonNames('已电话联系李明本人，李明表示满意', ['李明'])).toBe('已电话联系李某本人，李某表示满意');
    expect(maskPersonNames('Called Zhang Wei back', ['Zhang Wei'])).toBe('Called Z. W. back');
  });
  it('masks names the text introduces', () => {
    expect(maskPersonNames('我叫王小红，住3号楼')).toBe('我叫王某某，住3号楼');
    expect(maskPersonNames('联系人：欧阳建国 电话见上')).toBe('联系人：欧阳某某 电话见上');
    expect(maskPersonNames('本人姓名为刘洋。')).toBe('本人姓名为刘某。');
  });
  it('leaves a surname with a title, and words that only look like a cue', () => {
    expect(maskPersonNames('已联系张先生，王女士也来电', ['张先生'])).toBe('已联系张先生，王女士也来电');
    expect(maskPersonNames('联系人王女士')).toBe('联系人王女士');
    expect(maskPersonNames('我叫了物业三次，业主向物业反映过')).toBe('我叫了物业三次，业主向物业反映过');
  });
  it('ignores empty and one-character known names', () => {
    const s = '李家门口的路灯坏了';
    expect(maskPersonNames(s, ['', null, undefined, '李'])).toBe(s);
  });
});
