/**
 * CDS-WG1-01 §4.3–§4.7: the Coverage Entry object, its maps and outlines, and its enumerations.
 *
 * @module
 */
import { CoverageEntry } from '@cds-ts/schema'
import { defineCheck, type Check } from '../core/check.js'
import type { CheckContext, Json } from '../core/context.js'
import { conformsOpen, coverageEntries, nearMiss } from './kit.js'

/** The REQUIRED members of a Coverage Entry (CDS-WG1-01 §4.3). */
const REQUIRED = ['id', 'created', 'updated', 'entity_name', 'entity_abbreviation', 'country', 'name', 'type', 'role', 'infrastructure_types', 'commodity_types', 'capabilities'] as const

/** The enumerations of §4.4–§4.7: the member, whether it is a list, and the values the spec defines (extensible, §6). */
const ENUMS: readonly { id: string; section: string; member: string; list: boolean; known: readonly string[]; title: string }[] = [
  { id: 'R1-01-4.4-01', section: '§4.4', member: 'type', list: false, known: ['geographic', 'logical'], title: 'type is a coverage entry type string (geographic, logical or an extension), known ones spelled exactly' },
  { id: 'R1-01-4.5-01', section: '§4.5', member: 'role', list: false, known: ['authoritative', 'official', 'aggregator'], title: 'role is a capability role string (authoritative, official, aggregator or an extension), known ones spelled exactly' },
  {
    id: 'R1-01-4.6-01',
    section: '§4.6',
    member: 'infrastructure_types',
    list: true,
    known: ['distribution_utility', 'metering_provider', 'supplier', 'generator', 'market_operator', 'distribution_service_operator', 'transmission_service_operator', 'service_provider'],
    title: 'infrastructure_types is an array of infrastructure type strings, known ones spelled exactly',
  },
  {
    id: 'R1-01-4.7-01',
    section: '§4.7',
    member: 'commodity_types',
    list: true,
    known: ['electricity', 'natural_gas', 'fuel_oil', 'water', 'wastewater', 'trash', 'distributed_energy'],
    title: 'commodity_types is an array of commodity type strings, known ones spelled exactly',
  },
]

/** The entries that have a member; not applicable when none has it. */
async function entriesWith(ctx: CheckContext, member: string, what: string): Promise<Json[]> {
  const found = (await coverageEntries(ctx)).filter((entry) => entry[member] !== undefined)
  if (found.length === 0) ctx.notApplicable(`no coverage entry has ${what}`)
  return found
}

/** Every position of a GeoJSON geometry tree, with the path to it. */
function positions(value: unknown, path: string, out: { path: string; position: unknown }[]): void {
  if (typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) positions(item, `${path}/${index}`, out)
    return
  }
  const object = value as Json
  if (Array.isArray(object.coordinates)) collect(object.coordinates, `${path}/coordinates`, out)
  for (const [key, item] of Object.entries(object)) if (key !== 'coordinates' && key !== 'properties') positions(item, `${path}/${key}`, out)
}

function collect(coordinates: unknown[], path: string, out: { path: string; position: unknown }[]): void {
  if (coordinates.length > 0 && coordinates.every((item) => typeof item === 'number')) {
    out.push({ path, position: coordinates })
    return
  }
  coordinates.forEach((item, index) => {
    if (Array.isArray(item)) collect(item, `${path}/${index}`, out)
    else out.push({ path: `${path}/${index}`, position: item })
  })
}

/** Whether a GeoJSON value carries the legacy `crs` member anywhere outside `properties`. */
function hasCrs(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return value.some(hasCrs)
  return Object.entries(value as Json).some(([key, item]) => key === 'crs' || (key !== 'properties' && hasCrs(item)))
}

