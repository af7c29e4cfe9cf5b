// The contract checker itself must be able to fail: a body that breaks the documented schema, an undocumented
// status, and JSON missing where JSON is documented are all reported; undocumented paths are left alone.
import { describe, expect, it } from 'vitest';
import { contractProblems } from '../helpers/openapi-contract.js';

const ticket = {
  number: '20261128-000123',
  status: 'dispatched',
  category: 'greening',
  tier: '24h',
  dueAt: '2026-11-29T10:00:00.000Z',
  district: '丰台区',
  street: '卢沟桥街道',
  unit: '卢沟桥街道',
  channel: 'webchat',
};

describe('contractProblems', () => {
  it('accepts a response that matches its documented schema', () => {
    expect(contractProblems('GET', '/api/tickets/20261128-000123', 200, ticket, true)).toEqual([]);
  });
  it('reports a body that breaks the schema, naming the field', () => {
    const problems = contractProblems('GET', '/api/tickets/20261128-000123', 200, { ...ticket, tier: '3d', dueAt: 'tomorrow' }, true);
    expect(problems.join('\n')).toMatch(/\/tier/);
    expect(problems.join('\n')).toMatch(/\/dueAt/);
  });
  it('reports a status the document does not list', () => {
    expect(contractProblems('GET', '/api/tickets/20261128-000123', 418, { error: 'x', reason: 'y' }, true)).toEqual([
      expect.stringMatching(/status not documented/),
    ]);
  });
  it('reports a documented JSON response that came without JSON', () => {
    expect(contractProblems('GET', '/api/tickets/20261128-000123', 200, undefined, false)[0]).toMatch(/without a JSON body/);
  });
  it('leaves undocumented paths alone', () => {
    expect(contractProblems('GET', '/admin/tickets', 500, undefined, false)).toEqual([]);
  });
});
