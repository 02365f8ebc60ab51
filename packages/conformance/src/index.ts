/**
 * Placeholder entry point; see this package's README for what it will hold.
 *
 * @packageDocumentation
 */

/** The CDS specification drafts this package version targets. */
export const TARGET_SPECS = ['CDS-WG1-01', 'CDS-WG1-02', 'CDS-WG3-01'] as const
