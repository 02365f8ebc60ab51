/**
 * CDS-WG3-01 §10.4 Meter Devices API: the Meter Device object, Meter Apps, the listing's filters
 * and order.
 *
 * @module
 */
import { MeterAppType, MeterType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { instant } from './apis.js'
import { nestedCheck, providedCheck } from './common.js'
import { filterCheck, intersectCheck, qCheck, type FilterSpec } from './filters.js'
import { presenceCheck } from './gates.js'
import { check, endsCheck, envelopeCheck, orderCheck, prunedCheck, ruleCheck, schemaCheck } from './kit.js'
import { shown, strings } from './listing.js'
import { allIn, directView, enumValues, nested, views } from './views.js'

/** What `q` searches on a Meter Device (§10.4.5). */
export function meterSearch(item: Json): string[] {
  return [...strings(item.cds_meterdevice_id), ...strings(item.meter_number)]
}

const ids: FilterSpec = { key: 'meterdevices', param: 'cds_meterdevice_ids', values: (item) => strings(item.cds_meterdevice_id), wide: true }
const numbers: FilterSpec = { key: 'meterdevices', param: 'meter_number', values: (item) => strings(item.meter_number) }
const apps = (item: Json) => nested(item, 'meter_apps')

/** The checks of §10.4. */
export const meterDeviceChecks: readonly Check[] = [
  providedCheck('R3-01-10.4-01', 'meterdevices'),
  schemaCheck('R3-01-10.4.1-01', 'meterdevices', 'every Meter Device has its required fields (ids, timestamps, meter_types and the two service point lists) of the right types'),
  presenceCheck('R3-01-10.4.1-02', '§10.4.1', 'with meter numbers enabled, meter_number is present: a string, or null when there is none', 'meterdevices', 'include_meter_numbers', 'meter_number', 'nullable', (item) =>
    item.meter_number === null || (typeof item.meter_number === 'string' && item.meter_number !== '') ? undefined : `meter_number is ${shown(item.meter_number)}`),
  prunedCheck('R3-01-10.4.1-03', 'meterdevices', '§10.4.1', ['current_servicepoints', 'previous_servicepoints'], 'servicepoints'),
  presenceCheck('R3-01-10.4.1-04', '§10.4.1', 'with meter apps enabled, meter_apps is a list ([] when there are none)', 'meterdevices', 'include_meter_apps', 'meter_apps', 'list'),
  ruleCheck('R3-01-10.4.2-01', 'meterdevices', '§10.4.2', 'meter_types holds only defined Meter Types', allIn(enumValues(MeterType), 'meter_types'), 'no Meter Device is visible'),
  nestedCheck('R3-01-10.4.3-01', '§10.4.3', 'every Meter App has id, app_number, types and name', ['meterdevices'], apps, (a) =>
    typeof a.id === 'string' && typeof a.app_number === 'string' && typeof a.name === 'string' && Array.isArray(a.types) ? true : `meter app ${shown(a).slice(0, 120)} lacks id, app_number, types or name`, 'no Meter App is visible'),
  check('R3-01-10.4.3-02', '§10.4.3', 'an app keeps one app_number across Meter Devices', async (ctx: CheckContext) => {
    const byName = new Map<string, Set<string>>()
    for (const view of await views(ctx, 'meterdevices'))
      for (const a of view.items.flatMap(apps)) byName.set(String(a.name), (byName.get(String(a.name)) ?? new Set()).add(String(a.app_number)))
    if (byName.size === 0) ctx.notApplicable('no Meter App is visible')
    for (const [name, values] of byName) ctx.assert(values.size === 1, `the app "${name}" has the app_numbers ${[...values].join(', ')}`)
  }),
  nestedCheck('R3-01-10.4.4-01', '§10.4.4', 'Meter App types are defined values', ['meterdevices'], apps, allIn(enumValues(MeterAppType), 'types'), 'no Meter App is visible'),
  nestedCheck('R3-01-10.4.4-03', '§10.4.4', 'a Meter App end is a datetime of an app that was installed (uninstalled), never null', ['meterdevices'], apps, (a) => {
    if (!('end' in a)) return undefined
    if (instant(a.end) === undefined) return `end is ${shown(a.end)}, not a datetime`
    return strings(a.types).includes('uninstalled') ? true : `app ${String(a.id)} has an end but is not uninstalled (types ${shown(a.types)})`
  }, 'no visible Meter App has an end'),
  envelopeCheck('R3-01-10.4.5-01', 'meterdevices'),
  endsCheck('R3-01-10.4.5-03', 'meterdevices'),
  filterCheck('R3-01-10.4.5-04', ids),
  filterCheck('R3-01-10.4.5-05', numbers, 'the Meter Devices listing supports meter_number (the singular name, A-26) with a space-separated list'),
  filterCheck('R3-01-10.4.5-06', { key: 'meterdevices', param: 'current_servicepoints', values: (item) => strings(item.current_servicepoints) }, 'the Meter Devices listing supports current_servicepoints, any listed point matching'),
  filterCheck('R3-01-10.4.5-07', { key: 'meterdevices', param: 'previous_servicepoints', values: (item) => strings(item.previous_servicepoints) }, 'the Meter Devices listing supports previous_servicepoints, any listed point matching'),
  qCheck('R3-01-10.4.5-08', 'meterdevices', meterSearch, (ctx: CheckContext) => directView(ctx, 'meterdevices', 'bare')),
  intersectCheck('R3-01-10.4.5-09', ids, numbers),
  orderCheck('R3-01-10.4.5-10', 'meterdevices'),
]
