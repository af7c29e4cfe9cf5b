// Dispatch table cases: jurisdiction (street office, district centre, city triage) and departments by
// category, from the real intents/dispatch.yaml; and a broken table refused with the line at fault.
import { describe, expect, it } from 'vitest';
import { loadDispatchTable, parseDispatchTable, DispatchTableError } from '../../src/tickets/dispatch-table.js';
import { dispatchTicket } from '../../src/tickets/dispatch.js';
import { readIntentsJson } from '../../src/nlu/resources.js';

const table = loadDispatchTable();

describe('dispatch', () => {
  it.each([
    // [category, district, street] → [unit, level, clear]
    ['greening', '丰台区', '卢沟桥街道', '卢沟桥街道', 'street', true],
    ['municipal', undefined, '卢沟桥街道', '卢沟桥街道', 'street', true], // a street implies its district
    ['noise', '朝阳区', '望京街道', '望京街道', 'street', true],
    ['sanitation', '朝阳区', '八里庄街道', '朝阳区八里庄街道', 'street', true], // a name two districts share
    ['sanitation', '海淀区', '八里庄街道', '海淀区八里庄街道', 'street', true],
    ['sanitation', undefined, '八里庄街道', '北京市12345市民服务热线派单中心', 'city-triage', false], // which 八里庄?
    ['noise', '丰台区', undefined, '丰台区接诉即办分中心', 'district-centre', false],
    ['municipal', undefined, undefined, '北京市12345市民服务热线派单中心', 'city-triage', false],
    ['labor', '丰台区', undefined, '丰台区人力资源和社会保障局', 'department', true],
    ['labor', undefined, undefined, '北京市人力资源和社会保障局', 'department', true],
    ['consumer', '朝阳区', '望京街道', '朝阳区市场监督管理局', 'department', true],
    ['heating', '丰台区', '卢沟桥街道', '丰台区城市管理委员会（供热）', 'department', true],
    ['transport', '朝阳区', undefined, '北京市交通委员会', 'department', true], // the metro is the city's
    ['no-such-category', '丰台区', '卢沟桥街道', '卢沟桥街道', 'street', true], // fallback: the street handles it
    [undefined, undefined, undefined, '北京市12345市民服务热线派单中心', 'city-triage', false],
    ['noise', '朝阳区', '卢沟桥街道', '朝阳区接诉即办分中心', 'district-centre', false], // street not in that district
  ] as const)('%s at %s %s → %s (%s)', (category, district, street, unit, level, clear) => {
    const d = dispatchTicket(table, { category, district, street });
    expect(d).toMatchObject({ unit, level, clear });
    expect(d.reason.length).toBeGreaterThan(10);
    // Operators read it on the console's timeline: Chinese, with no category id or English in it.
    expect(d.reason).not.toMatch(/[A-Za-z]/);
  });

  it('says why in words an operator reads', () => {
    expect(dispatchTicket(table, { category: 'greening', district: '丰台区', street: '卢沟桥街道' }).reason).toBe('街乡镇明确，直接派至卢沟桥街道');
    expect(dispatchTicket(table, { category: 'labor', district: '丰台区' }).reason).toBe('劳动社保类诉求由主管部门办理（丰台区级）');
    expect(dispatchTicket(table, { category: 'noise', district: '朝阳区', street: '卢沟桥街道' }).reason).toBe('仅知所在区，由区级中心分派至街乡镇（卢沟桥街道不在朝阳区）');
  });

  it('names the department a street office calls in', () => {
    expect(dispatchTicket(table, { category: 'greening', district: '丰台区', street: '卢沟桥街道' }).department).toBe('丰台区园林绿化局');
    expect(dispatchTicket(table, { category: 'greening' }).department).toBe('北京市园林绿化局');
  });

  it('fills in the district a street implies', () => {
    expect(dispatchTicket(table, { category: 'municipal', street: '望京街道' }).district).toBe('朝阳区');
  });

  it('refuses a broken table with the path at fault', () => {
    const places = readIntentsJson<unknown>('places.beijing.json');
    const good = structuredClone(table.file) as any;
    const bad = { ...good, categories: { ...good.categories, labor: { routing: 'department' } } };
    expect(() => parseDispatchTable(bad, places)).toThrow(DispatchTableError);
    expect(() => parseDispatchTable(bad, places)).toThrow(/categories\.labor/);
    const badTemplate = { ...good, jurisdiction: { ...good.jurisdiction, districtCentre: '分中心' } };
    expect(() => parseDispatchTable(badTemplate, places)).toThrow(/jurisdiction\.districtCentre.*\{district\}/);
  });
});
