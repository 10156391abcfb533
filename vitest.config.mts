import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Mono-compiled script host is shared per worker; two workers fit this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20000,
    hookTimeout: 60000,
    projects: [
      // The rule tests are pure (no globals, no mocks): sharing one module graph saves ~40 s.
      { extends: true, test: { name: 'checks', include: ['test/checks/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'other', include: ['test/**/*.test.ts'], exclude: ['test/checks/**'] } },
    ],
  },
});
