/**
 * CDS-WG3-01 §9.2.2 Request Section components: the Data Component's plain words and details,
 * the Duration Component's statements for each kind of duration field, the Selection Component's
 * type, and the Purpose Component (text only, a bounded scrolling block, the related link).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { allForms, check, durations, firstSection, kindSurvey, namedForm, yearFromNow } from './check-kit.js'
import { PURPOSE_LAST_LINE, PURPOSE_MARKUP, PURPOSE_RELATED } from './form-client.js'
import { jargonIn, type PageSnapshot, type PurposeInfo } from './form-snapshot.js'
import { aggregationConsentSurvey } from './survey-extra.js'
import { formSurvey } from './survey-forms.js'
import { seen } from './survey-kit.js'

/** Wordings (English) the duration rules look for; A-67: the wording is not mandated, so meanings are matched. */
const SAYS = {
  untilStopped: /until you (stop|cancel|revoke|turn)|in your (account )?settings/i,
  currentOnly: /only (your )?current|no (future )?updates|not (be )?updated|no updates/i,
  futureOnly: /only new|from now on|only future|future .* only|going forward|no past|no historical/i,
  pastOnly: /only (your )?(past|historical)|no new|nothing (new|going forward)|no future/i,
  thisRequestOnly: /only for this request|this request only|asked again|authorize again|one[- ]time/i,
}

/** The Purpose Component of the first section of a form. */
function purposeOf(ctx: CheckContext, form: PageSnapshot): PurposeInfo {
  const purpose = firstSection(ctx, form).purpose
  if (purpose === null) ctx.fail(`the form at ${form.url} has no Purpose Component`)
  return purpose
}

/** The form with the Client-written Purpose (Account Selection, everything preselected). */
async function clientPurposeForm(ctx: CheckContext): Promise<PageSnapshot> {
  const survey = await formSurvey(ctx)
  if (survey.fc.purpose === undefined) ctx.notApplicable('the server did not take the suite’s Client-written Purpose')
  return seen(ctx, (await kindSurvey(ctx, 'account')).all, 'the form with the Client-written Purpose')
}

/** Fails unless one duration statement of the form matches. */
function says(ctx: CheckContext, form: PageSnapshot, pattern: RegExp, what: string): void {
  const lines = durations(form)
  ctx.assert(lines.some((l) => pattern.test(l)), `no duration statement says ${what}: ${lines.join(' | ')}`)
}

/** How many duration statements of the form match. */
function count(form: PageSnapshot, pattern: RegExp): number {
  return durations(form).filter((l) => pattern.test(l)).length
}

/** Checks of one kind of duration range (§9.2.2.2): stated, start now, end infinite, end now. */
function rangeChecks(ids: [string, string, string, string], kind: 'bills' | 'sections' | 'usage', noun: string): Check[] {
  const pair = async (ctx: CheckContext) => ({ future: await namedForm(ctx, `${kind}-future`), past: await namedForm(ctx, `${kind}-past`) })
  return [
    check(ids[0], '§9.2.2.2', `the ${noun} date range is stated (and changes with the range asked for)`, async (ctx: CheckContext) => {
      const { future, past } = await pair(ctx)
      ctx.assert(durations(future).join('|') !== durations(past).join('|'), `the ${noun} statements do not change with the range`)
    }),
    check(ids[1], '§9.2.2.2', `a ${noun} range starting today says only new data, nothing past`, async (ctx: CheckContext) => {
      says(ctx, (await pair(ctx)).future, SAYS.futureOnly, 'that only new data is shared')
    }),
    check(ids[2], '§9.2.2.2', `a ${noun} range without end says it lasts until the customer stops it`, async (ctx: CheckContext) => {
      const { future, past } = await pair(ctx)
      ctx.assert(count(future, SAYS.untilStopped) > count(past, SAYS.untilStopped), 'the open end is not said to last until the customer stops it')
    }),
    check(ids[3], '§9.2.2.2', `a ${noun} range ending today says only past data, nothing new`, async (ctx: CheckContext) => {
      says(ctx, (await pair(ctx)).past, SAYS.pastOnly, 'that only past data is shared')
    }),
  ]
}

