import type { Check } from '../../core/check.js'

export const scenarioChecks: readonly Check[] = []
