import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests beside the code (fast, no network) and integration tests
// under test/ that talk to a real Redis and spawn real processes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/**/src/**/*.test.ts', 'apps/**/src/**/*.test.ts'],
          testTimeout: 60_000,
          // Unit tests run first, on their own; integration files follow with their own
          // worker limit (vitest needs a distinct group per maxWorkers setting).
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
