// Shared Vitest settings. PGlite boots slowly on two cores (TOOLCHAIN.md), hence the long hook timeout.
import { defineConfig } from 'vitest/config'

export const cdsVitest = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    hookTimeout: 60_000,
    testTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    passWithNoTests: true,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
})
