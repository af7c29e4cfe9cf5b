// Where a new ticket goes (DESIGN.md: "dispatch (jurisdiction, department, tier ▸ due time)"), decided from
// the NLU's category and place by the table in intents/dispatch.yaml. Pure: the same input, the same unit.
import type { CategoryRouting, DispatchTable } from './dispatch-table.js';

export interface DispatchInput {
  category?: string | null;
  district?: string | null;
  street?: string | null;
}

export type DispatchLevel = 'street' | 'department' | 'district-centre' | 'city-triage';

export interface DispatchDecision {
  /** Who has the ticket now: an office, a department, or a centre that still has to route it. */
  unit: string;
  level: DispatchLevel;
  /** True when the jurisdiction is clear: the ticket is dispatched at once (status `dispatched`). */
  clear: boolean;
  /** The department for the category (the handler, or the one the street calls in). */
  department?: string;
  /** The district the decision used (a street implies its district). */
  district?: string;
  /** Why, for the event log and operators (in Chinese, as the console is). */
  reason: string;
}

function categoryName(table: DispatchTable, id: string | null | undefined): string {
  return (id && table.file.categories[id]?.name) || id || '未分类';
}

function fill(template: string, vars: { district?: string; street?: string }): string {
  return template.replace('{district}', vars.district ?? '').replace('{street}', vars.street ?? '');
}

/** Resolves the place: a known street implies its district; a street shared by two districts needs one. */
function resolvePlace(table: DispatchTable, input: DispatchInput): { district?: string; street?: string; note?: string } {
  const district = input.district && table.districts.has(input.district) ? input.district : undefined;
  const street = input.street ?? undefined;
  if (!street) return { district };
  const districts = table.streets.get(street);
  if (!districts) return { district, note: `未知街乡镇 ${street}` };
  if (district && !districts.includes(district)) return { district, note: `${street}不在${district}` };
  if (district) return { district, street };
  if (districts.length === 1) return { district: districts[0], street };
  return { note: `${districts.join('、')}都有${street}，需要区名` };
}

export function dispatchTicket(table: DispatchTable, input: DispatchInput): DispatchDecision {
  const { jurisdiction } = table.file;
  const routing: CategoryRouting = (input.category && table.file.categories[input.category]) || table.file.fallback;
  const place = resolvePlace(table, input);
  const suffix = place.note ? `（${place.note}）` : '';
  const dept = routing.department;
  const department = dept ? (place.district && dept.district ? fill(dept.district, place) : dept.city) : undefined;

  if (routing.routing === 'department' && department) {
    const where = place.district && dept?.district ? place.district : '市';
    return { unit: department, level: 'department', clear: true, department, district: place.district, reason: `${categoryName(table, input.category)}类诉求由主管部门办理（${where}级）${suffix}` };
  }
  if (place.street && place.district) {
    // A street name two districts share is qualified with its district so the unit names one office.
    const shared = (table.streets.get(place.street)?.length ?? 0) > 1;
    const unit = shared ? `${place.district}${fill(jurisdiction.streetOffice, place)}` : fill(jurisdiction.streetOffice, place);
    return { unit, level: 'street', clear: true, department, district: place.district, reason: `街乡镇明确，直接派至${unit}` };
  }
  if (place.district) {
    return {
      unit: fill(jurisdiction.districtCentre, place),
      level: 'district-centre',
      clear: false,
      department,
      district: place.district,
      reason: `仅知所在区，由区级中心分派至街乡镇${suffix}`,
    };
  }
  return { unit: jurisdiction.cityTriage, level: 'city-triage', clear: false, department, reason: `地点不明，由市级中心分派${suffix}` };
}

const unitsCache = new WeakMap<DispatchTable, Set<string>>();

/**
 * Every unit dispatchTicket can name: each street/town office (qualified by district where two share a
 * name), each district centre, the city triage desk, and every department at district and city level. A unit
 * staff account must belong to one of them, or it could never see a ticket.
 */
export function knownUnits(table: DispatchTable): Set<string> {
  const cached = unitsCache.get(table);
  if (cached) return cached;
  const { jurisdiction, categories, fallback } = table.file;
  const units = new Set<string>([jurisdiction.cityTriage]);
  for (const district of table.districts) units.add(fill(jurisdiction.districtCentre, { district }));
  for (const [street, districts] of table.streets) {
    for (const district of districts) {
      const office = fill(jurisdiction.streetOffice, { district, street });
      units.add(districts.length > 1 ? `${district}${office}` : office);
    }
  }
  for (const routing of [...Object.values(categories), fallback]) {
    const dept = routing.department;
    if (!dept) continue;
    units.add(dept.city);
    if (dept.district) for (const district of table.districts) units.add(fill(dept.district, { district }));
  }
  unitsCache.set(table, units);
  return units;
}
