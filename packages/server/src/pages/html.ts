/**
 * The one HTML template mechanism of the customer pages (CDS-WG3-01 §9): a tagged template that
 * escapes every interpolated value unless it is already {@link SafeHtml}. Templates stay plain,
 * type-checked TypeScript; no value from a Client, a customer or the database can become markup
 * by accident (§9.2.2.4: Purpose content is shown as text only).
 *
 * @example
 * ```ts
 * const page = html`<p>${client_name} asks for access</p>` // client_name is escaped
 * const list = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` // nested SafeHtml kept
 * ```
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */

/** Text that is already HTML; {@link html} inserts it as it is. Make it only with {@link html}. */
export class SafeHtml {
  /** @internal */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * A value as HTML text: the five characters that matter in text and quoted attributes become
 * entities.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/** What a template may interpolate: markup, text, numbers, dates, nothing, or lists of these. */
export type HtmlValue = SafeHtml | string | number | bigint | boolean | Date | null | undefined | readonly HtmlValue[]

/**
 * The HTML template tag: every interpolated value is escaped unless it is {@link SafeHtml} (or a
 * list of them); `null`, `undefined` and `false` render nothing, so `${cond && html`…`}` works.
 * Attribute values must be quoted in the template.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    const parts: readonly HtmlValue[] = Array.isArray(value) ? value : [value]
    for (const part of parts) {
      if (part === null || part === undefined || part === false) continue
      out += part instanceof SafeHtml ? part.text : Array.isArray(part) ? html`${part}`.text : escapeHtml(String(part))
    }
    out += strings[i + 1] ?? ''
  })
  return new SafeHtml(out)
}

/** Joins fragments with no separator (a list of {@link SafeHtml}). */
export function join(parts: readonly SafeHtml[], separator: SafeHtml = new SafeHtml('')): SafeHtml {
  return new SafeHtml(parts.map((p) => p.text).join(separator.text))
}
