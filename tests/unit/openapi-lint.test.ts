// The OpenAPI documents are what the city's other systems generate their clients from: they must be valid
// and pass Redocly's recommended rules (a description with a comma inside a one-line YAML mapping splits into
// stray keys that a code generator silently takes for schema properties).
import { describe, expect, it } from 'vitest';
import { lint, loadConfig } from '@redocly/openapi-core';

const DOCS = ['docs/openapi.yaml', 'docs/channels-api.openapi.yaml'];

describe('OpenAPI documents', () => {
  it.each(DOCS)('%s passes the recommended rules with no errors or warnings', async (ref) => {
    const config = await loadConfig({});
    const problems = await lint({ ref, config });
    const found = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location?.[0]?.pointer ?? ''}: ${p.message}`);
    expect(found).toEqual([]);
  });
});
