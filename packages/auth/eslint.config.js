import { cdsConfig } from '@cds-ts/eslint-config'

// The OAuth core stays framework-free (STYLE.md §2.1).
export default cdsConfig(import.meta.dirname, { restrictImports: ['fastify', 'kysely', '@fastify'] })
