// Duplicate detection's text comparison: same problem at the same place, worded differently, links; a
// different problem at the same place does not.
import { describe, expect, it } from 'vitest';
import { organisations, sameProblem, spots } from '../../src/tickets/similarity.js';

const bars = { minSimilarity: 0.35, minSimilarityAtSpot: 0.15 };
const drop = ['卢沟桥街道', '丰台区', '望京街道', '朝阳区'];

describe('same problem', () => {
  it.each([
    ['卢沟桥街道假日风景小区门口有棵大树倒了，挡住了路', '假日风景小区门口的大树倒了，车都过不去'],
    ['假日风景小区3号楼前的树倒了压着车', '假日风景小区有棵树被风刮倒了'],
    ['丰台北路和万泉寺路口的路灯不亮好几天了', '万泉寺路口路灯晚上不亮'],
    ['楼下饭馆油烟太大', '楼下饭馆油烟很大熏得开不了窗'],
    ['朝阳区望京街道花家地西里垃圾好几天没人清运了', '望京街道花家地西里的垃圾堆成山了没人管'],
  ])('%s ≈ %s', (a, b) => {
    expect(sameProblem(a, b, drop, bars).same).toBe(true);
  });

  it.each([
    ['丰台北路路灯坏了', '丰台北路井盖丢了'], // same road, two problems
    ['我们小区门口路灯坏了', '我们小区楼道灯坏了'],
    ['卢沟桥街道假日风景小区门口有棵大树倒了', '卢沟桥街道丰台北路路灯不亮'],
    ['楼下饭馆油烟太大', '楼下理发店音响太吵'],
    ['朝阳区望京街道花家地西里垃圾好几天没人清运了', '望京街道花家地西里有人在楼道里堆杂物'],
  ])('%s ≠ %s', (a, b) => {
    expect(sameProblem(a, b, drop, bars).same).toBe(false);
  });

  it('finds named spots, not pronouns', () => {
    expect([...spots('假日风景小区门口')]).toEqual(['风景小区']);
    expect([...spots('我们小区门口')]).toEqual([]);
    // Verbs before 路 make no road: a gym that ran off (卷款跑路) is named at estates all over the city.
    expect([...spots('阳光小区附近健身房卷款跑路了')]).toEqual(['阳光小区']);
  });

  it('finds named organisations, not every compound\'s property company', () => {
    expect([...organisations('玉林小区首开物业不清运垃圾')]).toEqual(['首开物业']);
    expect([...organisations('南苑路中铁工地夜间施工')]).toEqual(['中铁工地']);
    expect([...organisations('假日风景小区物业不管')]).toEqual([]);
    expect([...organisations('电梯坏了，物业不修')]).toEqual([]);
  });
});
