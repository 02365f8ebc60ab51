// The shared settings (minus `include`), split in two projects: `unit` (tests next to the code,
// plus the type tests of `*.test-d.ts`) and `live`, which runs against one reference server on a
// real socket that `test/global-setup.ts` starts once for every live test file.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { cdsVitest } from '@cds-ts/vitest-config'

const { include: _include, ...shared } = cdsVitest.test ?? {}

export default defineConfig({
  ...cdsVitest,
  // The examples import the package by name; the tests run them on the sources.
  resolve: { alias: { '@cds-ts/client': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    ...shared,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'live',
          include: ['test/**/*.e2e.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
})
