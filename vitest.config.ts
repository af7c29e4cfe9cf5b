// Test suites in the order CI runs them: fast unit tests, then integration (real Redis and PostgreSQL),
// browser (headless Chromium) and chaos (processes killed at random).
import { defineConfig } from 'vitest/config';

const common = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/nlu/**/*.test.ts', 'tests/channels/**/*.unit.test.ts'] } },
      { test: { ...common, name: 'integration', include: ['tests/integration/**/*.test.ts', 'tests/channels/**/*.int.test.ts'], setupFiles: ['tests/setup/contract.ts'] } },
      { test: { ...common, name: 'browser', include: ['tests/browser/**/*.test.ts'], fileParallelism: false } },
      { test: { ...common, name: 'chaos', include: ['tests/chaos/**/*.test.ts'], fileParallelism: false, testTimeout: 600_000 } },
    ],
  },
});
