import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../../dist/spec-check/cli.js', import.meta.url))
const FENCE = '```'

const failing = [
  '# 7. Examples',
  '',
  FENCE,
  '==Request==',
  'GET /cds-coverage.json HTTP/1.1',
  'Host: static.example.com',
  '',
  '==Response==',
  'HTTP/1.1 200 OK',
  'Content-Type: application/json;charset=UTF-8',
  '',
  '{',
  '    "coverage_entries": [',
  '        {',
  '            "id": "west",',
  '            "created": "2022-06-01T00:00:00Z",',
  '            "updated": "2022-06-01T00:00:00Z",',
  '            "entity_name": "Demo",',
  '            "entity_abbreviation": null,',
  '            "name": "West",',
  '            "type": "logical",',
  '            "role": "official",',
  '            "infrastructure_types": ["distribution_utility",],',
  '            "commodity_types": ["electricity"],',
  '            "capabilities": []',
  '        }',
  '    ],',
  '    "next": null,',
  '    "previous": null',
  '}',
  FENCE,
  '',
].join('\n')

const passing = ['# 1. Metadata', '', `${FENCE}json`, '{"coverage_entries": [], "next": null, "previous": null}', FENCE, ''].join('\n')

let dir: string
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cds-spec-check-'))
  await writeFile(join(dir, 'failing.md'), failing)
  await writeFile(join(dir, 'passing.md'), passing)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cds-spec-check', () => {
  it('is built', () => {
    expect(existsSync(cli), 'build the package first (npx tsc -p tsconfig.build.json)').toBe(true)
  })

  it('prints each example with its location, schema, syntax problems and errors, and exits 0', () => {
    const result = run('failing.md')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('FAIL failing.md:12 §7 Examples — response to GET /cds-coverage.json (200)')
    expect(result.stdout).toContain('schema: CoverageListing — rule coverage-listing')
    expect(result.stdout).toContain('JSON repaired: trailing-comma ×1 (line 23)')
    expect(result.stdout).toContain('line 14 /coverage_entries/0/country error: required member missing')
    expect(result.stdout).toMatch(/examples found +1\n/)
    expect(result.stdout).toMatch(/fail +1\n/)
  })

  it('exits 1 with --strict-exit when an example fails, 0 when all pass', () => {
    expect(run('--strict-exit', 'failing.md').status).toBe(1)
    const ok = run('--strict-exit', 'passing.md')
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain('PASS passing.md:4 §1 Metadata — JSON block')
  })

  it('writes the JSON report and the Markdown errata page, creating folders', async () => {
    const result = run('--json', 'out/report.json', '--markdown', 'out/pages/errata.md', 'failing.md', 'passing.md')
    expect(result.status).toBe(0)
    const report = JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')) as { summary: { examples: number; fail: number; pass: number } }
    expect(report.summary).toMatchObject({ examples: 2, fail: 1, pass: 1 })
    const page = await readFile(join(dir, 'out/pages/errata.md'), 'utf8')
    expect(page).toContain('| examples found | 2 |')
    expect(page).toContain('| 12 | §7 Examples | response to GET /cds-coverage.json (200) | CoverageListing — rule coverage-listing | repaired | fail (1 error) |')
  })

  it('exits 2 on usage errors', () => {
    const unknown = run('--bogus', 'failing.md')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('usage: cds-spec-check')
    const missing = run('no-such-file.md')
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('file not found: no-such-file.md')
    const help = run('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('--strict-exit')
  })
})
