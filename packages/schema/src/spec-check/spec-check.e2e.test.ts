import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkSpecFiles, defaultSpecsDir, type ExampleReport, type SpecCheckReport } from './index.js'
import { formatMarkdown } from './report.js'

const specsDir = defaultSpecsDir()
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))
const errataPage = join(repoRoot, 'apps/docs/pages/errata/spec-examples.md')
const cli = fileURLToPath(new URL('../../dist/spec-check/cli.js', import.meta.url))

function find(report: SpecCheckReport, file: string, section: string, role: ExampleReport['role'], ordinal?: number): ExampleReport {
  const found = report.examples.find((e) => e.file === file && e.section?.number === section && e.role === role && (ordinal === undefined || e.ordinal === ordinal))
  if (!found) throw new Error(`no ${role} example in ${file} §${section}`)
  return found
}

describe('the spec example check over the pinned drafts', () => {
  if (existsSync(specsDir)) {
    const files = readdirSync(specsDir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join(specsDir, name))
    let report: SpecCheckReport

    it('reads every example of every draft without throwing, and writes the errata page', async () => {
      report = await checkSpecFiles(files)
      const s = report.summary
      console.log(
        `spec-check: ${s.files} files, ${s.examples} examples (JSON ${s.json.clean} clean / ${s.json.repaired} repaired / ${s.json.unparseable} unparseable, ${s.form} form); ` +
          `${s.checked} checked: ${s.pass} pass, ${s.fail} fail, ${s.unmatched} without a schema; registry ${report.registry.schemas} schemas`,
      )
      expect(report.files).toHaveLength(files.length)
      // The three drafts and their overviews hold about a hundred bodies; fewer means extraction broke.
      expect(s.examples).toBeGreaterThanOrEqual(80)
      expect(s.json.clean + s.json.repaired + s.json.unparseable + s.form).toBe(s.examples)
      expect(s.pass + s.fail + s.unmatched + s.json.unparseable).toBe(s.examples)
      expect(s.checked).toBe(s.pass + s.fail)
      await mkdir(dirname(errataPage), { recursive: true })
      await writeFile(errataPage, formatMarkdown(report))
      const page = await readFile(errataPage, 'utf8')
      expect(page).toContain('# Errata: the examples of the CDS drafts')
      expect(page).toContain(`| examples found | ${s.examples} |`)
    })

    it('reads every example of the spec drafts themselves, and matches each HTTP body by rule', () => {
      const drafts = report.examples.filter((e) => /^cds-wg[13]-0[12]/.test(e.file))
      expect(drafts.filter((e) => e.status === 'unparseable')).toEqual([])
      const http = drafts.filter((e) => e.origin === 'http-request' || e.origin === 'http-response')
      expect(http.length).toBeGreaterThanOrEqual(60)
      expect(http.filter((e) => e.schemas.length === 0 || e.schemas[0]!.by !== 'rule').map((e) => `${e.file}:${e.line}`)).toEqual([])
    })

    it('reports the syntax problems of the drafts at their lines', () => {
      const metadata = find(report, 'cds-wg1-02.md', '12.2', 'response')
      expect(metadata.parse).toBe('repaired')
      expect(metadata.schemas[0]).toMatchObject({ schema: 'AuthorizationServerMetadata', by: 'rule' })
      expect(metadata.syntax).toContainEqual(expect.objectContaining({ kind: 'missing-comma', line: 1512 }))
      const segments = find(report, 'cds-wg3-01-dev.md', '13.3.5', 'response')
      expect(segments.syntax).toContainEqual(expect.objectContaining({ kind: 'duplicate-key', line: 7818 }))
      expect(segments.partial).toBe(true)
    })

    it('ties each known disagreement to its example and says which reading is followed', () => {
      const coverage = find(report, 'cds-wg1-01.md', '7', 'response', 2)
      expect(coverage.status).toBe('fail')
      const country = coverage.issues.find((i) => i.pointer === '/coverage_entries/0/country')
      expect(country).toMatchObject({ keyword: 'required', severity: 'error' })
      expect(report.disagreements[country!.explainedBy!]).toMatchObject({ catalog: 'requirements-wg1.md A-01', follow: 'normative text' })
      const clients = find(report, 'cds-wg1-02.md', '12.5', 'response')
      expect(clients.issues.filter((i) => i.severity === 'error').every((i) => i.explainedBy !== undefined)).toBe(true)
    })
  } else {
    it('says that the spec folder is missing', () => {
      expect(existsSync(cli), 'build the package first (npx tsc -p tsconfig.build.json)').toBe(true)
      const run = spawnSync(process.execPath, [cli], { encoding: 'utf8', env: { ...process.env, CDS_SPECS_DIR: specsDir } })
      expect(run.status).toBe(2)
      expect(run.stderr).toContain(`no spec folder found at ${specsDir}`)
    })
  }
})
