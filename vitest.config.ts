import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Starting and migrating PGlite takes seconds on a busy 2-core machine.
    hookTimeout: 60_000,
  },
})
