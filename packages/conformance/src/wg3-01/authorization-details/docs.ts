/**
 * Documentation the §7 fields link to: the `documentation` of the default Purpose Choices holds
 * the Purposes' text (CDS-WG3-01 §7.4.4), and that of every `addresses` field explains how the
 * server matches addresses in its locale (§7.1.13.1). Each link must resolve, and its fragment,
 * when it has one, must name an element of the page.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { htmlText } from '../authorization-form/check-kit.js'
import { publishing } from './field-objects.js'
import { check, show } from './kit.js'

/** Fetches a documentation URL; fails unless it resolves to a page holding its fragment. */
async function page(ctx: CheckContext, url: string): Promise<string> {
  const reply = await ctx.request({ url, headers: { accept: 'text/html' }, follow: true })
  ctx.expectStatus(reply, 200)
  const fragment = new URL(url).hash.slice(1)
  if (fragment !== '' && !new RegExp(`\\s(id|name)="${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(reply.text)) ctx.fail(`${url}: the page has no element for #${fragment}`)
  return htmlText(reply.text)
}

/** Every check of this file. */
export const docChecks: readonly Check[] = [
  check('R3-01-7.1.13.1-10', '7.1.13.1', 'the documentation of every addresses field explains the abbreviations, the segment separator and segments, with Typical and Atypical examples', async (ctx: CheckContext) => {
    for (const scope of await publishing(ctx, 'addresses')) {
      const url = scope.fields.get('addresses')?.documentation
      if (typeof url !== 'string') ctx.fail(`${scope.id}.addresses has no documentation URL`)
      const text = await page(ctx, url)
      for (const [topic, pattern] of [['the postal abbreviations', /abbreviation/i], ['the segment separator', /separat/i], ['the segments kept', /segment/i], ['a Typical Address example', /\btypical\b/i], ['an Atypical Address example', /\batypical\b/i]] as const)
        if (!pattern.test(text)) ctx.fail(`${url} does not document ${topic}`)
    }
  }, { needs: [] }),
  check('R3-01-7.4.4-06', '7.4.4', 'the documentation link of each default Purpose Choice resolves to a page with that Purpose\'s text', async (ctx: CheckContext) => {
    const scopes = await publishing(ctx, 'purpose')
    const registration = await ctx.registration()
    let seen = 0
    for (const scope of scopes) {
      const client = registration.clients.find((c) => String(c.scope).split(' ').includes(scope.id))
      const purposes = (client?.cds_purposes ?? {}) as Record<string, Json>
      for (const choice of (scope.fields.get('purpose')?.choices ?? []) as Json[]) {
        const content = purposes[String(choice.id)]?.content
        if (typeof content !== 'string') continue
        if (typeof choice.documentation !== 'string') ctx.fail(`${scope.id}: the purpose Choice ${show(choice.id)} has no documentation URL`)
        const text = await page(ctx, choice.documentation)
        if (!text.includes(content.replace(/\s+/g, ' ').trim())) ctx.fail(`${choice.documentation} does not show the text of the default Purpose ${String(choice.id)}`)
        seen++
      }
      if (seen > 0) return
    }
    if (seen === 0) ctx.notApplicable('no public purpose Choice is a default Purpose of the suite\'s Client objects')
  }),
]
