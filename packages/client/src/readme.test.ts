import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as sdk from './index.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const readme = read('../README.md')

describe('STYLE §2.7 README', () => {
  it('shows examples/quickstart.ts as it is (the file tsc checks and the live tests run)', () => {
    const source = read('../examples/quickstart.ts').replace(/^\/\*\*[\s\S]*?\*\/\n/, '')
    const block = /\[`examples\/quickstart\.ts`\][\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block).toBe(source)
  })

  it('names every runtime export of the package', () => {
    const exports = Object.keys(sdk).sort()
    const missing = exports.filter((name) => !readme.includes(`\`${name}\``) && !new RegExp(`[\\s(\`]${name}[\\s,(/\`]`).test(readme))
    expect(missing).toEqual([])
  })
})
