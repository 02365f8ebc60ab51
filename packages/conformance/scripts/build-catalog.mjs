#!/usr/bin/env node
// Builds src/catalog/requirements.json from the requirement catalogs in ../shared/specs (or
// CDS_SPECS_DIR): each row's ID, spec, section, keyword, who it binds and whether a black-box suite
// can check it. Only these facts are kept, never the catalogs' prose.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const specsDir = process.env.CDS_SPECS_DIR ?? join(here, '../../../../shared/specs')

/** One catalog: its file and how its table rows are laid out (column indexes after the ID). */
const CATALOGS = [
  { file: 'requirements-wg1.md', idPattern: /^(R1-0[12]-[\w.]+-\w+|RFC\d+-\d+)$/ },
  { file: 'requirements-wg3-auth.md', idPattern: /^R3-01-[\w.]+-\w+$/ },
  { file: 'requirements-wg3-data.md', idPattern: /^R3-01-[\w.]+-\w+$/ },
]

const NOT_BLACK_BOX = /not black-box|\[NB\]|^informative\.?$|^not testable/i
const NORMATIVE = /MUST|REQUIRED|SHALL|\bDEF\b|\bSEM\b|MAY\*|must \(lc\)|IMPLIED \(MUST\)/
const CLIENT_ONLY = /^(C|Client|Ext|Op|Operator|Client UI)$/i

const rows = new Map()
for (const { file, idPattern } of CATALOGS) {
  const text = readFileSync(join(specsDir, file), 'utf8')
  for (const line of text.split('\n')) {
    if (!line.startsWith('| ')) continue
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim())
    const id = cells[0]
    if (!idPattern.test(id)) continue
    const check = cells[cells.length - 1]
    let keyword = ''
    let who = 'S'
    if (id.startsWith('RFC')) keyword = 'MUST'
    else if (cells.length >= 5) [keyword, who] = [cells[1], cells[2]]
    else keyword = cells[1]
    const spec = id.startsWith('R1-01') ? 'CDS-WG1-01' : id.startsWith('R3-01') ? 'CDS-WG3-01' : 'CDS-WG1-02'
    const section = id.startsWith('RFC') ? `RFC ${id.slice(3).split('-')[0]}` : `§${id.split('-')[2]}`
    const normative = NORMATIVE.test(keyword) && !CLIENT_ONLY.test(who)
    const testable = normative && !NOT_BLACK_BOX.test(check) && !/^Not black-box/i.test(check)
    if (rows.has(id)) {
      // The two WG3 catalogs share a prefix; an ID in both is one requirement.
      continue
    }
    rows.set(id, { id, spec, section, keyword, who, normative, testable })
  }
}
const list = [...rows.values()]
writeFileSync(join(here, '../src/catalog/requirements.json'), `${JSON.stringify(list, null, 0).replace(/\},\{/g, '},\n{')}\n`)
const count = (spec, key) => list.filter((row) => row.spec === spec && (key === undefined || row[key])).length
for (const spec of ['CDS-WG1-01', 'CDS-WG1-02', 'CDS-WG3-01'])
  console.log(`${spec}: ${count(spec)} rows, ${count(spec, 'normative')} normative server rows, ${count(spec, 'testable')} black-box testable`)
