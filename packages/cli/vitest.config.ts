export { cdsVitest as default } from '@cds-ts/vitest-config'