/** The checks of CDS-WG3-01 §9.2.2. */
export const componentChecks: readonly Check[] = [
  check('R3-01-9.2.2.1-01', '§9.2.2.1', 'the Data Component says in words which data the scope shares', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx))
      for (const section of form.requests) ctx.assert((section.data?.text.split(/\s+/).length ?? 0) >= 4, `a Data Component at ${form.url} says too little: “${section.data?.text ?? ''}”`)
  }),
  check('R3-01-9.2.2.1-02', '§9.2.2.1', 'the Data Component uses no spec jargon (scope or field ids, “Usage Segment”, ISO durations)', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx))
      for (const section of form.requests) {
        const found = jargonIn(section.data?.text ?? '')
        ctx.assert(found === undefined, `a Data Component at ${form.url} says “${found ?? ''}”`)
      }
  }),
  check('R3-01-9.2.2.1-04', '§9.2.2.1', 'many data types get a short summary and a details toggle', async (ctx: CheckContext) => {
    const data = firstSection(ctx, await namedForm(ctx, 'merged')).data
    ctx.assert(data !== null && data.toggles > 0 && data.detailItems.length > 0, 'the merged section’s Data Component has no details toggle with items')
  }),
  check('R3-01-9.2.2.1-05', '§9.2.2.1', 'the details name each data field in plain words', async (ctx: CheckContext) => {
    const items = firstSection(ctx, await namedForm(ctx, 'merged')).data?.detailItems ?? []
    ctx.assert(items.length > 0, 'the details list no field')
    for (const item of items) ctx.assert(jargonIn(item) === undefined && item.split(/\s+/).length >= 2, `a detail says “${item}”`)
  }),
  check('R3-01-9.2.2.1-06', '§9.2.2.1', 'each field in the details comes with an example value', async (ctx: CheckContext) => {
    const items = firstSection(ctx, await namedForm(ctx, 'merged')).data?.detailItems ?? []
    ctx.assert(items.length > 0, 'the details list no field')
    for (const item of items) ctx.assert(/example|e\.g\.|such as|for instance|like /i.test(item), `the detail “${item}” gives no example`)
  }),
  check('R3-01-9.2.2.2-01', '§9.2.2.2', 'the duration statements use no jargon (field ids, ISO durations)', async (ctx: CheckContext) => {
    for (const form of await allForms(ctx))
      for (const line of durations(form)) ctx.assert(jargonIn(line) === undefined, `a duration statement at ${form.url} says “${line}”`)
  }),
  check('R3-01-9.2.2.2-03', '§9.2.2.2', 'sync_until P3Y is stated as three years (or its end date)', async (ctx: CheckContext) => {
    const form = seen(ctx, (await kindSurvey(ctx, 'account')).all, 'the form with sync_until P3Y')
    says(ctx, form, new RegExp(`\\b(3|three) years?\\b|${yearFromNow(3)}`, 'i'), 'how long updates last (3 years)')
  }),
  check('R3-01-9.2.2.2-04', '§9.2.2.2', 'sync_until infinite says updates go on until the customer stops them in the settings', async (ctx: CheckContext) => {
    says(ctx, (await kindSurvey(ctx, 'account')).none, SAYS.untilStopped, 'that updates last until the customer stops them')
  }),
  check('R3-01-9.2.2.2-05', '§9.2.2.2', 'sync_until PT0S says only current data, no updates', async (ctx: CheckContext) => {
    says(ctx, seen(ctx, (await kindSurvey(ctx, 'account')).one, 'the form with sync_until PT0S').form, SAYS.currentOnly, 'that only current data is shared')
  }),
  ...rangeChecks(['R3-01-9.2.2.2-06', 'R3-01-9.2.2.2-07', 'R3-01-9.2.2.2-08', 'R3-01-9.2.2.2-09'], 'bills', 'bill statement'),
  ...rangeChecks(['R3-01-9.2.2.2-10', 'R3-01-9.2.2.2-11', 'R3-01-9.2.2.2-12', 'R3-01-9.2.2.2-13'], 'sections', 'bill section'),
  ...rangeChecks(['R3-01-9.2.2.2-14', 'R3-01-9.2.2.2-15', 'R3-01-9.2.2.2-16', 'R3-01-9.2.2.2-17'], 'usage', 'usage'),
  check('R3-01-9.2.2.2-18', '§9.2.2.2', 'Aggregation Inclusion says how long the permission lasts (expires P6M: six months)', async (ctx: CheckContext) => {
    says(ctx, seen(ctx, (await aggregationConsentSurvey(ctx)).bounded, 'the Aggregation Inclusion form'), /\b(6|six) months?\b/i, 'that the permission lasts six months')
  }),
  check('R3-01-9.2.2.2-19', '§9.2.2.2', 'Aggregation Inclusion with expires infinite says it lasts until the customer stops it', async (ctx: CheckContext) => {
    says(ctx, seen(ctx, (await aggregationConsentSurvey(ctx)).infinite, 'the Aggregation Inclusion form without end'), SAYS.untilStopped, 'that it lasts until stopped')
  }),
  check('R3-01-9.2.2.2-20', '§9.2.2.2', 'Aggregation Inclusion with expires PT0S says it is for this request only', async (ctx: CheckContext) => {
    says(ctx, seen(ctx, (await aggregationConsentSurvey(ctx)).now, 'the Aggregation Inclusion form for this request only'), SAYS.thisRequestOnly, 'that it is for this request only')
  }),
  check('R3-01-9.2.2.2-21', '§9.2.2.2', 'merged scopes with the same duration get one combined statement', async (ctx: CheckContext) => {
    const lines = durations(await namedForm(ctx, 'merged')).filter((l) => new RegExp(`\\b(3|three) years?\\b|${yearFromNow(3)}`, 'i').test(l))
    ctx.assert(lines.length === 1, `the merged section states the shared 3-year duration ${lines.length} times: ${lines.join(' | ')}`)
  }),
  check('R3-01-9.2.2.3-01', '§9.2.2.3', 'the Selection Component is the one the effective selection type names (the default when none is asked for)', async (ctx: CheckContext) => {
    const headings: Record<string, RegExp> = { account: /account/i, service_contract: /service/i, servicepoint: /location|service point|premise|site|place/i, meter_device: /meter/i, aggregation: /building|group|aggregat/i }
    const survey = await formSurvey(ctx)
    for (const [key, kind] of survey.kinds) {
      if (!kind.ok) continue
      const text = kind.value.none.requests[0]?.selection?.text ?? ''
      ctx.assert(headings[key]?.test(text.split('\n')[0] ?? '') === true, `the ${key} Selection is headed “${text.split('\n')[0] ?? ''}”`)
    }
    const two = await namedForm(ctx, 'two')
    ctx.assert(/account/i.test(two.requests[0]?.selection?.text.split('\n')[0] ?? ''), 'without a selection type the Account List scope does not show its default Account Selection')
  }),
  check('R3-01-9.2.1.4-05', '§9.2.1.4', 'a non-null purpose shows the Purpose Component', async (ctx: CheckContext) => {
    purposeOf(ctx, await clientPurposeForm(ctx))
  }),
  check('R3-01-9.2.1.4-06', '§9.2.1.4', 'purpose null shows no Purpose Component', async (ctx: CheckContext) => {
    const form = seen(ctx, (await kindSurvey(ctx, 'account')).one, 'the form with purpose null').form
    ctx.assert(form.requests.every((r) => r.purpose === null && !r.components.includes('purpose')), 'the form with purpose null shows a Purpose Component')
  }),
  check('R3-01-9.2.2.4-01', '§9.2.2.4', 'the Purpose Component leads in by saying it is how the Client will use the data', async (ctx: CheckContext) => {
    const purpose = purposeOf(ctx, await clientPurposeForm(ctx))
    ctx.assert(/purpose|will use|use (your|the|this) (data|information)/i.test(purpose.text.replace(purpose.contentText, '')), 'the Purpose Component has no lead-in about the purpose')
  }),
  check('R3-01-9.2.2.4-02', '§9.2.2.4', 'a Client-written Purpose is attributed to the Client; a server default is not', async (ctx: CheckContext) => {
    const name = (await formSurvey(ctx)).fc.client_name
    const written = purposeOf(ctx, await clientPurposeForm(ctx))
    ctx.assert(written.text.replace(written.contentText, '').includes(name), 'the Client-written Purpose does not say the Client wrote it')
    const fallback = (await kindSurvey(ctx, 'account')).none.requests[0]?.purpose
    if (fallback !== undefined && fallback !== null) ctx.assert(!fallback.text.replace(fallback.contentText, '').includes(name), 'the server’s default Purpose is attributed to the Client')
  }),
  check('R3-01-9.2.2.4-03', '§9.2.2.4', 'the Purpose shows as text: markup is shown literally and no script runs', async (ctx: CheckContext) => {
    const form = await clientPurposeForm(ctx)
    const purpose = purposeOf(ctx, form)
    ctx.assert(purpose.contentText.includes(PURPOSE_MARKUP), 'the markup of the Purpose is not shown as text')
    ctx.assert(!purpose.contentTags.some((t) => t === 'b' || t === 'script'), `the Purpose content has elements: ${purpose.contentTags.join(', ')}`)
    ctx.assert(!form.purposeRan, 'the script in the Purpose ran')
    ctx.assert(purpose.contentText.includes(PURPOSE_LAST_LINE), 'the Purpose is cut short')
  }),
  check('R3-01-9.2.2.4-04', '§9.2.2.4', 'the Purpose ends with a link to its related_uri', async (ctx: CheckContext) => {
    const purpose = purposeOf(ctx, await clientPurposeForm(ctx))
    ctx.assert(purpose.link?.href === PURPOSE_RELATED.uri && purpose.linkLast, `the Purpose’s last link is ${String(purpose.link?.href)}, and it ${purpose.linkLast ? 'is' : 'is not'} at the end`)
  }),
  check('R3-01-9.2.2.4-05', '§9.2.2.4', 'the Purpose link’s text is its related_name', async (ctx: CheckContext) => {
    const purpose = purposeOf(ctx, await clientPurposeForm(ctx))
    ctx.assert(purpose.link?.text.includes(PURPOSE_RELATED.name) === true, `the Purpose link says “${String(purpose.link?.text)}”`)
  }),
  check('R3-01-9.2.2.4-06', '§9.2.2.4', 'the Purpose link opens a new tab with rel noopener', async (ctx: CheckContext) => {
    const link = purposeOf(ctx, await clientPurposeForm(ctx)).link
    ctx.assert(link?.target === '_blank' && /\bnoopener\b/.test(link.rel ?? ''), `the Purpose link has target=${String(link?.target)} rel=${String(link?.rel)}`)
  }),
  check('R3-01-9.2.2.4-07', '§9.2.2.4', 'the Purpose block has no minimum height', async (ctx: CheckContext) => {
    const style = purposeOf(ctx, await clientPurposeForm(ctx)).style
    ctx.assert(style !== null && ['0px', 'auto'].includes(style.minHeight), `min-height is ${String(style?.minHeight)}`)
  }),
  // ten lines of the block's own line height, give or take a line.
  check('R3-01-9.2.2.4-08', '§9.2.2.4', 'the Purpose block is at most ten lines high', async (ctx: CheckContext) => {
    const style = purposeOf(ctx, await clientPurposeForm(ctx)).style
    if (style === null) ctx.fail('the Purpose block has no style')
    const line = style.lineHeight.endsWith('px') ? Number.parseFloat(style.lineHeight) : 1.2 * Number.parseFloat(style.fontSize)
    const max = Number.parseFloat(style.maxHeight)
    ctx.assert(Number.isFinite(max) && max / line >= 9.5 && max / line <= 10.5 + 2 / line, `max-height ${style.maxHeight} at line-height ${style.lineHeight} is not ten lines`)
  }),
  check('R3-01-9.2.2.4-09', '§9.2.2.4', 'a longer Purpose scrolls vertically within its block', async (ctx: CheckContext) => {
    const style = purposeOf(ctx, await clientPurposeForm(ctx)).style
    ctx.assert(style !== null && style.scrollHeight > style.clientHeight && /scroll|auto/.test(style.overflowY), 'the fifty-line Purpose does not scroll within its block')
  }),
  check('R3-01-9.2.2.4-10', '§9.2.2.4', 'the Purpose block keeps line breaks (white-space: pre-wrap)', async (ctx: CheckContext) => {
    const style = purposeOf(ctx, await clientPurposeForm(ctx)).style
    ctx.assert(style?.whiteSpace === 'pre-wrap', `white-space is ${String(style?.whiteSpace)}`)
  }),
  check('R3-01-9.2.2.4-11', '§9.2.2.4', 'the Purpose block breaks long words (word-break: break-word)', async (ctx: CheckContext) => {
    const style = purposeOf(ctx, await clientPurposeForm(ctx)).style
    ctx.assert(style !== null && (style.wordBreak === 'break-word' || style.overflowWrap === 'anywhere'), `word-break is ${String(style?.wordBreak)}, overflow-wrap ${String(style?.overflowWrap)}`)
    ctx.assert(style.scrollWidth <= style.clientWidth + 1, 'the 200-character word runs out of the Purpose block')
  }),
  check('R3-01-9.2.2.4-12', '§9.2.2.4', 'the Purpose block has overflow: scroll', async (ctx: CheckContext) => {
    const style = purposeOf(ctx, await clientPurposeForm(ctx)).style
    ctx.assert(style?.overflowY === 'scroll', `overflow-y is ${String(style?.overflowY)}`)
  }),
]
