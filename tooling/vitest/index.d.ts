import type { ViteUserConfig } from 'vitest/config'

/** Shared Vitest settings of the cds-ts workspace. */
export declare const cdsVitest: ViteUserConfig
