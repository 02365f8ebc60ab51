/**
 * The report formats: console text, JSON, JUnit XML and a self-contained HTML page.
 *
 * @module
 */
export { formatConsoleReport, progressLine } from './console.js'
export { formatHtmlReport } from './html.js'
export { formatJsonReport } from './json.js'
export { formatJUnitReport } from './junit.js'
