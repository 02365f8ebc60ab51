import { cdsConfig } from '@cds-ts/eslint-config'

export default cdsConfig(import.meta.dirname)
