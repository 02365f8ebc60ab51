/**
 * `@cds-ts/cli`: the `cds` command. Programmatic use is for tests and embedding.
 *
 * @packageDocumentation
 */
export { buildProgram } from './program.js'
