/**
 * What the browser shows, read once into plain data: the customer pages of CDS-WG3-01 §9 as a
 * {@link PageSnapshot}, and the Authorization Form's sections, Request Sections and components.
 * Checks compare these snapshots with the rules instead of driving the page again.
 *
 * The form is read through the markup convention of the requirement catalog (Part D:
 * `data-cds-section` on the six sections, `data-cds-request-section` on each Request Section,
 * `data-cds-component` on its components); inside them, controls are found by type and by their
 * English labels (select all, search, the selected count, hiding unselected entries, the
 * include-future option).
 *
 * @see CDS-WG3-01 §9.2.1 Authorization Form Layout
 * @module
 */
import type { Page } from 'playwright-core'

/** A link of the page. */
export interface LinkInfo {
  href: string
  text: string
  target: string | null
  rel: string | null
  /** The `data-cds-section` the link sits in, if any. */
  section: string | null
  /** Whether it leads to the page's own origin. */
  sameOrigin: boolean
}

/** A button (or submit input) of the page. */
export interface ButtonInfo {
  text: string
  visible: boolean
  section: string | null
  /** Its width and height in CSS pixels. */
  width: number
  height: number
}

/** One checkbox entry of a Selection Component. */
export interface EntryInfo {
  value: string
  checked: boolean
  /** The text of the entry (its list item, row or label). */
  text: string
  visible: boolean
}

/** The computed style of an element, as the rules read it. */
export interface BoxStyle {
  whiteSpace: string
  wordBreak: string
  overflowWrap: string
  overflowY: string
  maxHeight: string
  minHeight: string
  lineHeight: string
  fontSize: string
  scrollHeight: number
  clientHeight: number
  scrollWidth: number
  clientWidth: number
}

/** A Selection Component. */
export interface SelectionInfo {
  text: string
  entries: EntryInfo[]
  /** The include-future option, when shown. */
  future: { checked: boolean; text: string } | null
  selectAll: boolean
  search: boolean
  /** The text of the selected-count summary, when shown. */
  counter: string | null
  /** Whether the count comes before the first entry. */
  counterFirst: boolean
  hideToggle: boolean
  /** The style of the element that holds the entries. */
  list: BoxStyle | null
  /** Text inputs (manual entry of numbers). */
  textInputs: number
  /** List items without any control (a read-only list). */
  plainItems: string[]
}

/** A Purpose Component. */
export interface PurposeInfo {
  text: string
  /** The text of the element that holds the content. */
  contentText: string
  /** Element tags inside the content block (besides its link). */
  contentTags: string[]
  style: BoxStyle | null
  /** The content's link (the last link in the block). */
  link: LinkInfo | null
  /** Whether the link is the last thing in the block. */
  linkLast: boolean
}

/** One Request Section. */
export interface RequestSectionInfo {
  text: string
  components: string[]
  data: { text: string; toggles: number; detailItems: string[]; listItems: number } | null
  /** The duration statements (list items, or the text lines after the heading). */
  durations: string[]
  selection: SelectionInfo | null
  purpose: PurposeInfo | null
  /** Whether a control to remove the section is shown. */
  removable: boolean
  /** Whether it has a heading, a border or is a section or fieldset of its own. */
  separated: boolean
  /** Whether it sits inside the Requests Container. */
  inContainer: boolean
}

/** What a page shows. */
export interface PageSnapshot {
  url: string
  title: string
  /** `<meta name=robots>` content. */
  robots: string | null
  h1: string[]
  /** The visible text of the whole page. */
  text: string
  /** The `data-cds-section` values in document order. */
  sections: string[]
  /** The visible text of each `data-cds-section`. */
  sectionText: Record<string, string>
  /** The elements of `<body>` that are not inside a `data-cds-section` and hold visible text. */
  strayText: string[]
  navCount: number
  links: LinkInfo[]
  buttons: ButtonInfo[]
  requests: RequestSectionInfo[]
  /** Inputs of the Closing Section. */
  closingInputs: { type: string; required: boolean }[]
  /** Whether the Client's Purpose script ran. */
  purposeRan: boolean
  scrollWidth: number
  innerWidth: number
  /** Whether a password field is visible (a login page). */
  login: boolean
}

