/**
 * CDS-WG3-01 §6.1.6 on the Authorization Form: a Meter List request with the Service Contract
 * Selection shows, in each contract's entry, the meters that selecting it shares. Read in the
 * lab's browser page (the test customer logged in); an entry is the largest block around one
 * selection checkbox that holds no other checkbox.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { isLoginPage, logIn, startAuthorization } from '../authorization-form/consent.js'
import { consentLab, labPage, labScope, offersSelection } from './consent-lab.js'
import { truth } from './consents.js'
import { text } from './data-lab.js'
import { check, CONSENT, show } from './kit.js'

/** The text of each selection entry of the page (the block around one checkbox). */
async function entryTexts(ctx: CheckContext, url: string): Promise<string[]> {
  const lab = await consentLab(ctx)
  const { page } = await labPage(ctx, lab)
  await page.goto(url)
  if (await isLoginPage(page)) await logIn(ctx, page, ctx.customer())
  return page.evaluate(() => {
    const out: string[] = []
    for (const box of Array.from(document.querySelectorAll('input[type=checkbox]'))) {
      let block: Element = box
      while (block.parentElement !== null && block.parentElement.querySelectorAll('input[type=checkbox]').length === 1) block = block.parentElement
      out.push((block as HTMLElement).innerText)
    }
    return out
  })
}

/** The §6.1.6 check of the Authorization Form. */
export const scopeUiChecks: readonly Check[] = [
  check(
    'R3-01-6.1.6-11',
    '6.1.6',
    'Meter List (cds_meters): with the Service Contract Selection, each contract entry of the form lists the meters it shares, and no other',
    async (ctx: CheckContext) => {
      const scope = await labScope(ctx, 'cds_meters')
      if (!offersSelection(scope, 'service_contract_selection')) ctx.notApplicable(`${scope.id} does not offer the Service Contract Selection`)
      const all = await truth(ctx)
      const lab = await consentLab(ctx)
      const pending = await startAuthorization(ctx, {
        credentials: lab.credentials,
        redirect_uri: lab.redirect_uri,
        scope: scope.id,
        authorization_details: [{ type: scope.rarType, authorization_form_selection_type: 'service_contract_selection' }],
      })
      const entries = await entryTexts(ctx, pending.url)
      const meterNumber = new Map(all.meter_devices.map((m) => [String(m.cds_meterdevice_id), text(m, 'meter_number')]))
      let checked = 0
      for (const contract of all.service_contracts) {
        const number = text(contract, 'contract_number')
        if (number === undefined) continue
        const sps = all.service_points.filter((sp) => ((sp.current_servicecontracts ?? []) as string[]).includes(String(contract.cds_servicecontract_id))).map((sp) => String(sp.cds_servicepoint_id))
        const shared = all.meter_devices.filter((m) => ((m.current_servicepoints ?? []) as string[]).some((id) => sps.includes(id))).map((m) => meterNumber.get(String(m.cds_meterdevice_id)))
        const wanted = shared.filter((n): n is string => n !== undefined)
        const entry = entries.find((e) => e.includes(number))
        ctx.assert(entry !== undefined, `the form shows no entry for contract ${number}`)
        checked++
        const missing = wanted.filter((n) => !entry.includes(n))
        ctx.assert(missing.length === 0, `the entry of contract ${number} does not list the meter(s) ${missing.join(', ')}: ${show(entry)}`)
        const others = [...meterNumber.values()].filter((n): n is string => n !== undefined && !wanted.includes(n) && entry.includes(n))
        ctx.assert(others.length === 0, `the entry of contract ${number} lists the meter(s) ${others.join(', ')}, which it does not share`)
      }
      if (checked === 0) ctx.notApplicable('the customer has no numbered Service Contract')
    },
    { needs: CONSENT },
  ),
]
