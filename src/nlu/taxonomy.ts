// The hotline's categories (intents/taxonomy.yaml): the ids the NLU writes into tickets, their Chinese names and
// what each covers. Read and validated here only, once per process; the classifier, the reports' labels and
// the console's metadata all take them from here.
import { z } from 'zod';
import { readIntentsYaml } from './resources.js';

const TaxonomyFile = z.object({
  categories: z.array(z.object({ id: z.string(), name: z.string(), covers: z.string() })).min(1),
});

export type Category = z.infer<typeof TaxonomyFile>['categories'][number];

let categories: readonly Category[] | undefined;

export function taxonomyCategories(): readonly Category[] {
  categories ??= TaxonomyFile.parse(readIntentsYaml('taxonomy.yaml')).categories;
  return categories;
}
