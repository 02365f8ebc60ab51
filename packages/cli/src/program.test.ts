import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

async function cds(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('cds command', () => {
  it('--help lists the commands and exit codes', async () => {
    const { code, stdout } = await cds('--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: cds \[options\] \[command\]/)
    expect(stdout).toMatch(/spec-check \[files\.\.\.\]\s+check every JSON example/)
    expect(stdout).toMatch(/Exit codes: 0 success, 1 the command ran and found problems, 2 usage error/)
  })

  it('--version prints the package version', async () => {
    const { code, stdout } = await cds('--version')
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('an unknown command is a usage error (exit 2) with a hint', async () => {
    const { code, stderr } = await cds('discovr')
    expect(code).toBe(2)
    expect(stderr).toMatch(/unknown command 'discovr'/)
  })

  it('spec-check checks a Markdown file and reports its examples', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cds-cli-'))
    const file = join(dir, 'spec.md')
    await writeFile(
      file,
      '# Spec\n\n## 7. Examples\n\n```\n==Response==\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{ "coverage_entries": [], "next": null, "previous": null, }\n```\n',
    )
    const { code, stdout } = await cds('spec-check', file)
    expect(code).toBe(0)
    expect(stdout).toMatch(/^PASS spec\.md:10 §7 Examples/m)
    expect(stdout).toMatch(/schema: CoverageListing/)
    expect(stdout).toMatch(/JSON repaired: trailing-comma ×1 \(line 10\)/)
    expect(stdout).toMatch(/examples found\s+1\n/)
  })

  it('spec-check --help shows the checker\'s own options', async () => {
    const { code, stdout } = await cds('spec-check', '--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/--markdown OUT\.md/)
    expect(stdout).toMatch(/--strict-exit/)
  })

  it('spec-check with a missing file is a usage error', async () => {
    const { code, stderr } = await cds('spec-check', '/nonexistent/spec.md')
    expect(code).toBe(2)
    expect(stderr).toMatch(/file not found/)
  })
})
