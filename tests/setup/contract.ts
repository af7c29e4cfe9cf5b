// Every integration test's requests to a gateway on this machine are checked against the OpenAPI documents:
// a response from a documented operation with an undocumented status or a body that does not match its schema
// fails the test that received it (tests/helpers/openapi-contract.ts).
import { afterEach } from 'vitest';
import { contractProblems } from '../helpers/openapi-contract.js';

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);
const found: string[] = [];
const realFetch = globalThis.fetch;

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const res = await realFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!LOCAL.has(url.hostname)) return res;
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const isJson = /\bjson\b/.test(res.headers.get('content-type') ?? '');
  let body: unknown;
  if (isJson) {
    try {
      body = await res.clone().json();
    } catch {
      body = undefined;
    }
  }
  // 431 comes from Node's HTTP parser (headers over its limit) before any route runs: not an API answer.
  if (res.status !== 431) found.push(...contractProblems(method, url.pathname, res.status, body, isJson));
  return res;
};

afterEach(() => {
  if (!found.length) return;
  const problems = found.splice(0);
  throw new Error(`responses differ from the OpenAPI documents (docs/):\n  ${[...new Set(problems)].join('\n  ')}`);
});
