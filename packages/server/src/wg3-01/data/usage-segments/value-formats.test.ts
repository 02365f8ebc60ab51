import { Decimal } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { matchesChoice, referencedIds, visibleColumns, type SegmentTable } from './value-formats.js'

const NONE = { meters: new Set<string>(), eacs: new Set<string>() }
const usage = (id: string, direction: string) => ({ id, type: 'electric_usage', units: 'kWh', direction })

describe('CDS-WG3-01 §7.2.8.1 Value Format columns (catalog §3.9, A-44)', () => {
  it('a stored format matches a choice by id and every compared field the choice states', () => {
    const stored = { ...usage('net', 'net'), tou: null, related_meterdevices: ['m-1'] }
    expect(matchesChoice(stored, { id: 'net', type: 'electric_usage' })).toBe(true)
    expect(matchesChoice(stored, { id: 'net', type: 'electric_usage', tou: null, related_meterdevices: [] })).toBe(true)
    expect(matchesChoice(stored, { id: 'net', type: 'electric_usage', tou: 'peak' })).toBe(false)
    expect(matchesChoice(stored, { id: 'net', type: 'electric_usage', quality: 'raw' })).toBe(false)
    expect(matchesChoice(stored, { id: 'other', type: 'electric_usage' })).toBe(false)
    expect(matchesChoice({ type: 'cost' }, { type: 'cost' })).toBe(false)
  })

  it('drops describing columns in chains and re-maps what remains', () => {
    // [fwd(0), net(1), cost(2, prices 0), mix(3, describes 2 and 1)]: allowing net and the mix keeps mix → [1] → [0].
    const table: SegmentTable = {
      formats: [
        usage('fwd', 'forward'),
        usage('net', 'net'),
        { id: 'cost', type: 'cost', currency: 'USD', indexes: [0] },
        { id: 'mix', type: 'electric_supply_mix', indexes: [2, 1], attribution: 'base', supply_type: 'wind' },
      ],
      values: [[{ eu: 1 }, { eu: 2 }, { c: Decimal.from('0.5') }, { sm: Decimal.from('0.1') }]],
    }
    const allowed = [{ id: 'net' }, { id: 'mix' }]
    expect(visibleColumns(table, allowed, NONE)).toEqual({
      formats: [usage('net', 'net'), { id: 'mix', type: 'electric_supply_mix', indexes: [0], attribution: 'base', supply_type: 'wind' }],
      values: [[{ eu: 2 }, { sm: Decimal.from('0.1') }]],
    })
    // Without net, the mix describes only the (removed) cost: everything goes, and the segment is omitted.
    expect(visibleColumns(table, [{ id: 'mix' }, { id: 'cost' }], NONE)).toBeNull()
  })

  it('a flat cost (indexes []) stands alone; a segment stored without formats stays', () => {
    const flat: SegmentTable = { formats: [{ id: 'fee', type: 'cost', currency: 'EUR', indexes: [] }], values: [[{ c: 3 }]] }
    expect(visibleColumns(flat, [{ id: 'fee' }], NONE)).toEqual(flat)
    expect(visibleColumns({ formats: [], values: [[], []] }, [{ id: 'x' }], NONE)).toEqual({ formats: [], values: [[], []] })
  })

  it('names the meters and certificates the columns and supply-mix cells refer to', () => {
    const table: SegmentTable = {
      formats: [
        { ...usage('e', 'net'), related_meterdevices: ['m-1', 'm-2'] },
        { id: 'r', type: 'meter_readings', related_meterdevice: 'm-3', register: null, units: 'kWh' },
        { id: 'mix', type: 'electric_supply_mix', indexes: [0], attribution: 'base', supply_type: 'solar' },
      ],
      values: [[{ eu: 1 }, { r: '1' }, { sm: 1, eacs: ['x-1'] }], [null, null, { sm: 1, eacs: ['x-2'] }]],
    }
    expect(referencedIds(table)).toEqual({ meters: ['m-1', 'm-2', 'm-3'], eacs: ['x-1', 'x-2'] })
  })
})
