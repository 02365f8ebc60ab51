import { describe, expect, it } from 'vitest'
import { schemaRegistry } from './registry.js'

const CITATION = /(?:CDS-WG[13]-0[12]|RFC \d{4}) §\s?\d/

describe('schema registry', () => {
  const registry = schemaRegistry()

  it('holds the schemas of all three specs and the OAuth messages', () => {
    const areas = new Map<string, number>()
    for (const entry of registry.values()) areas.set(entry.area, (areas.get(entry.area) ?? 0) + 1)
    expect([...areas.keys()].sort()).toEqual(['CDS-WG1-01', 'CDS-WG1-02', 'CDS-WG3-01', 'OAuth'])
    expect(registry.size).toBeGreaterThan(170)
  })

  it('keys every schema by an $id equal to its exported name, in PascalCase', () => {
    for (const [id, entry] of registry) {
      expect((entry.schema as { $id?: string }).$id).toBe(id)
      expect(id).toMatch(/^[A-Z][A-Za-z0-9]*$/)
    }
  })

  it('gives every schema a description that cites its spec section', () => {
    const uncited = [...registry].filter(([, e]) => !CITATION.test((e.schema as { description?: string }).description ?? '')).map(([id]) => id)
    expect(uncited).toEqual([])
  })

  it('has the exact field names of a few well-known objects', () => {
    const props = (id: string) => Object.keys((registry.get(id)?.schema as { properties: object }).properties)
    expect(props('Credential')).toEqual(expect.arrayContaining(['client_id', 'client_secret', 'client_secret_expires_at']))
    expect(props('Grant')).toEqual(expect.arrayContaining(['grant_id', 'status', 'enabled_scope', 'enabled_authorization_details']))
    expect(props('UsageSegment')).toEqual(expect.arrayContaining(['cds_usagesegment_id', 'segment_start', 'segment_end', 'formats', 'values']))
  })
})