/** Reads the page (runs in the browser; self-contained). */
function readPage(): PageSnapshot {
  const visible = (el: Element) => {
    const box = (el as HTMLElement).getBoundingClientRect()
    const style = getComputedStyle(el)
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none'
  }
  const text = (el: Element | null) => ((el as HTMLElement | null)?.innerText ?? '').replace(/[ \t]+/g, ' ').trim()
  const sectionOf = (el: Element) => el.closest('[data-cds-section]')?.getAttribute('data-cds-section') ?? null
  const link = (a: HTMLAnchorElement) => ({
    href: a.href,
    text: text(a) || (a.textContent ?? '').trim(),
    target: a.getAttribute('target'),
    rel: a.getAttribute('rel'),
    section: sectionOf(a),
    sameOrigin: a.href !== '' && new URL(a.href, location.href).origin === location.origin,
  })
  const style = (el: Element | null) => {
    if (el === null) return null
    const s = getComputedStyle(el)
    return {
      whiteSpace: s.whiteSpace,
      wordBreak: s.wordBreak,
      overflowWrap: s.overflowWrap,
      overflowY: s.overflowY,
      maxHeight: s.maxHeight,
      minHeight: s.minHeight,
      lineHeight: s.lineHeight,
      fontSize: s.fontSize,
      scrollHeight: el.scrollHeight,
      clientHeight: el.clientHeight,
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }
  }
  const labelOf = (input: HTMLInputElement) => text(input.closest('label')) || text(input.labels?.[0] ?? null) || (input.getAttribute('aria-label') ?? '')
  const controlsNamed = (root: Element, pattern: RegExp) =>
    Array.from(root.querySelectorAll('button, a, input[type=checkbox], [role=button]')).filter((el) => {
      const name = el instanceof HTMLInputElement ? labelOf(el) : text(el) || (el.getAttribute('aria-label') ?? '')
      return pattern.test(name)
    })
  const readSelection = (root: Element) => {
    const boxes = Array.from(root.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
    const isFuture = (b: HTMLInputElement) => /future/i.test(labelOf(b))
    const isTool = (b: HTMLInputElement) => /select all|deselect all|select none|show only|hide/i.test(labelOf(b))
    const entries = boxes.filter((b) => !isFuture(b) && !isTool(b))
    const futureBox = boxes.find(isFuture)
    const counter = Array.from(root.querySelectorAll('*')).find((el) => el.children.length === 0 && /\b\d+\b[^.]*\bselected\b/i.test(el.textContent ?? ''))
    const first = entries[0]
    const holder = first?.closest('ul, ol, table, [role=list]') ?? null
    return {
      text: text(root),
      entries: entries.map((b) => ({ value: b.value, checked: b.checked, text: text(b.closest('li, tr, label') ?? b.parentElement), visible: visible(b) })),
      future: futureBox === undefined ? null : { checked: futureBox.checked, text: labelOf(futureBox) },
      selectAll: controlsNamed(root, /^\s*(select all|deselect all|select none|unselect all)/i).length > 0,
      search: root.querySelector('input[type=search]') !== null || Array.from(root.querySelectorAll('input')).some((i) => /search/i.test(i.getAttribute('placeholder') ?? '') || /search/i.test(labelOf(i))),
      counter: counter === undefined ? null : text(counter) || (counter.textContent ?? '').trim(),
      counterFirst: counter !== undefined && first !== undefined && (counter.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
      hideToggle: controlsNamed(root, /show only selected|hide unselected|hide the unselected|show selected only/i).length > 0,
      list: style(holder),
      textInputs: root.querySelectorAll('input[type=text], input:not([type]), textarea').length,
      plainItems: Array.from(root.querySelectorAll('li')).filter((li) => li.querySelector('input, button') === null).map((li) => text(li)),
    }
  }
  const readPurpose = (root: Element) => {
    const links = Array.from(root.querySelectorAll<HTMLAnchorElement>('a[href]'))
    const last = links.at(-1)
    const content = last?.parentElement ?? root.querySelector('p, div, pre') ?? root
    const after = last === undefined ? '' : (() => {
      const range = document.createRange()
      range.setStartAfter(last)
      range.setEndAfter(content.lastChild ?? last)
      return range.toString().trim()
    })()
    return {
      text: text(root),
      contentText: content.textContent ?? '',
      contentTags: Array.from(content.querySelectorAll('*')).filter((el) => last === undefined || (el !== last && !last.contains(el))).map((el) => el.tagName.toLowerCase()),
      style: style(content),
      link: last === undefined ? null : link(last),
      linkLast: last !== undefined && after === '',
    }
  }
  const readRequest = (section: Element) => {
    const component = (name: string) => section.querySelector(`[data-cds-component="${name}"]`)
    const data = component('data')
    const duration = component('duration')
    const selection = component('selection')
    const purpose = component('purpose')
    const durationItems = duration === null ? [] : Array.from(duration.querySelectorAll('li')).map((li) => text(li))
    const durationLines = duration === null ? [] : text(duration).split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '')
    const s = getComputedStyle(section)
    return {
      text: text(section),
      components: Array.from(section.querySelectorAll('[data-cds-component]')).map((el) => el.getAttribute('data-cds-component') ?? ''),
      data:
        data === null
          ? null
          : {
              text: text(data),
              toggles: data.querySelectorAll('details > summary, [aria-expanded]').length,
              detailItems: Array.from(data.querySelectorAll('details li, [aria-expanded] ~ * li')).map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim()),
              listItems: data.querySelectorAll('li').length,
            },
      durations: durationItems.length > 0 ? durationItems : durationLines,
      selection: selection === null ? null : readSelection(selection),
      purpose: purpose === null ? null : readPurpose(purpose),
      removable: controlsNamed(section, /remove/i).length > 0,
      separated: section.querySelector('h2, h3, legend') !== null || s.borderTopStyle !== 'none' || section.tagName === 'SECTION' || section.tagName === 'FIELDSET',
      inContainer: section.closest('[data-cds-section="requests"]') !== null,
    }
  }
  const closing = document.querySelector('[data-cds-section="closing"]')
  return {
    url: location.href,
    title: document.title,
    robots: document.querySelector('meta[name=robots]')?.getAttribute('content') ?? null,
    h1: Array.from(document.querySelectorAll('h1')).map((h) => text(h)),
    text: text(document.body),
    sections: Array.from(document.querySelectorAll('[data-cds-section]')).map((el) => el.getAttribute('data-cds-section') ?? ''),
    sectionText: Object.fromEntries(Array.from(document.querySelectorAll('[data-cds-section]')).map((el) => [el.getAttribute('data-cds-section') ?? '', text(el)])),
    strayText: Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.closest('[data-cds-section]') === null && el.querySelector('[data-cds-section]') === null && !['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(el.tagName))
      .filter((el) => visible(el) && text(el) !== '' && !(el instanceof HTMLAnchorElement && el.getAttribute('href')?.startsWith('#') === true))
      .map((el) => text(el)),
    navCount: document.querySelectorAll('nav, [role=navigation], [role=menubar]').length,
    links: Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href]')).map(link),
    buttons: Array.from(document.querySelectorAll('button, input[type=submit]')).map((b) => {
      const box = (b as HTMLElement).getBoundingClientRect()
      return { text: text(b) || ((b as HTMLInputElement).value ?? ''), visible: visible(b), section: sectionOf(b), width: box.width, height: box.height }
    }),
    requests: Array.from(document.querySelectorAll('[data-cds-request-section]')).map(readRequest),
    closingInputs:
      closing === null
        ? []
        : Array.from(closing.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')).map((i) => ({ type: i.type, required: i.required || i.getAttribute('aria-required') === 'true' })),
    purposeRan: (window as unknown as Record<string, unknown>).__cdsPurposeRan === true,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    login: Array.from(document.querySelectorAll('input[type=password]')).some(visible),
  }
}

/** Reads what the page shows once it has loaded (again after a navigation that interrupts the reading). */
export async function snapshot(page: Page): Promise<PageSnapshot> {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.waitForLoadState('load')
      return await page.evaluate(readPage)
    } catch (error) {
      if (attempt >= 5 || !/context was destroyed|navigat/i.test((error as Error).message)) throw error
      await page.waitForTimeout(200)
    }
  }
}

/** The spec terms a customer would not know (CDS-WG3-01 §9.2.2.1, §9.2.2.2, §9.4): ids, field names, ISO 8601 durations. */
export const JARGON = /\bcds_|\busage segment|\binclude_[a-z]|\bsegment_(start|end)\b|\bsync_until\b|\bstatement_date_|\bauthorization_details\b|\bP\d+[YMWD]\b|\bPT\d+[HMS]\b/i

/** The jargon found in a text, if any. */
export function jargonIn(text: string): string | undefined {
  return JARGON.exec(text)?.[0]
}