/** The checks of CDS-WG1-01 §4.3–§4.7. */
export const coverageEntryChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-4.3-01',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'every coverage entry has every REQUIRED member with its type',
    async run(ctx: CheckContext) {
      for (const entry of await coverageEntries(ctx)) {
        const missing = REQUIRED.filter((member) => !(member in entry))
        ctx.assert(missing.length === 0, `entry ${String(entry.id)} lacks ${missing.join(', ')}`)
        conformsOpen(ctx, CoverageEntry, entry, `the coverage entry ${String(entry.id)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-02',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'entry ids are unique strings across the whole listing',
    async run(ctx: CheckContext) {
      const seen = new Set<string>()
      for (const entry of await coverageEntries(ctx)) {
        ctx.assert(typeof entry.id === 'string' && entry.id !== '', `an entry has id ${JSON.stringify(entry.id)}`)
        ctx.assert(!seen.has(entry.id), `the id ${entry.id} is used by two entries`)
        seen.add(entry.id)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-03',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'entity_abbreviation is always present, a string or null',
    async run(ctx: CheckContext) {
      for (const entry of await coverageEntries(ctx)) {
        ctx.assert('entity_abbreviation' in entry, `entry ${String(entry.id)} has no entity_abbreviation (null when there is none)`)
        ctx.assert(entry.entity_abbreviation === null || typeof entry.entity_abbreviation === 'string', `entry ${String(entry.id)} has entity_abbreviation ${JSON.stringify(entry.entity_abbreviation)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-05',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'no entry lists the coverage capability',
    async run(ctx: CheckContext) {
      for (const entry of await coverageEntries(ctx)) {
        ctx.assert(Array.isArray(entry.capabilities), `entry ${String(entry.id)} has no capabilities array`)
        ctx.assert(!entry.capabilities.includes('coverage'), `entry ${String(entry.id)} lists the coverage capability`)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-06',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'an entry with map_resource has map_content_type, the media type the map is served with',
    async run(ctx: CheckContext) {
      for (const entry of await entriesWith(ctx, 'map_resource', 'a map_resource')) {
        ctx.assert(typeof entry.map_content_type === 'string', `entry ${String(entry.id)} has a map_resource but no map_content_type`)
        const map = await ctx.request({ url: String(entry.map_resource), headers: { accept: '*/*' }, follow: true })
        ctx.assert(map.status >= 200 && map.status < 300, `the map of entry ${String(entry.id)} answered ${map.status}`)
        const declared = entry.map_content_type.replace(/;.*$/s, '').trim().toLowerCase()
        ctx.assert(map.mediaType === declared, `the map of entry ${String(entry.id)} is served as ${map.mediaType || 'untyped'}, but map_content_type says ${declared}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-07',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'a geojson_resource is GeoJSON in WGS 84: no crs member, every position within longitude/latitude range',
    async run(ctx: CheckContext) {
      for (const entry of await entriesWith(ctx, 'geojson_resource', 'a geojson_resource')) {
        const response = await ctx.request({ url: String(entry.geojson_resource), headers: { accept: 'application/geo+json, application/json' }, follow: true })
        ctx.expectStatus(response, 200)
        const doc = response.json<Json>()
        ctx.assert(typeof doc === 'object' && doc !== null && typeof doc.type === 'string', `the GeoJSON of entry ${String(entry.id)} is not a GeoJSON object`)
        ctx.assert(!hasCrs(doc), `the GeoJSON of entry ${String(entry.id)} names a crs; RFC 7946 §4 fixes WGS 84`)
        const found: { path: string; position: unknown }[] = []
        positions(doc, '', found)
        ctx.assert(found.length > 0, `the GeoJSON of entry ${String(entry.id)} has no coordinates`)
        for (const { path, position } of found) {
          const [lon, lat] = Array.isArray(position) ? (position as unknown[]) : []
          const ok = typeof lon === 'number' && typeof lat === 'number' && Math.abs(lon) <= 180 && Math.abs(lat) <= 90
          ctx.assert(ok, `the GeoJSON of entry ${String(entry.id)} has position ${JSON.stringify(position)} at ${path}, not WGS 84 longitude/latitude`)
        }
      }
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-09',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'a geographic entry has a map_resource or a geojson_resource',
    async run(ctx: CheckContext) {
      const geographic = (await coverageEntries(ctx)).filter((entry) => entry.type === 'geographic')
      if (geographic.length === 0) ctx.notApplicable('no coverage entry is geographic')
      for (const entry of geographic) ctx.assert(entry.map_resource !== undefined || entry.geojson_resource !== undefined, `the geographic entry ${String(entry.id)} has neither map_resource nor geojson_resource`)
    },
  }),
  defineCheck({
    id: 'R1-01-4.3-11',
    spec: 'CDS-WG1-01',
    section: '§4.3',
    title: 'an entry\'s description, when present, is a string (never null)',
    async run(ctx: CheckContext) {
      for (const entry of await entriesWith(ctx, 'description', 'a description'))
        ctx.assert(typeof entry.description === 'string', `entry ${String(entry.id)} has description ${JSON.stringify(entry.description)}; an optional member is left out rather than null (A-20)`)
    },
  }),
  ...ENUMS.map((row) =>
    defineCheck({
      id: row.id,
      spec: 'CDS-WG1-01',
      section: row.section,
      title: row.title,
      async run(ctx: CheckContext) {
        for (const entry of await coverageEntries(ctx)) {
          const value = entry[row.member]
          if (row.list) ctx.assert(Array.isArray(value), `entry ${String(entry.id)} has ${row.member} ${JSON.stringify(value)}, not an array`)
          for (const item of row.list ? (value as unknown[]) : [value]) {
            ctx.assert(typeof item === 'string' && item !== '', `entry ${String(entry.id)} has ${row.member} value ${JSON.stringify(item)}, not a string`)
            const meant = nearMiss(item, row.known)
            ctx.assert(meant === undefined, `entry ${String(entry.id)} has ${row.member} value ${JSON.stringify(item)}, a misspelling of ${String(meant)}`)
          }
        }
      },
    }),
  ),
]
