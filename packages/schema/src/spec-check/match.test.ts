import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { Cds } from '../common/cds.js'
import { Decimal } from '../common/decimal.js'
import { ServerMetadata } from '../wg1-01/server-metadata.js'
import { checkValue, excused } from './check.js'
import { parseLenientJson } from './lenient-json.js'
import { matchSchema, MATCH_THRESHOLD, rankSchemas, scoreShape, type MatchContext, type MatchRule } from './match.js'

const entry = {
  id: 'dge_elec_west',
  created: '2022-06-01T00:00:00Z',
  updated: '2022-06-01T00:00:00Z',
  entity_name: 'Demo Gas & Electric',
  entity_abbreviation: 'DG&E',
  country: 'US',
  name: 'West',
  type: 'logical',
  role: 'official',
  infrastructure_types: ['distribution_utility'],
  commodity_types: ['electricity'],
  capabilities: [],
}

const response = (path: string, method = 'GET'): MatchContext => ({ file: 'spec.md', role: 'response', origin: 'http-response', mediaType: 'json', method, path })
const standalone: MatchContext = { file: 'spec.md', role: 'standalone', origin: 'json-block', mediaType: 'json' }

describe('matching by rule', () => {
  it('takes the server metadata schema for a response to the metadata URL, public or Client-specific', () => {
    for (const path of ['/.well-known/cds-server-metadata.json', '/cds-api/v1/clients/abc/cds-server-metadata']) {
      const match = matchSchema({ name: 'x' }, response(path))
      expect(match.choices).toEqual([expect.objectContaining({ pointer: '', by: 'rule', rule: 'server-metadata' })])
      expect(match.choices[0]!.schema.id).toBe('ServerMetadata')
    }
  })

  it('takes CoverageListing for a body with coverage_entries, whatever the URL', () => {
    const match = matchSchema({ coverage_entries: [], next: null, previous: null }, response('/static/anything.json'))
    expect(match.choices[0]).toMatchObject({ by: 'rule', rule: 'coverage-listing' })
    expect(match.choices[0]!.schema.id).toBe('CoverageListing')
  })

  it('reports a rule whose schemas are not registered, and falls back to scoring', () => {
    const rules: MatchRule[] = [{ name: 'wants-missing', when: () => true, schemas: ['NoSuchSchema', /^AlsoMissing$/] }]
    const match = matchSchema(entry, standalone, rules)
    expect(match.missing).toEqual({ rule: 'wants-missing', wanted: ['NoSuchSchema', '/^AlsoMissing$/'] })
    expect(match.choices[0]).toMatchObject({ by: 'score' })
    expect(match.choices[0]!.schema.id).toBe('CoverageEntry')
  })

  it('leaves a private JWK unchecked, with the reason, and checks the public one', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'gI0G', y: 'SLW_', d: '0_Nx' }
    const shell = (parameter: string): MatchContext => ({ ...standalone, origin: 'shell-data', parameter })
    const secret = matchSchema(key, shell('JWK_PRIVATE_KEY'))
    expect(secret.choices).toEqual([])
    expect(secret.unmatched).toEqual([''])
    expect(secret.hint).toMatch(/^not checked: a private JWK stays with the client/)
    const { d: _d, ...publicKey } = key
    expect(matchSchema(publicKey, shell('JWK_PUBLIC_KEY')).choices[0]).toMatchObject({ by: 'rule', rule: 'jwk', schema: { id: 'JwkPublicEncryptionKey' } })
  })

  it('checks an array item by item when the rule names an object schema', () => {
    const rules: MatchRule[] = [{ name: 'entries', when: () => true, schemas: ['CoverageEntry'] }]
    const match = matchSchema([entry, entry], standalone, rules)
    expect(match.choices.map((c) => [c.pointer, c.schema.id])).toEqual([
      ['/0', 'CoverageEntry'],
      ['/1', 'CoverageEntry'],
    ])
  })
})

describe('matching by score', () => {
  it('scores by required members present, members known and schema covered', () => {
    const Schema = Type.Object({ a: Type.String(), b: Type.String(), c: Type.Optional(Type.String()) })
    expect(scoreShape(['a', 'b', 'c'], Schema)).toBeCloseTo(1)
    expect(scoreShape(['a', 'b'], Schema)).toBeCloseTo(0.45 + 0.45 + 0.1 * (2 / 3))
    expect(scoreShape(['a', 'zzz'], Schema)).toBeCloseTo(0.45 * 0.5 + 0.45 * 0.5 + 0.1 * (1 / 3))
    expect(scoreShape(['zzz'], Schema)).toBe(0)
  })

  it('finds the schema a bare object fits best', () => {
    const match = matchSchema(entry, standalone)
    expect(match.choices[0]).toMatchObject({ pointer: '', by: 'score' })
    expect(match.choices[0]!.schema.id).toBe('CoverageEntry')
    expect(match.choices[0]!.score).toBeGreaterThanOrEqual(MATCH_THRESHOLD)
    expect(rankSchemas(entry)[0]!.schema.id).toBe('CoverageEntry')
  })

  it('says no matching schema for a body that fits nothing well', () => {
    const match = matchSchema({ foo_unknown: 1, bar_unknown: 2 }, standalone)
    expect(match.choices).toEqual([])
    expect(match.unmatched).toEqual([''])
  })
})

