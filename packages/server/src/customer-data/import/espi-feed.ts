/**
 * A streaming reader of Green Button (NAESB ESPI) Atom feeds over `saxes`: it walks the entries
 * as they arrive, keeps only the small objects later entries refer to (UsagePoints, MeterReadings,
 * ReadingTypes, LocalTimeParameters), and hands each IntervalReading to a callback together with
 * what it needs to be understood. Nothing else of the document is kept.
 *
 * Entries refer to each other by their Atom links: an IntervalBlock's `up` link is its
 * MeterReading's IntervalBlock collection, a MeterReading's `up` link its UsagePoint's
 * MeterReading collection, its `related` links its ReadingType. Links are compared after dropping
 * the scheme, host and anything up to `/resource/`, so absolute and relative forms match. A
 * referenced entry must come before the IntervalBlocks that use it, the order Green Button
 * downloads use.
 *
 * Untrusted input: a DOCTYPE is refused (no DTD, no entity declarations, nothing fetched), only the
 * five predefined entities exist, and elements may nest at most {@link MAX_DEPTH} deep.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { SaxesParser, type SaxesTagNS } from 'saxes'
import { LocalTime, type LocalTimeParameters } from './local-time.js'
import { ImportError } from './segmenter.js'

/** How deep elements may nest (an ESPI feed needs 7). */
export const MAX_DEPTH = 32
/** The longest text an element of interest may hold. */
export const MAX_TEXT = 65_536
/** The longest single token (tag, text, comment) the parser may be in the middle of. */
export const MAX_TOKEN = 1_048_576

/** A UsagePoint entry. */
export interface EspiUsagePoint {
  readonly href: string
  readonly title: string
  /** ServiceCategory kind: 0 electricity, 1 gas, 2 water, … */
  readonly serviceKind: number | undefined
  readonly localTimeHref: string | undefined
}

/** A ReadingType entry: the integer fields the importer uses. */
export interface EspiReadingType {
  readonly href: string
  readonly where: string
  readonly fields: ReadonlyMap<string, number>
}

/** Everything an IntervalReading needs to become a CDS reading. */
export interface EspiReadingContext {
  readonly usagePoint: EspiUsagePoint
  readonly meterReadingHref: string
  readonly readingType: EspiReadingType
  readonly localTime: LocalTime | undefined
}

/** One IntervalReading, as text, with its place in the file. */
export interface EspiIntervalReading {
  readonly start: string | undefined
  readonly duration: string | undefined
  readonly value: string | undefined
  readonly quality: string | undefined
  /** Where the IntervalReading starts, and where its `value` starts. */
  readonly where: string
  readonly valueWhere: string | undefined
}

interface Entry {
  readonly where: string
  readonly links: { rel: string; href: string }[]
  title: string | undefined
  kind: string | undefined
  readonly fields: Map<string, string>
  readonly pending: EspiIntervalReading[]
  context: EspiReadingContext | undefined
}

const KINDS = new Set(['UsagePoint', 'MeterReading', 'ReadingType', 'IntervalBlock', 'LocalTimeParameters'])
// IntervalReadings of one entry held back until its links are known.
const MAX_PENDING = 100_000

