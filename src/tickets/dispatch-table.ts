// The dispatch table (intents/dispatch.yaml) and Beijing's streets, validated with zod once at load. The
// data says where tickets go; src/tickets/dispatch.ts only applies it.
import { z } from 'zod';
import { readIntentsJson, readIntentsYaml } from '../nlu/resources.js';

const Template = z.string().min(1).max(80);

const Department = z
  .object({
    /** Department at district level, with {district}; absent when only the city has one (the metro). */
    district: Template.refine((t) => t.includes('{district}'), 'a district-level department name must contain {district}').optional(),
    city: Template,
  })
  .strict();

const Routing = z
  .object({
    /** The category's name for people (alerts, the console). */
    name: z.string().min(1).max(20).optional(),
    routing: z.enum(['street', 'department']),
    department: Department.optional(),
  })
  .strict()
  .refine((c) => c.routing === 'street' || c.department, 'routing: department needs a department');

export const DispatchFileSchema = z
  .object({
    version: z.literal(1),
    jurisdiction: z
      .object({
        streetOffice: Template.refine((t) => t.includes('{street}'), 'must contain {street}'),
        districtCentre: Template.refine((t) => t.includes('{district}'), 'must contain {district}'),
        cityTriage: Template,
      })
      .strict(),
    categories: z.record(z.string().regex(/^[a-z][a-z-]*$/), Routing),
    fallback: Routing,
    clustering: z
      .object({
        windowDays: z.number().positive().max(90),
        minSimilarity: z.number().min(0).max(1),
        minSimilarityAtSpot: z.number().min(0).max(1),
      })
      .strict(),
  })
  .strict();

export type DispatchFile = z.infer<typeof DispatchFileSchema>;
export type CategoryRouting = z.infer<typeof Routing>;

export interface StreetInfo {
  name: string;
  district: string;
}

export interface DispatchTable {
  file: DispatchFile;
  districts: Set<string>;
  /** Street/town name → the districts that have one by that name (八里庄街道 is in 朝阳区 and 海淀区). */
  streets: Map<string, string[]>;
}

const PlacesFile = z.object({
  districts: z.array(z.object({ name: z.string() })),
  streets: z.array(z.object({ name: z.string(), district: z.string() })),
});

export class DispatchTableError extends Error {
  readonly code = 'DISPATCH_TABLE_INVALID';
}

export function parseDispatchTable(raw: unknown, places: unknown): DispatchTable {
  const parsed = DispatchFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new DispatchTableError(`intents/dispatch.yaml is invalid:\n${lines.join('\n')}`);
  }
  const p = PlacesFile.parse(places);
  const streets = new Map<string, string[]>();
  for (const s of p.streets) streets.set(s.name, [...(streets.get(s.name) ?? []), s.district]);
  return { file: parsed.data, districts: new Set(p.districts.map((d) => d.name)), streets };
}

let cached: DispatchTable | undefined;

/** The table from intents/ (read once per process). */
export function loadDispatchTable(): DispatchTable {
  cached ??= parseDispatchTable(readIntentsYaml<unknown>('dispatch.yaml'), readIntentsJson<unknown>('places.beijing.json'));
  return cached;
}
