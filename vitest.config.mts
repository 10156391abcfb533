import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Mono-compiled script host is shared per worker; two workers fit this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    // A bound on a hung test, not on speed: the slowest tests take ~5 s on an idle machine and 5× that on a loaded one.
    testTimeout: 60000,
    hookTimeout: 120000,
    // Quiet tests: a test (or test file) that writes to the console fails.
    setupFiles: ['test/support/quiet-setup.ts'],
    projects: [
      // These tests are pure (no globals, no mocks, no servers): sharing one module graph saves ~40 s.
      {
        extends: true,
        test: { name: 'pure', include: ['test/{checks,connector,compat,ship,lib}/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: { name: 'other', include: ['test/**/*.test.ts'], exclude: ['test/{checks,connector,compat,ship,lib}/**'] },
      },
    ],
  },
});
