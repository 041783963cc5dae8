import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Starting and migrating PGlite takes seconds on a busy 2-core machine.
    hookTimeout: 60_000,
    // Vitest runs cores − 1 files at once by default: one on a 2-core machine, where the browser
    // tests spend much of their time waiting on Chromium (another process); two keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
