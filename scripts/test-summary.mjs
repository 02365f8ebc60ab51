#!/usr/bin/env node
// Adds up the Vitest JSON reports that every package writes to test-results/vitest.json
// and prints one closing line, so CI (and people) see the whole workspace's count at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const totals = { passed: 0, failed: 0, skipped: 0 }
const rows = []
for (const group of ['packages', 'apps', 'tooling']) {
  const dir = join(root, group)
  if (!existsSync(dir)) continue
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'test-results', 'vitest.json')
    if (!existsSync(file)) continue
    const report = JSON.parse(readFileSync(file, 'utf8'))
    const passed = report.numPassedTests ?? 0
    const failed = report.numFailedTests ?? 0
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    totals.passed += passed
    totals.failed += failed
    totals.skipped += skipped
    rows.push(`  ${`${group}/${name}`.padEnd(28)} ${String(passed).padStart(5)} passed ${String(failed).padStart(4)} failed`)
  }
}
console.log(`\nTest results by package:\n${rows.join('\n')}`)
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
