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
  /** Why, for the event log and operators. */
  reason: string;
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
  if (!districts) return { district, note: `unknown street ${street}` };
  if (district && !districts.includes(district)) return { district, note: `${street} is not in ${district}` };
  if (district) return { district, street };
  if (districts.length === 1) return { district: districts[0], street };
  return { note: `${street} exists in ${districts.join(' and ')}; the district is needed` };
}

export function dispatchTicket(table: DispatchTable, input: DispatchInput): DispatchDecision {
  const { jurisdiction } = table.file;
  const routing: CategoryRouting = (input.category && table.file.categories[input.category]) || table.file.fallback;
  const place = resolvePlace(table, input);
  const suffix = place.note ? ` (${place.note})` : '';
  const dept = routing.department;
  const department = dept ? (place.district && dept.district ? fill(dept.district, place) : dept.city) : undefined;

  if (routing.routing === 'department' && department) {
    const where = place.district && dept?.district ? place.district : 'city';
    return { unit: department, level: 'department', clear: true, department, district: place.district, reason: `${input.category} is handled by the department (${where} level)${suffix}` };
  }
  if (place.street && place.district) {
    // A street name two districts share is qualified with its district so the unit names one office.
    const shared = (table.streets.get(place.street)?.length ?? 0) > 1;
    const unit = shared ? `${place.district}${fill(jurisdiction.streetOffice, place)}` : fill(jurisdiction.streetOffice, place);
    return { unit, level: 'street', clear: true, department, district: place.district, reason: `the street/town is known: dispatched directly to ${unit}` };
  }
  if (place.district) {
    return {
      unit: fill(jurisdiction.districtCentre, place),
      level: 'district-centre',
      clear: false,
      department,
      district: place.district,
      reason: `only the district is known: the district centre routes it to a street${suffix}`,
    };
  }
  return { unit: jurisdiction.cityTriage, level: 'city-triage', clear: false, department, reason: `no place is known: the city centre triages it${suffix}` };
}