describe('checking a value', () => {
  it('gives each missing required member its own pointer and line', () => {
    const parsed = parseLenientJson('{\n  "coverage_entries": [\n    {"id": "a"}\n  ],\n  "next": null\n}', { firstLine: 10 })
    const match = matchSchema(parsed.value, response('/cds-coverage.json'))
    const outcome = checkValue(match.choices[0]!.schema.schema, parsed.value, { lines: parsed.lines })
    const missing = outcome.issues.filter((i) => i.keyword === 'required').map((i) => [i.pointer, i.line])
    expect(missing).toContainEqual(['/previous', 10])
    expect(missing).toContainEqual(['/coverage_entries/0/country', 12])
    expect(outcome.issues.every((i) => i.severity === 'error')).toBe(true)
  })

  it('explains a conditional requirement instead of "must match then"', () => {
    const value = {
      cds_metadata_version: 'v1',
      cds_metadata_url: 'https://example.com/.well-known/cds-server-metadata.json',
      created: '2022-01-01T00:00:00Z',
      updated: '2022-01-01T00:00:00Z',
      name: 'n',
      description: 'd',
      website: 'https://example.com',
      documentation: 'https://example.com/docs',
      support: 'https://example.com/support',
      capabilities: ['coverage'],
    }
    const { issues } = checkValue(ServerMetadata, value)
    expect(issues).toEqual([expect.objectContaining({ pointer: '/coverage', keyword: 'required', severity: 'error', message: expect.stringContaining('`capabilities` lists "coverage"') })])
  })

  it('explains else branches, rules inside maps, and schemas for extra members', () => {
    const Link = Type.Object(
      { kind: Type.String(), url: Type.Optional(Type.String()) },
      { allOf: [{ if: { required: ['kind'], properties: { kind: { const: 'link' } } }, then: { required: ['url'] }, else: { properties: { url: { maxLength: 0 } } } }] },
    )
    const Holder = Type.Object({ links: Cds.Map(Link) })
    const { issues } = checkValue(Holder, { links: { a: { kind: 'link' }, b: { kind: 'text', url: 'x' } } })
    expect(issues.map((i) => [i.pointer, i.message])).toEqual([
      ['/links/a/url', 'required member missing (required when `kind` is "link")'],
      ['/links/b/url', 'must not have more than 0 characters (unless `kind` is "link")'],
    ])
    const Extra = Type.Unsafe<unknown>({ type: 'object', properties: {}, additionalProperties: { type: 'object', required: ['id'] } })
    expect(checkValue(Extra, { first: { id: 1 }, second: {} }).issues).toEqual([expect.objectContaining({ pointer: '/second/id', keyword: 'required', severity: 'error' })])
  })

  it('grades unknown enum strings as warnings and extension members as info', () => {
    const Thing = Type.Object({ color: Cds.Enum(['red', 'green']), amount: Cds.Decimal() })
    const { issues } = checkValue(Thing, { color: 'blue', amount: Decimal.from('1.10'), x_extension: true })
    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/color', keyword: 'enum', severity: 'warning' }),
      expect.objectContaining({ pointer: '/x_extension', severity: 'info' }),
    ])
  })

  it('excuses what an example elides, and only that', () => {
    const parsed = parseLenientJson('{ ..., "name": "n", "website": "...", "capabilities": [] }')
    const outcome = checkValue(ServerMetadata, parsed.value, { elisions: parsed.elisions })
    expect(outcome.issues.filter((i) => i.severity !== 'info')).toEqual([])
    expect(outcome.excused).toBeGreaterThan(5)
    expect(excused({ pointer: '/x/name', keyword: 'required' }, [{ pointer: '', kind: 'members' }])).toBe(false)
    expect(excused({ pointer: '/name', keyword: 'required' }, [{ pointer: '', kind: 'members' }])).toBe(true)
    expect(excused({ pointer: '/a/b', keyword: 'type' }, [{ pointer: '/a', kind: 'value' }])).toBe(true)
    expect(excused({ pointer: '/a', keyword: 'minItems' }, [{ pointer: '/a', kind: 'items' }])).toBe(true)
  })
})
