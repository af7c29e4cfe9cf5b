// The documented contract, checked against what the gateway really answers. The OpenAPI documents in docs/ are
// what the city's other systems build their clients from; every response an integration test receives from a
// documented operation is validated against the documented status codes and schemas (tests/setup/contract.ts),
// so the documents cannot drift from the code without a test failing.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const DOCS = ['docs/openapi.yaml', 'docs/channels-api.openapi.yaml'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  doc: string;
  method: string;
  template: string;
  pattern: RegExp;
  /** Status code (or '4XX', 'default') → validator of the JSON body, or null when no JSON body is documented. */
  responses: Map<string, ValidateFunction | null>;
}

type Json = Record<string, unknown>;

function resolve(doc: Json, node: unknown): unknown {
  if (node && typeof node === 'object' && '$ref' in (node as Json)) {
    const ref = String((node as Json).$ref);
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((o, k) => (o as Json)[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    return resolve(doc, target);
  }
  return node;
}

function compile(): Operation[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const ops: Operation[] = [];
  for (const file of DOCS) {
    const doc = parse(readFileSync(file, 'utf8')) as Json;
    // Each document's components are one schema, so internal $refs resolve through ajv itself.
    const id = `https://jiesu.invalid/${file}`;
    ajv.addSchema({ $id: id, components: doc.components ?? {} });
    const paths = (doc.paths ?? {}) as Record<string, Json>;
    for (const [template, item] of Object.entries(paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        const responses = new Map<string, ValidateFunction | null>();
        for (const [status, r] of Object.entries((op.responses ?? {}) as Json)) {
          const response = resolve(doc, r) as Json;
          const schema = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
          if (!schema) {
            responses.set(status, null);
            continue;
          }
          // Rewrite local refs to the document's registered id so they resolve.
          const rebased = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, `"${id}#/components/`));
          responses.set(status, ajv.compile(rebased));
        }
        ops.push({ doc: file, method: method.toUpperCase(), template, pattern, responses });
      }
    }
  }
  return ops;
}

let operations: Operation[] | undefined;

/** The problems with one response of a documented operation; [] when it matches or the path is not documented. */
export function contractProblems(method: string, path: string, status: number, body: unknown, isJson: boolean): string[] {
  operations ??= compile();
  const op = operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
  if (!op) return [];
  const where = `${op.method} ${op.template} → ${status} (${op.doc})`;
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => op.responses.has(k));
  if (!key) return [`${where}: status not documented (documented: ${[...op.responses.keys()].join(', ')})`];
  const validate = op.responses.get(key);
  if (!validate) return [];
  if (!isJson) return [`${where}: documented as JSON, answered without a JSON body`];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}