/** The comparable form of an Atom link. */
export function normalizeHref(href: string): string {
  let h = href.trim().replace(/[?#].*$/, '')
  const resource = h.indexOf('/resource/')
  if (resource >= 0) h = h.slice(resource + '/resource/'.length)
  else h = h.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
  return h.replace(/^\/+|\/+$/g, '')
}

const parentOf = (href: string, levels: number) => href.split('/').slice(0, -levels).join('/')

/**
 * Reads one feed; `onReading` gets every IntervalReading in document order.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 */
export class EspiFeedReader {
  readonly #parser: SaxesParser<{ xmlns: true; fileName: string; position: true }>
  readonly #name: string
  readonly #onReading: (context: EspiReadingContext, reading: EspiIntervalReading) => void
  readonly #stack: string[] = []
  #text = ''
  #entry: Entry | undefined
  #reading: { start?: string; duration?: string; value?: string; quality?: string; where: string; valueWhere?: string } | undefined
  readonly #usagePoints = new Map<string, EspiUsagePoint>()
  readonly #meterReadings = new Map<string, { usagePointHref: string; readingTypeHref: string | undefined; where: string }>()
  readonly #readingTypes = new Map<string, EspiReadingType>()
  readonly #localTimes = new Map<string, LocalTime>()
  readonly #fallbackTime: LocalTimeParameters | undefined
  #fed = 0
  /** Characters fed when the parser last reported an event: bounds any one token's length. */
  #lastEvent = 0

  constructor(name: string, onReading: (context: EspiReadingContext, reading: EspiIntervalReading) => void, fallbackTime?: LocalTimeParameters) {
    this.#name = name
    this.#onReading = onReading
    this.#fallbackTime = fallbackTime
    this.#parser = new SaxesParser({ xmlns: true, fileName: name, position: true })
    const p = this.#parser
    p.on('doctype', () => {
      throw new ImportError(`${this.#where()}: a DOCTYPE is not accepted (no DTDs or entity declarations in a Green Button file)`)
    })
    p.on('opentag', (tag) => {
      this.#open(tag)
    })
    p.on('closetag', (tag) => {
      this.#close(tag)
    })
    p.on('text', (text) => {
      this.#addText(text)
    })
    p.on('cdata', (text) => {
      this.#addText(text)
    })
  }

  /**
   * Feeds decoded text. Feed it in slices of at most {@link MAX_TOKEN} / 16 characters: a text,
   * tag or comment still open after {@link MAX_TOKEN} characters is refused.
   */
  write(text: string): void {
    this.#fed += text.length
    this.#parser.write(text)
    if (this.#fed - this.#lastEvent > MAX_TOKEN) {
      throw new ImportError(`${this.#where()}: a tag, text or comment longer than ${MAX_TOKEN} characters`)
    }
  }

  /** Ends the document (checks it is complete). */
  close(): void {
    this.#parser.close()
  }

  /** `file:line:column` of the parser's current position. */
  #where(): string {
    return `${this.#name}:${this.#parser.line}:${this.#parser.column + 1}`
  }

  #addText(text: string): void {
    this.#lastEvent = this.#fed
    this.#text += text
    if (this.#text.length > MAX_TEXT) throw new ImportError(`${this.#where()}: a text longer than ${MAX_TEXT} characters`)
  }

  #open(tag: SaxesTagNS): void {
    const name = tag.local
    const parent = this.#stack[this.#stack.length - 1]
    this.#stack.push(name)
    this.#text = ''
    this.#lastEvent = this.#fed
    if (this.#stack.length > MAX_DEPTH) throw new ImportError(`${this.#where()}: elements nest deeper than ${MAX_DEPTH} levels`)
    const where = this.#where()
    if (name === 'entry') {
      this.#entry = { where, links: [], title: undefined, kind: undefined, fields: new Map(), pending: [], context: undefined }
      return
    }
    const entry = this.#entry
    if (entry === undefined) return
    if (name === 'link' && parent === 'entry') {
      entry.links.push({ rel: tag.attributes.rel?.value ?? 'alternate', href: normalizeHref(tag.attributes.href?.value ?? '') })
    } else if (parent === 'content' && KINDS.has(name)) {
      entry.kind = name
    } else if (name === 'IntervalReading' && entry.kind === 'IntervalBlock') {
      this.#reading = { where }
    } else if (name === 'value' && parent === 'IntervalReading' && this.#reading !== undefined) {
      this.#reading.valueWhere = where
    }
  }

  #close(tag: SaxesTagNS): void {
    const name = tag.local
    this.#stack.pop()
    const parent = this.#stack[this.#stack.length - 1]
    const text = this.#text.trim()
    this.#text = ''
    this.#lastEvent = this.#fed
    const entry = this.#entry
    if (entry === undefined) return
    const reading = this.#reading
    if (name === 'entry') {
      this.#finishEntry(entry)
      this.#entry = undefined
    } else if (name === 'title' && parent === 'entry') {
      entry.title = text
    } else if (reading !== undefined) {
      if (name === 'IntervalReading') {
        this.#reading = undefined
        const { start, duration, value, quality, where, valueWhere } = reading
        this.#deliver(entry, { start, duration, value, quality, where, valueWhere })
      } else if (parent === 'timePeriod' && (name === 'start' || name === 'duration')) {
        reading[name] = text
      } else if (parent === 'IntervalReading' && name === 'value') {
        reading.value = text
      } else if (parent === 'ReadingQuality' && name === 'quality') {
        // Several ReadingQuality elements may qualify one reading; the first one is kept.
        reading.quality ??= text
      }
    } else if (parent === entry.kind && parent !== 'IntervalBlock') {
      entry.fields.set(name, text)
    } else if (parent === 'ServiceCategory' && name === 'kind' && entry.kind === 'UsagePoint') {
      entry.fields.set('serviceKind', text)
    }
  }

  #link(entry: Entry, rel: string): string | undefined {
    return entry.links.find((l) => l.rel === rel)?.href
  }

  #finishEntry(entry: Entry): void {
    const self = this.#link(entry, 'self')
    if (entry.kind === 'IntervalBlock') {
      for (const reading of entry.pending) this.#deliver(entry, reading)
      return
    }
    if (entry.kind === undefined || self === undefined) return
    const related = entry.links.filter((l) => l.rel === 'related').map((l) => l.href)
    if (entry.kind === 'UsagePoint') {
      this.#usagePoints.set(self, {
        href: self,
        title: entry.title ?? '',
        serviceKind: this.#integer(entry.fields.get('serviceKind'), entry.where, '<ServiceCategory>/kind'),
        localTimeHref: related.find((h) => /(^|\/)LocalTimeParameters(\/|$)/.test(h)),
      })
    } else if (entry.kind === 'MeterReading') {
      const up = this.#link(entry, 'up')
      this.#meterReadings.set(self, {
        usagePointHref: up === undefined ? parentOf(self, 2) : up.replace(/\/MeterReading$/, ''),
        readingTypeHref: related.find((h) => /(^|\/)ReadingType\//.test(h)),
        where: entry.where,
      })
    } else if (entry.kind === 'ReadingType') {
      const fields = new Map<string, number>()
      for (const [field, value] of entry.fields) {
        const n = this.#integer(value, entry.where, `<ReadingType>/${field}`, true)
        if (n !== undefined) fields.set(field, n)
      }
      this.#readingTypes.set(self, { href: self, where: entry.where, fields })
    } else if (entry.kind === 'LocalTimeParameters') {
      const f = entry.fields
      const at = (field: string) => this.#integer(f.get(field), entry.where, `<LocalTimeParameters>/${field}`) ?? 0
      try {
        this.#localTimes.set(
          self,
          new LocalTime({ tzOffset: at('tzOffset'), dstOffset: at('dstOffset'), dstStartRule: f.get('dstStartRule') ?? '0', dstEndRule: f.get('dstEndRule') ?? '0' }),
        )
      } catch (error) {
        throw new ImportError(`${entry.where} <LocalTimeParameters>: ${(error as Error).message}`)
      }
    }
  }

  /** An integer field; fields that are not integers (codes given as text) are skipped when `lenient`. */
  #integer(text: string | undefined, where: string, path: string, lenient = false): number | undefined {
    if (text === undefined || text === '') return undefined
    if (!/^-?\d{1,15}$/.test(text)) {
      if (lenient) return undefined
      throw new ImportError(`${where} ${path}: ${JSON.stringify(text)} is not an integer`)
    }
    return Number(text)
  }

  #deliver(entry: Entry, reading: EspiIntervalReading): void {
    entry.context ??= this.#resolve(entry)
    if (entry.context !== undefined) {
      this.#onReading(entry.context, reading)
      return
    }
    if (entry.pending.length >= MAX_PENDING) throw new ImportError(`${entry.where}: an IntervalBlock entry with more than ${MAX_PENDING} readings before its links`)
    entry.pending.push(reading)
  }

  /** The context of an IntervalBlock entry, or undefined while its links have not been read. */
  #resolve(entry: Entry): EspiReadingContext | undefined {
    const up = this.#link(entry, 'up')
    const self = this.#link(entry, 'self')
    if (up === undefined && self === undefined) {
      if (this.#stack.includes('entry')) return undefined
      throw new ImportError(`${entry.where} <entry>: an IntervalBlock entry without a "self" or "up" link`)
    }
    const meterReadingHref = up === undefined ? parentOf(self ?? '', 2) : up.replace(/\/IntervalBlock$/, '')
    const meterReading = this.#meterReadings.get(meterReadingHref)
    if (meterReading === undefined) throw new ImportError(`${entry.where} <IntervalBlock>: its MeterReading ${meterReadingHref} has not appeared before it`)
    const usagePoint = this.#usagePoints.get(meterReading.usagePointHref)
    if (usagePoint === undefined) throw new ImportError(`${meterReading.where} <MeterReading>: its UsagePoint ${meterReading.usagePointHref} has not appeared before it`)
    const readingType = meterReading.readingTypeHref === undefined ? undefined : this.#readingTypes.get(meterReading.readingTypeHref)
    if (readingType === undefined) {
      throw new ImportError(`${entry.where} <IntervalBlock>: the ReadingType of MeterReading ${meterReadingHref} (${meterReading.readingTypeHref ?? 'no related link'}) has not appeared before it`)
    }
    return { usagePoint, meterReadingHref, readingType, localTime: this.#localTimeOf(usagePoint) }
  }

  #localTimeOf(usagePoint: EspiUsagePoint): LocalTime | undefined {
    const linked = usagePoint.localTimeHref === undefined ? undefined : this.#localTimes.get(usagePoint.localTimeHref)
    if (linked !== undefined) return linked
    // A feed with one LocalTimeParameters states the utility's time for all its UsagePoints.
    if (this.#localTimes.size === 1) return [...this.#localTimes.values()][0]
    return this.#fallbackTime === undefined ? undefined : new LocalTime(this.#fallbackTime)
  }
}
